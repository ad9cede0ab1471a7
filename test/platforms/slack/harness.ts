import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { loadTestConfig, QUICK_OUTBOX, type JsonResponse } from '../../helpers/koe-instance.ts';
import { silentLogger, type Logger } from '../../../src/lib/logger.ts';
import { inboundEvents } from '../../../src/storage/schema/index.ts';
import { createKoe, type Koe, type KoeOptions } from '../../../src/wire.ts';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/fake-slack.ts';
import {
  blockAction,
  eventCallback,
  sendSigned,
  slashCommand,
  type SignOptions,
  type SlackRequest,
} from '../../fakes/slack/slack-requests.ts';
import { tempDir } from '../../helpers/temp-db.ts';
import { waitFor } from '../../helpers/wait-for.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const INTAKE_TOKEN = 'test-intake-token-slack-0123456789';

/** Channels of the default test config. */
export const SUPPORT = 'C0SUPPORT';
export const BUGS = 'C0BUGS';
export const CUSTOMERS = 'C0CUSTOMERS';
export const RANDOM = 'C0RANDOM';

/** People in the fake workspace: three staff, a Slack Connect customer, a guest, a bot. */
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const CAROL = 'U0CAROL';
export const CUSTOMER = 'U0CUST';
export const GUEST = 'U0GUEST';
export const OTHER_BOT = 'U0OTHERBOT';

export const DEFAULT_YAML = `
locale: en
timezone: Asia/Tokyo
destinations:
  - name: support
    platform: slack
    channel: ${SUPPORT}
  - name: bugs
    platform: slack
    channel: ${BUGS}
    reasons: [bug]
sources:
  - platform: slack
    channel: ${CUSTOMERS}
    joinWindowMinutes: 5
`;

