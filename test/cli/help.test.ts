import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli as runInProcess } from '../../src/cli/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  });
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  });
});
afterEach(() => vi.restoreAllMocks());

const COMMANDS = [
  'start',
  'doctor',
  'migrate',
  'deliveries',
  'deliveries list',
  'deliveries retry',
  'digest',
  'reasons',
  'reasons list',
  'reasons eval',
  'discord',
  'discord register',
  'slack-manifest',
];

describe('--help', () => {
  it.each(COMMANDS)('koe %s --help prints usage, options and an example, and exits 0', async (command) => {
    const code = await runInProcess([...command.split(' '), '--help']);
    expect(code).toBe(0);
    expect(out).toContain(`Usage: npx koe ${command}`);
    expect(out).toContain('Options:');
    expect(out).toContain('-h, --help');
    expect(out).toMatch(/Examples?:\n {2}.*npx koe /);
    expect(err).toBe('');
  });

  it('lists every command in koe --help, and says the version with --version', async () => {
    expect(await runInProcess(['--help'])).toBe(0);
    for (const command of ['start', 'doctor', 'deliveries', 'slack-manifest']) expect(out).toContain(`  ${command}`);
    expect(await runInProcess(['--version'])).toBe(0);
    expect(out).toMatch(/koe \d+\.\d+\.\d+\n$/);
  });
});

describe('mistakes get one sentence, a guess, and a non-zero exit', () => {
  it.each([
    [['delivery'], 'koe: unknown command "delivery". Did you mean deliveries?'],
    [['digest', '--perod', 'week'], 'koe digest: unknown option --perod. Did you mean --period?'],
    [
      ['deliveries', '--status', 'bogus'],
      'koe deliveries list: --status must be one of dead, pending, in_flight, done; got "bogus".',
    ],
    [['digest', '--period', 'wek'], 'koe digest: --period must be one of day, week; got "wek". Did you mean week?'],
    [['slack-manifest', '--bogus'], 'koe slack-manifest: unknown option --bogus.'],
    [['start', '--port', 'http'], 'koe start: --port must be a whole number from 0 to 65535; got "http".'],
    [['deliveries', 'retry'], 'koe deliveries retry: give --id N (repeatable) or --all.'],
  ])('koe %j', async (args, sentence) => {
    expect(await runInProcess(args)).toBe(2);
    expect(err.split('\n')[0]).toBe(sentence);
    expect(err).toContain('--help for usage.');
    expect(out).toBe('');
  });

  it('exits 1 naming the ids when retry --id finds no dead delivery, as a real process without a stack', async () => {
    const t = tempDir();
    try {
      const result = await runCli(['deliveries', 'retry', '--id', '999'], { cwd: t.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'koe deliveries retry: no dead delivery with id 999; npx koe deliveries lists the dead ones.\n',
      );
      const unknown = await runCli(['discord', 'register', '--gild', '1'], { cwd: t.dir });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('unknown option --gild. Did you mean --guild?');
      expect(unknown.stderr).not.toMatch(/TypeError|ERR_PARSE_ARGS|\n\s+at /);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});

describe('slack-manifest --url', () => {
  it('takes the events URL people paste without doubling its path', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runInProcess(['slack-manifest', '--url', 'https://x.example/slack/events'])).toBe(0);
    const printed = String(write.mock.calls[0]?.[0]);
    expect(printed).toContain('request_url: https://x.example/slack/events\n');
    expect(printed).not.toContain('/slack/events/slack/events');
  });
});
