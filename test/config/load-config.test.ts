import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { tempDir } from '../helpers/temp-db.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function load(yaml: string | null, env: Record<string, string> = {}) {
  if (yaml !== null) writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  return loadConfig({ env, cwd: dir, dotenv: true });
}

function problems(yaml: string | null, env: Record<string, string> = {}): string[] {
  try {
    load(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs a fresh clone with no file: one console destination, Asia/Tokyo, ja, default reasons', () => {
    const config = load(null);
    expect(config.configFileFound).toBe(false);
    expect(config.destinations).toEqual([{ name: 'console', platform: 'console', channel: 'stdout' }]);
    expect(config.timezone).toBe('Asia/Tokyo');
    expect(config.locale).toBe('ja');
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe(join(dir, 'data/koe.db'));
    expect(config.reasons.map((r) => r.id)).toEqual([
      'how_to',
      'pricing_plan',
      'billing',
      'bug',
      'feature_request',
      'account',
      'cancellation',
      'other',
    ]);
    expect(config.reasons.find((r) => r.id === 'billing')?.label).toEqual({ ja: '請求・支払い', en: 'Billing' });
  });

  it('reads the documented example shape', () => {
    const config = load(
      `timezone: Asia/Tokyo
locale: en
reasons:
  - id: billing
    label: { ja: 請求・支払い, en: Billing }
    keywords: [請求, 領収書, invoice, refund]
destinations:
  - name: everyone
    platform: slack
    channel: C0123456789
  - name: engineering
    platform: discord
    channel: "112233445566778899"
    reasons: [billing]
sources:
  - platform: slack
    channel: C0CUSTOMERS
digests:
  - platform: slack
    channel: C0FOUNDERS
    period: day
    schedule: "0 9 * * *"
reactions:
  raising_hand: claim
`,
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 'd' },
    );
    expect(config.locale).toBe('en');
    expect(config.reasons.map((r) => r.id)).toEqual(['billing']);
    expect(config.destinations[1]).toMatchObject({ platform: 'discord', reasons: ['billing'] });
    expect(config.sources[0]).toEqual({ platform: 'slack', channel: 'C0CUSTOMERS', joinWindowMinutes: 5 });
    expect(config.digests[0]).toMatchObject({ period: 'day', schedule: '0 9 * * *' });
  });

  it('reports every problem at once, each with its path and what was expected', () => {
    const found = problems(
      `timezone: Mars/Olympus
destinations:
  - name: a
    platform: console
    channel: x
  - name: b
    platform: teams
    channel: y
  - name: a
    platform: console
    channel: z
    reasons: [nope]
digests:
  - platform: console
    channel: c
    period: month
`,
      { PORT: 'eighty' },
    );
    expect(found).toContain('destinations[1].platform: expected "slack" | "discord" | "console", got "teams"');
    expect(found).toContain('digests[0].period: expected "day" | "week", got "month"');
    expect(found.some((p) => p.startsWith('PORT: expected number'))).toBe(true);
    // Cross-field checks run once the shapes are right.
    const second = problems(
      `timezone: Mars/Olympus
destinations:
  - { name: a, platform: console, channel: x }
  - { name: a, platform: console, channel: z, reasons: [nope] }
`,
    );
    expect(second).toEqual([
      'timezone: expected an IANA time zone such as "Asia/Tokyo", got "Mars/Olympus"',
      'destinations[1].name: "a" appears twice',
      expect.stringMatching(/^destinations\[1\]\.reasons\[0\]: expected "how_to" \| .* got "nope"$/),
    ]);
  });

  it('rejects unknown keys so a typo does not silently do nothing', () => {
    expect(problems('timezome: Asia/Tokyo\n')).toEqual(['(root): unknown key "timezome"']);
  });

  it('reports YAML syntax errors with the file path', () => {
    expect(problems('destinations: [\n')[0]).toContain('koe.config.yaml');
  });

  it('requires the Slack and Discord tokens only when the config uses them', () => {
    expect(problems('destinations: [{ name: s, platform: slack, channel: C1 }]\n')).toEqual([
      'SLACK_BOT_TOKEN: required because the config uses Slack',
      'SLACK_SIGNING_SECRET: required for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
    expect(problems('digests: [{ platform: discord, channel: "1" }]\n')).toEqual([
      'DISCORD_TOKEN: required because the config uses Discord',
    ]);
  });

  it('never prints a secret, in errors or when the config is logged', () => {
    const found = problems('destinations: [{ name: s, platform: slack, channel: C1 }]\n', {
      SLACK_BOT_TOKEN: 'xoxb-very-secret',
      SLACK_API_URL: 'not a url',
    });
    expect(found.join('\n')).not.toContain('xoxb-very-secret');
    const config = load('destinations: [{ name: s, platform: slack, channel: C1 }]\n', {
      SLACK_BOT_TOKEN: 'xoxb-very-secret',
      SLACK_SIGNING_SECRET: 'shh-signing',
      KOE_INTAKE_TOKEN: 'intake-secret',
    });
    const printed = [JSON.stringify(config), inspect(config, { depth: 10 }), String(config.slack.botToken)].join('\n');
    for (const secret of ['xoxb-very-secret', 'shh-signing', 'intake-secret']) expect(printed).not.toContain(secret);
    expect(config.slack.botToken?.reveal()).toBe('xoxb-very-secret');
  });

  it('accepts the shipped koe.config.example.yaml as it is', () => {
    const example = readFileSync(join(import.meta.dirname, '../../koe.config.example.yaml'), 'utf8');
    const config = load(example);
    expect(config.reasons.map((r) => r.id)).toContain('shipping');
    expect(config.destinations).toEqual([{ name: 'everyone', platform: 'console', channel: 'stdout' }]);
  });

  it('reads .env, with the real environment winning', () => {
    writeFileSync(join(dir, '.env'), 'PORT=4001\nLOG_LEVEL=debug\n');
    const config = load(null, { PORT: '4002' });
    expect(config.port).toBe(4002);
    expect(config.logLevel).toBe('debug');
  });

  it('extends the default taxonomy with extraReasons and validates reaction targets', () => {
    const config = load('extraReasons:\n  - id: shipping\n    label: { ja: 配送, en: Shipping }\n');
    expect(config.reasons.at(-1)?.id).toBe('shipping');
    expect(config.reasons).toHaveLength(9);
    expect(problems('reactions: { fire: "reason:urgent" }\n')[0]).toMatch(/^reactions\.fire: expected reason:<id>/);
  });
});