export interface SlackKoe {
  fake: FakeSlack;
  koe: Koe;
  url: string;
  dir: string;
  /** The intake API, with the token. */
  api(path: string, json?: unknown, method?: string): Promise<JsonResponse>;
  /** A signed request to koe's `/slack/events`. */
  send(request: SlackRequest, sign?: Partial<SignOptions>): Promise<Response>;
  /** Sends an Events API event, signed; returns the response and the event id. */
  sendEvent(
    event: Record<string, unknown>,
    options?: { eventId?: string; sign?: Partial<SignOptions> },
  ): Promise<{ response: Response; eventId: string }>;
  /** `/koe <text>` from `userId`; resolves with the HTTP response (the ephemeral answer is its body). */
  command(text: string, userId: string, options?: { channelId?: string; responseUrl?: string }): Promise<Response>;
  /** A click on a mirror's button or select. */
  click(options: {
    userId: string;
    channel: string;
    messageTs: string;
    threadTs?: string;
    action: Record<string, unknown>;
    userTeamId?: string;
  }): Promise<Response>;
  /** Stops koe (not the fake) and starts a new koe on the same database, as after a crash or deploy. */
  restart(overrides?: { yaml?: string; options?: Partial<KoeOptions> }): Promise<void>;
  /** Nothing pending in the outbox. */
  drain(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  yaml?: string;
  env?: Record<string, string>;
  options?: Partial<KoeOptions>;
  fake?: FakeSlack;
  log?: Logger;
}

/** Seeds the fake workspace's users. */
export function addPeople(fake: FakeSlack): void {
  fake.addUser({ id: ALICE, name: 'alice', profile: { display_name: 'Alice' } });
  fake.addUser({ id: BOB, name: 'bob', profile: { display_name: 'Bob' } });
  fake.addUser({ id: CAROL, name: 'carol', profile: { display_name: 'Carol' } });
  fake.addUser({
    id: CUSTOMER,
    name: 'cust',
    team_id: 'T0ACME',
    is_stranger: true,
    profile: { display_name: 'Acme Customer' },
  });
  fake.addUser({ id: GUEST, name: 'guest', is_restricted: true, profile: { display_name: 'Guest Customer' } });
  fake.addUser({ id: OTHER_BOT, name: 'otherbot', is_bot: true });
}

/**
 * Starts a fake Slack (unless given one) and a real koe wired by `createKoe` against it: a temp
 * SQLite file, HTTP on 127.0.0.1:0, Slack in HTTP mode with a signing secret. Pacing is 0 so tests
 * are quick; a test about pacing sets it.
 */
export async function startSlackKoe(start: StartOptions = {}): Promise<SlackKoe> {
  const fake = start.fake ?? (await startFakeSlack());
  if (!start.fake) addPeople(fake);
  const { dir, cleanup } = tempDir('koe-slack-');
  const configPath = join(dir, 'koe.config.yaml');
  const env = (yaml: string) => {
    writeFileSync(configPath, yaml);
    return loadTestConfig(dir, {
      KOE_INTAKE_TOKEN: INTAKE_TOKEN,
      KOE_CONFIG: configPath,
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ...start.env,
    });
  };
  const boot = async (yaml: string, options: Partial<KoeOptions>) => {
    const koe = await createKoe(env(yaml), {
      log: start.log ?? silentLogger(),
      consoleOut: new PassThrough(),
      outbox: QUICK_OUTBOX,
      slack: { paceMs: 0 },
      ...options,
    });
    try {
      const { port } = await koe.start();
      return { koe, url: `http://127.0.0.1:${port}` };
    } catch (error) {
      await koe.stop().catch(() => undefined);
      throw error;
    }
  };

  let yaml = start.yaml ?? DEFAULT_YAML;
  let options = start.options ?? {};
  let running: { koe: Koe; url: string };
  try {
    running = await boot(yaml, options);
  } catch (error) {
    if (!start.fake) await fake.close();
    cleanup();
    throw error;
  }

  const harness: SlackKoe = {
    fake,
    get koe() {
      return running.koe;
    },
    get url() {
      return running.url;
    },
    dir,
    async api(path, json, method) {
      return fetch(`${running.url}${path}`, {
        method: method ?? (json === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${INTAKE_TOKEN}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }) as Promise<JsonResponse>;
    },
    send(request, sign = {}) {
      return sendSigned(`${running.url}/slack/events`, request, { secret: SIGNING_SECRET, ...sign });
    },
    async sendEvent(event, o = {}) {
      const { eventId, request } = eventCallback(event, {
        teamId: fake.teamId,
        botUserId: fake.botUserId,
        eventId: o.eventId,
      });
      return { response: await harness.send(request, o.sign), eventId };
    },
    command(text, userId, o = {}) {
      return harness.send(
        slashCommand({
          text,
          userId,
          teamId: fake.teamId,
          channelId: o.channelId,
          responseUrl: o.responseUrl ?? fake.responseUrl(),
        }),
      );
    },
    click(o) {
      return harness.send(blockAction({ teamId: fake.teamId, responseUrl: fake.responseUrl(), ...o }));
    },
    async restart(overrides = {}) {
      await running.koe.stop();
      yaml = overrides.yaml ?? yaml;
      options = overrides.options ?? options;
      running = await boot(yaml, options);
    },
    drain: (timeoutMs = 10_000) => running.koe.worker.drain(timeoutMs),
    async stop() {
      await running.koe.stop();
      if (!start.fake) await fake.close();
      cleanup();
    },
  };
  return harness;
}

/** POST /api/v1/inquiries with a minimal valid body. */
export async function intake(k: SlackKoe, body: Record<string, unknown> = {}): Promise<any> {
  const response = await k.api('/api/v1/inquiries', {
    source: 'web',
    customer: { name: 'Hanako Yamada', email: 'hanako@example.com' },
    subject: 'Cannot log in',
    body: 'I reset my password and still cannot log in.',
    ...body,
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`intake answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Takes an inquiry in through the API (reason how_to unless given) and waits for its mirror in #support. */
export async function mirroredInquiry(
  k: SlackKoe,
  body: Record<string, unknown> = {},
): Promise<{ id: number; ts: string }> {
  const created = await intake(k, { reason: 'how_to', ...body });
  await k.drain();
  const post = await waitFor(
    () =>
      k.fake
        .okCallsTo('chat.postMessage')
        .find((c) => c.params.metadata?.event_payload?.inquiry_id === created.id && c.params.channel === SUPPORT),
    10_000,
    'the mirror post',
  );
  return { id: created.id, ts: post.response!.ts };
}

/** The `message` event Slack sends when `user` has posted `message` (as the fake stored it) in `channel`. */
export function messageEvent(
  channel: string,
  user: string,
  message: { text?: string; ts: string },
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'message', channel, channel_type: 'channel', user, text: message.text, ts: message.ts, ...fields };
}

/**
 * `user` posts `text` in #customers (the source channel): the fake stores the message, and koe gets
 * its `message` event, signed, as Slack would deliver it; koe must answer 200.
 */
export async function postInSource(
  k: SlackKoe,
  user: string,
  text: string,
  extra: { thread_ts?: string; subtype?: string; bot_id?: string; eventId?: string } = {},
) {
  const { eventId, ...fields } = extra;
  const stored = k.fake.addMessage(CUSTOMERS, {
    user,
    text,
    ...(fields.thread_ts && { thread_ts: fields.thread_ts }),
    ...(fields.bot_id && { bot_id: fields.bot_id }),
  });
  const { response } = await k.sendEvent(messageEvent(CUSTOMERS, user, { text, ts: stored.ts }, fields), { eventId });
  expect(response.status).toBe(200);
  return stored;
}

/** The keys koe recorded for the inbound events it took (`slack:<event id>`), in the order it took them. */
export function inboundEventKeys(k: SlackKoe): string[] {
  return k.koe.db
    .select()
    .from(inboundEvents)
    .all()
    .map((r) => r.key);
}
