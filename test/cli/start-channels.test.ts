import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/slack/fake-slack.ts';
import { startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * `koe start` with a destination channel koe is not in: once it runs, the log names the channel
 * and the fix (and that its deliveries wait), without a stack, and koe keeps running.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const messages = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string; check?: string });

describe('koe start, when koe is not in a configured channel', () => {
  it('warns with the channel and the fix once it runs, and keeps running', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const slack = await startFakeSlack();
    cleanups.push(() => slack.close());
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      'destinations:\n  - { name: support, platform: slack, channel: C0SUPPORT }\n',
    );
    // The start's channel check reads the channel once; the fault answers that read.
    slack.fail('conversations.history', { kind: 'error', error: 'not_in_channel' });
    const koe = startCli({
      cwd: t.dir,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: 'signing-secret',
        SLACK_API_URL: slack.apiUrl,
      },
    });
    cleanups.push(() => koe.child.kill('SIGKILL'));
    const warning = () => messages(koe.output()).find((m) => m.check?.startsWith('slack channel C0SUPPORT'));
    await waitFor(() => warning() !== undefined, 30_000, 'the channel warning');
    expect(warning()).toMatchObject({
      level: 40,
      check: 'slack channel C0SUPPORT (destination "support")',
      msg: 'koe is not a member of C0SUPPORT: invite it: type /invite @koe in C0SUPPORT (its deliveries wait until then; npx koe doctor checks it)',
    });
    expect(koe.output()).not.toMatch(/\n\s+at /);
    koe.child.kill('SIGTERM');
    const [code] = await once(koe.child, 'exit');
    expect(code).toBe(0);
  }, 60_000);
});
