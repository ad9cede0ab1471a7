import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { startKoe, TEST_TOKEN } from '../helpers/koe-instance.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { startFakeSlack } from '../fakes/slack/fake-slack.ts';
import { eventCallback, slashCommand } from '../fakes/slack/slack-requests.ts';
import { startBothKoe } from '../helpers/both-platforms.ts';
import { startKoeProcess } from '../helpers/koe-process.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { buildWorld } from '../platforms/discord/harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d) => (text += String(d)));
  return { stream, text: () => text };
}

describe('secrets stay secret', () => {
  it('keeps the intake token out of trace-level logs, error answers and the database', async () => {
    const logs = capture();
    const k = await startKoe(null, { LOG_LEVEL: 'trace' }, { log: createLogger('trace', logs.stream) });
    try {
      const wrong = await k.api('/api/v1/inquiries', {
        method: 'POST',
        json: { source: 'web', body: 'x' },
        headers: { authorization: `Bearer ${TEST_TOKEN}x` },
      });
      const wrongText = await wrong.text();
      const ok = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'hello' } });
      expect(ok.status).toBe(201);
      await k.koe.worker.drain();
      const dump = k.koe.db.$client.prepare('SELECT group_concat(sql) AS s FROM sqlite_master').get() as { s: string };
      const rows =
        JSON.stringify(k.koe.db.$client.prepare('SELECT * FROM inquiries').all()) +
        JSON.stringify(k.koe.db.$client.prepare('SELECT * FROM events').all());
      for (const text of [logs.text(), wrongText, dump.s, rows]) expect(text).not.toContain(TEST_TOKEN);
      expect(logs.text()).toContain('koe is listening');
    } finally {
      await k.stop();
    }
  });

  it('redacts token-shaped fields in anything logged', () => {
    const logs = capture();
    const log = createLogger('info', logs.stream);
    log.info(
      { token: 'xoxb-1', headers: { authorization: 'Bearer abc' }, config: { slack: { botToken: 'xoxb-2' } } },
      'with secrets',
    );
    expect(logs.text()).not.toMatch(/xoxb-1|xoxb-2|Bearer abc/);
    expect(logs.text()).toContain('[redacted]');
  });

  it('names a bad secret variable without echoing its value', () => {
    try {
      loadConfig({
        env: { SLACK_API_URL: 'xoxb-pasted-into-the-wrong-variable', SLACK_BOT_TOKEN: 'xoxb-real' },
        dotenv: false,
        cwd: '/nonexistent',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = String((error as Error).message);
      expect(message).toContain('SLACK_API_URL');
      expect(message).not.toContain('xoxb-pasted');
      expect(message).not.toContain('xoxb-real');
    }
  });
});

// ---- Slack and Discord credentials --------------------------------------------------------------

/** Credentials shaped like the real ones, so a partial mask (discord.js shows a token's first two parts) would show. */
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111111111-2222222222-SlackBotSecretValue0',
  SLACK_SIGNING_SECRET: 'a1b2c3d4e5f60718293a4b5c6d7e8f90-signing',
  SLACK_APP_TOKEN: 'xapp-1-A0KOE-3333333333-SlackAppSecretValue0',
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.DiscordSecretPartSecretPart0123456789',
  KOE_INTAKE_TOKEN: 'koe-intake-secret-value-0123456789',
};
/** What must never be shown: each whole credential, and the secret third part of the Discord token. */
const NEEDLES = [...Object.values(SECRETS), SECRETS.DISCORD_TOKEN.split('.')[2]!];

function leaks(haystack: string): string[] {
  return NEEDLES.filter((n) => haystack.includes(n));
}

/** Every row of every table, as text. */
function databaseDump(sqlite: Database.Database): string {
  const tables = sqlite.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table'`).all() as Array<{
    name: string;
    sql: string;
  }>;
  return tables.map((t) => `${t.sql}\n${JSON.stringify(sqlite.prepare(`SELECT * FROM "${t.name}"`).all())}`).join('\n');
}