describe('loadConfig: what a new user writes first', () => {
  it('starts with a console destination or digest that names no channel (the console has none)', () => {
    const config = load(`destinations:
  - name: here
    platform: console
digests:
  - platform: console
    period: day
`);
    expect(config.destinations).toEqual([{ name: 'here', platform: 'console', channel: 'stdout' }]);
    expect(config.digests[0]).toMatchObject({ platform: 'console', channel: 'stdout', name: 'day-console-stdout' });
  });

  it('still requires a channel for Slack and Discord, saying what to put there', () => {
    const found = problems(
      `destinations:
  - { name: team, platform: slack }
digests:
  - { platform: discord, period: week }
`,
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', DISCORD_TOKEN: 'd' },
    );
    expect(found).toEqual([
      'destinations[0].channel: required for slack; set it to a channel id such as "C0123456789"',
      'digests[0].channel: required for discord; set it to a channel id (a snowflake)',
    ]);
  });

  it('starts with a taxonomy that has no bug or feature_request, turning those default reactions off with a notice', () => {
    const config = load(`reasons:
  - id: billing
    label: { ja: 請求, en: Billing }
`);
    expect(config.reactions).toEqual({
      raising_hand: 'claim',
      '🙋': 'claim',
      white_check_mark: 'resolve',
      '✅': 'resolve',
      eyes: 'seen',
      '👀': 'seen',
    });
    expect(config.notices).toEqual([
      'default reactions bug 🐛 bulb 💡 are off: their reasons are not in your reasons list (set reactions: to map them)',
    ]);
  });

  it('keeps every default reaction, and says nothing, when the taxonomy has their reasons', () => {
    const config = load(null);
    expect(config.reactions).toMatchObject({ bug: 'reason:bug', bulb: 'reason:feature_request' });
    expect(config.notices).toEqual([]);
  });

  it('still refuses a reaction the user wrote that points at a reason not in the taxonomy', () => {
    const found = problems(`reasons:
  - id: billing
    label: { ja: 請求, en: Billing }
reactions:
  bug: reason:bug
`);
    expect(found).toEqual(['reactions.bug: expected reason:<id> with one of "billing", got "reason:bug"']);
  });
});
