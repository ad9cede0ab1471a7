import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_SCOPES, startFakeSlack } from '../fakes/slack/fake-slack.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * What a team meets on its first day, as real `koe start` and `koe doctor` processes against the
 * fake Slack: each mistake ends in the one sentence that names the setting and the fix, and no
 * stack trace is printed.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const STACK = /\n\s+at |TypeError|WebAPIPlatformError|EADDRINUSE/;

async function slackSetup(fakeOptions: Parameters<typeof startFakeSlack>[0] = {}) {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const slack = await startFakeSlack(fakeOptions);
  cleanups.push(() => slack.close());
  writeFileSync(
    join(t.dir, 'koe.config.yaml'),
    'destinations:\n  - { name: support, platform: slack, channel: C0SUPPORT }\n',
  );
  const env = (over: Record<string, string> = {}) => ({
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_API_URL: slack.apiUrl,
    ...over,
  });
  return { dir: t.dir, slack, env };
}

/** A port something else holds, and a closed one (nothing listens there). */
async function heldPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { port: (server.address() as { port: number }).port, server };
}
async function closedPort(): Promise<number> {
  const { port, server } = await heldPort();
  await new Promise((r) => server.close(r));
  return port;
}

const messages = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string });

describe('koe start, when a person got something wrong', () => {
  it('names SLACK_BOT_TOKEN and where to copy it when Slack answers invalid_auth', async () => {
    const { dir, env } = await slackSetup();
    const result = await runCli(['start'], { cwd: dir, env: env({ SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' }) });
    expect(result.code).toBe(1);
    expect(
      messages(result.stdout)
        .filter((m) => m.level >= 50)
        .map((m) => m.msg),
    ).toEqual([
      'Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at https://api.slack.com/apps into SLACK_BOT_TOKEN, and reinstall the app to the workspace if it was revoked',
    ]);
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('says an app-level token is in SLACK_BOT_TOKEN before calling Slack', async () => {
    const { dir, env, slack } = await slackSetup();
    const result = await runCli(['start'], { cwd: dir, env: env({ SLACK_BOT_TOKEN: 'xapp-1-A0-123-abc' }) });
    expect(result.code).toBe(1);
    expect(
      messages(result.stdout)
        .filter((m) => m.level >= 50)
        .map((m) => m.msg),
    ).toEqual([
      'SLACK_BOT_TOKEN holds an app-level token (xapp-…): put that one in SLACK_APP_TOKEN, and set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at https://api.slack.com/apps',
    ]);
    expect(slack.calls).toEqual([]);
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('names PORT and --port when the port is taken', async () => {
    const { dir, env } = await slackSetup();
    const { port } = await heldPort();
    const result = await runCli(['start', '--port', String(port)], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    expect(
      messages(result.stdout)
        .filter((m) => m.level >= 50)
        .map((m) => m.msg),
    ).toEqual([
      `port ${port} is already in use: stop what is listening there, or set PORT (or pass --port) to a free port, e.g. PORT=${port + 1}`,
    ]);
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('names DATABASE_URL when the database cannot be written', async () => {
    const { dir, env } = await slackSetup();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const result = await runCli(['start'], { cwd: dir, env: env({ DATABASE_URL: './not-a-dir/koe.db' }) });
    expect(result.code).toBe(1);
    expect(
      messages(result.stdout)
        .filter((m) => m.level >= 50)
        .map((m) => m.msg),
    ).toEqual([
      `cannot write the database at ${join(dir, 'not-a-dir/koe.db')} (${join(dir, 'not-a-dir')} is a file, not a directory): set DATABASE_URL to a file in a directory koe can write, e.g. DATABASE_URL=./data/koe.db`,
    ]);
  }, 60_000);

  it('keeps serving when Slack is unreachable, says so and when it tries again, and says "stopped" at the end', async () => {
    const { dir, env } = await slackSetup();
    const closed = await closedPort();
    const koe = startCli({ cwd: dir, env: env({ SLACK_API_URL: `http://127.0.0.1:${closed}/api/` }) });
    cleanups.push(() => koe.child.kill('SIGKILL'));
    await waitFor(() => koe.output().includes('"msg":"koe is listening"'), 30_000, 'koe to listen');
    expect(messages(koe.output()).map((m) => m.msg)).toContain(
      'Slack is unreachable (ECONNREFUSED); koe keeps taking inquiries and tries again in 2 s',
    );
    koe.child.kill('SIGTERM');
    const [code] = await once(koe.child, 'exit');
    expect(code).toBe(0);
    expect(messages(koe.output()).at(-1)?.msg).toBe('koe stopped');
    expect(koe.output()).not.toMatch(STACK);
  }, 60_000);
});

describe('koe doctor', () => {
  it('passes, exit 0, when tokens, scopes and channels are right; shows the digests’ next runs', async () => {
    const { dir, env } = await slackSetup();
    writeFileSync(
      join(dir, 'koe.config.yaml'),
      'destinations:\n  - { name: support, platform: slack, channel: C0SUPPORT }\ndigests:\n  - { platform: slack, channel: C0SUPPORT }\n',
    );
    const result = await runCli(['doctor'], { cwd: dir, env: env() });
    expect(result.stdout).toContain('✓ slack bot token: valid: @koe in koe test (T0KOE)\n');
    expect(result.stdout).toContain('✓ slack scopes: every scope in slack-app-manifest.yaml is granted\n');
    expect(result.stdout).toContain(
      '✓ slack channel C0SUPPORT (destination "support", digest "day-slack-C0SUPPORT"): koe is a member of C0SUPPORT and can post\n',
    );
    expect(result.stdout).toMatch(
      /✓ digest "day-slack-C0SUPPORT": "0 9 \* \* \*" next runs at \d{4}-\d\d-\d\d 09:00 \(Asia\/Tokyo\)\n/,
    );
    expect(result.stdout).toContain('\nall checks passed\n');
    expect(result.code).toBe(0);
  }, 60_000);

  it('fails on invalid_auth with the fix', async () => {
    const { dir, env } = await slackSetup();
    const result = await runCli(['doctor'], { cwd: dir, env: env({ SLACK_BOT_TOKEN: 'xoxb-wrong' }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ slack bot token: Slack refused SLACK_BOT_TOKEN (invalid_auth)\n    fix: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at https://api.slack.com/apps into SLACK_BOT_TOKEN, and reinstall the app to the workspace if it was revoked\n',
    );
    expect(result.stdout + result.stderr).not.toMatch(STACK);
  }, 60_000);

  it('fails when the bot is not in a destination channel (not_in_channel), and says how to invite it', async () => {
    const { dir, env, slack } = await slackSetup();
    // The child's doctor reads the channel once; the fault answers that read.
    slack.fail('conversations.history', { kind: 'error', error: 'not_in_channel' });
    const result = await runCli(['doctor'], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '✗ slack channel C0SUPPORT (destination "support"): koe is not a member of C0SUPPORT\n    fix: invite it: type /invite @koe in C0SUPPORT\n',
    );
  }, 60_000);

  it('fails when the token lacks a scope the manifest asks for', async () => {
    const { dir, env } = await slackSetup({ scopes: MANIFEST_SCOPES.filter((s) => s !== 'users:read') });
    const result = await runCli(['doctor'], { cwd: dir, env: env() });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ slack scopes: the bot token lacks users:read\n');
    expect(result.stdout).toContain('then reinstall the app to the workspace');
  }, 60_000);

  it('fails, without a stack, when Slack is unreachable or the port is taken', async () => {
    const { dir, env } = await slackSetup();
    const closed = await closedPort();
    const { port } = await heldPort();
    const result = await runCli(['doctor', '--port', String(port)], {
      cwd: dir,
      env: env({ SLACK_API_URL: `http://127.0.0.1:${closed}/api/` }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`✗ port: port ${port} is already in use\n`);
    expect(result.stdout).toContain(
      `✗ slack: Slack's API at http://127.0.0.1:${closed}/api/ is unreachable (ECONNREFUSED)\n`,
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