describe('Slack and Discord credentials stay secret', () => {
  it('never shows a token or the signing secret in trace-level logs (SDKs included), errors, HTTP answers or the database', async () => {
    const logs = capture();
    const b = await startBothKoe({
      log: createLogger('trace', logs.stream),
      slack: { botToken: SECRETS.SLACK_BOT_TOKEN, appToken: SECRETS.SLACK_APP_TOKEN },
      discord: { token: SECRETS.DISCORD_TOKEN },
      env: {
        KOE_INTAKE_TOKEN: SECRETS.KOE_INTAKE_TOKEN,
        SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
        LOG_LEVEL: 'trace',
      },
    });
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
      return response.status;
    };
    const api = (path: string, json: unknown, token: string) =>
      fetch(`${b.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
    const send = (request: { body: string; contentType: string }, secret: string) => {
      const ts = Math.floor(Date.now() / 1000);
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${request.body}`).digest('hex')}`;
      return fetch(`${b.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': request.contentType,
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': signature,
        },
        body: request.body,
      });
    };
    try {
      // Wrong and right intake tokens.
      expect(
        await keep(await api('/api/v1/inquiries', { source: 'web', body: 'x' }, `${SECRETS.KOE_INTAKE_TOKEN}x`)),
      ).toBe(401);
      expect(await keep(await api('/api/v1/inquiries', { source: 'web', body: 'x' }, SECRETS.SLACK_BOT_TOKEN))).toBe(
        401,
      );
      // Slack and Discord refuse koe's calls: invalid_auth, HTTP 401.
      b.slack.fail('chat.postMessage', { kind: 'error', error: 'invalid_auth' });
      b.slack.fail('users.info', { kind: 'http', status: 401 });
      b.world.fake.failNext('POST', /^\/channels\/\d+\/messages$/, 401, 0, '401: Unauthorized', 2);
      expect(
        await keep(
          await api('/api/v1/inquiries', { source: 'web', body: 'Where is my refund?' }, SECRETS.KOE_INTAKE_TOKEN),
        ),
      ).toBe(201);
      // A forged Slack signature, a stale one, a body signed with the bot token; then a good command.
      const command = slashCommand({
        text: 'help',
        userId: 'U0ALICE',
        teamId: b.slack.teamId,
        responseUrl: b.slack.responseUrl(),
      });
      expect(await keep(await send(command, 'not-the-secret'))).toBe(401);
      expect(await keep(await send(command, SECRETS.SLACK_BOT_TOKEN))).toBe(401);
      expect(await keep(await send(command, SECRETS.SLACK_SIGNING_SECRET))).toBe(200);
      // A call whose connection drops (the SDK's error then wraps the underlying network error).
      b.slack.fail('users.info', { kind: 'hang' });
      expect(
        await keep(
          await send(
            slashCommand({ text: 'mine', userId: 'U0BOB', teamId: b.slack.teamId, responseUrl: b.slack.responseUrl() }),
            SECRETS.SLACK_SIGNING_SECRET,
          ),
        ),
      ).toBe(200);
      b.slack.releaseHung();
      await waitFor(() => logs.text().includes('slack: users.info failed'), 5_000, 'the dropped call logged');
      // An event whose handling fails (users.info answered 401) and a malformed one.
      const event = eventCallback(
        {
          type: 'reaction_added',
          user: 'U0NEWBIE',
          reaction: 'eyes',
          item: { type: 'message', channel: 'C0SUPPORT', ts: '1.2' },
        },
        { teamId: b.slack.teamId },
      );
      await keep(await send(event.request, SECRETS.SLACK_SIGNING_SECRET));
      await keep(
        await send(
          { contentType: 'application/json', body: '{"type":"event_callback"}' },
          SECRETS.SLACK_SIGNING_SECRET,
        ),
      );
      // Discord: a /koe answered through the interaction webhook.
      const rec = b.world.fake.slash(b.world.inquiries.id, { user: b.world.alice.user }, 'koe', 'help');
      await waitFor(() => rec.responses[0], 5_000, 'the Discord answer');
      await waitFor(
        () => {
          const rows = b.koe.db.$client.prepare(`SELECT status FROM deliveries`).all() as Array<{ status: string }>;
          return rows.length > 0 && rows.every((r) => r.status === 'done' || r.status === 'dead');
        },
        15_000,
        'deliveries settled',
      );
      // The Slack post refused with invalid_auth is dead-lettered at once. (After a 401, discord.js
      // drops its token for good, so the Discord deliveries fail until a restart; see docs/reliability.md.)
      expect(
        b.koe.db.$client
          .prepare(`SELECT last_error FROM deliveries WHERE status = 'dead' AND platform = 'slack'`)
          .all(),
      ).toEqual([{ last_error: 'slack: invalid_auth' }]);
    } finally {
      await b.stop().catch(() => undefined);
    }
    const logText = logs.text();
    expect(logText).toContain('slack: invalid_auth'); // the error paths did run, and were logged…
    expect(logText).toContain('slack-sdk'); // …with the SDKs' own trace output
    expect(logText).toContain('discord: debug');
    expect(logText).toContain('refused a request that failed signature verification');
    expect(leaks(logText)).toEqual([]);
    expect(leaks(answers.join('\n'))).toEqual([]);
  }, 60_000);

  it('keeps the database free of credentials', async () => {
    const b = await startBothKoe({
      slack: { botToken: SECRETS.SLACK_BOT_TOKEN },
      discord: { token: SECRETS.DISCORD_TOKEN },
      env: { KOE_INTAKE_TOKEN: SECRETS.KOE_INTAKE_TOKEN, SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET },
    });
    try {
      const res = await fetch(`${b.url}/api/v1/inquiries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRETS.KOE_INTAKE_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'web', body: 'hello', metadata: { note: 'nothing secret here' } }),
      });
      expect(res.status).toBe(201);
      await b.koe.worker.drain(10_000);
      expect(leaks(databaseDump(b.koe.db.$client))).toEqual([]);
    } finally {
      await b.stop();
    }
  }, 30_000);

  it('prints no credential when koe runs as a process at LOG_LEVEL=trace (Socket Mode and Discord), nor when it cannot start', async () => {
    const slack = await startFakeSlack({ botToken: SECRETS.SLACK_BOT_TOKEN, appToken: SECRETS.SLACK_APP_TOKEN });
    const w = await buildWorld({ token: SECRETS.DISCORD_TOKEN });
    const t = tempDir('koe-secrets-');
    try {
      writeFileSync(
        join(t.dir, 'koe.config.yaml'),
        `classifier: { enabled: false }\ndestinations:\n  - { name: s, platform: slack, channel: C0SUPPORT }\n  - { name: d, platform: discord, channel: "${w.inquiries.id}" }\n`,
      );
      const env = {
        ...SECRETS,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_API_URL: w.fake.apiUrl,
        DISCORD_APPLICATION_ID: w.fake.applicationId,
        DATABASE_URL: join(t.dir, 'koe.db'),
        LOG_LEVEL: 'trace',
      };
      const koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: SECRETS.KOE_INTAKE_TOKEN });
      expect((await koe.api('/api/v1/inquiries', { source: 'web', body: 'traced' })).status).toBe(201);
      await waitFor(
        () => slack.okCallsTo('chat.postMessage').length === 1 && w.fake.messagesIn(w.inquiries.id).length === 1,
        15_000,
        'both mirrors',
      );
      expect(slack.socketCount()).toBe(1); // Socket Mode, with the app token
      expect((await koe.kill('SIGTERM')).code).toBe(0);
      expect(koe.output()).toContain('Socket Mode connected');
      expect(leaks(koe.output())).toEqual([]);

      // Wrong credentials: Slack answers invalid_auth, Discord closes the gateway with 4004.
      for (const wrong of [
        {
          ...env,
          SLACK_BOT_TOKEN: `${SECRETS.SLACK_BOT_TOKEN}-revoked`,
          SLACK_APP_TOKEN: `${SECRETS.SLACK_APP_TOKEN}-revoked`,
        },
        { ...env, DISCORD_TOKEN: `${SECRETS.DISCORD_TOKEN}x` },
      ]) {
        const failed = await runCli(['start'], { cwd: t.dir, env: { ...wrong, PORT: '0', HOST: '127.0.0.1' } });
        expect(failed.code).not.toBe(0);
        // The start error names the setting to fix (koe doctor's words), not a stack from the SDK.
        expect(`${failed.stdout}${failed.stderr}`).toMatch(
          /(Slack|Discord) refused (SLACK_BOT_TOKEN|SLACK_APP_TOKEN|DISCORD_TOKEN)/,
        );
        expect(leaks(`${failed.stdout}\n${failed.stderr}`)).toEqual([]);
        expect(`${failed.stdout}${failed.stderr}`).not.toContain(wrong.SLACK_BOT_TOKEN);
        expect(`${failed.stdout}${failed.stderr}`).not.toContain(wrong.DISCORD_TOKEN);
      }
    } finally {
      await slack.close();
      await w.fake.close();
      t.cleanup();
    }
  }, 90_000);
});
