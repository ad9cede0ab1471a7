import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.ts';
import { eventCallback, sendSigned, slashCommand } from '../fakes/slack/slack-requests.ts';
import { startKoeProcess, type KoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { addPeople, ALICE, CUSTOMER, CUSTOMERS, SUPPORT } from '../platforms/slack/harness.ts';

/**
 * A reply to a Slack customer across kill -9: `node bin/koe.js start` as a child process against the
 * fake Slack, killed with SIGKILL while the reply waits out its undo window, or while Slack holds
 * the answer to the chat.postMessage that carries it (the reply landed; koe never heard), then
 * started again on the same SQLite file. The reply is in the customer's thread exactly once and
 * its message ends 'sent'.
 */

const TOKEN = 'slack-reply-crash-intake-token-0123456789';
const SECRET = 'slack-reply-crash-signing-secret';

const yaml = (undoSeconds: number) => `
locale: en
timezone: Asia/Tokyo
classifier: { enabled: false }
# The restarted koe takes over the killed one's attempt once its lease has run out.
delivery: { leaseMs: 1500 }
slack: { paceMs: 0 }
destinations:
  - { name: support, platform: slack, channel: ${SUPPORT} }
sources:
  - { platform: slack, channel: ${CUSTOMERS} }
replies: { undoSeconds: ${undoSeconds} }
`;

let fake: FakeSlack | undefined;
let koe: KoeProcess | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.kill('SIGKILL');
  await fake?.close();
  cleanup?.();
  fake = koe = cleanup = undefined;
});

async function start(dir: string, f: FakeSlack): Promise<KoeProcess> {
  return startKoeProcess({
    cwd: dir,
    intakeToken: TOKEN,
    env: {
      DATABASE_URL: join(dir, 'koe.db'),
      KOE_INTAKE_TOKEN: TOKEN,
      SLACK_BOT_TOKEN: f.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: f.apiUrl,
      LOG_LEVEL: 'info',
    },
  });
}

/** The customer writes in #customers; koe hears it and mirrors it. Resolves with the message ts and the inquiry id. */
async function customerWrites(f: FakeSlack, target: KoeProcess): Promise<{ ts: string; id: number }> {
  const stored = f.addMessage(CUSTOMERS, { user: CUSTOMER, text: 'My export is empty' });
  const { request } = eventCallback(
    { type: 'message', channel: CUSTOMERS, channel_type: 'channel', user: CUSTOMER, text: stored.text, ts: stored.ts },
    { teamId: f.teamId, botUserId: f.botUserId },
  );
  expect((await sendSigned(`${target.url}/slack/events`, request, { secret: SECRET })).status).toBe(200);
  const mirror = await waitFor(
    () => f.okCallsTo('chat.postMessage').find((c) => c.params.channel === SUPPORT && !c.params.thread_ts),
    15_000,
    'the mirror',
  );
  return { ts: stored.ts, id: Number(mirror.params.metadata.event_payload.inquiry_id) };
}

async function replyCommand(f: FakeSlack, target: KoeProcess, id: number, text: string): Promise<void> {
  const request = slashCommand({
    text: `reply ${id} ${text}`,
    userId: ALICE,
    teamId: f.teamId,
    channelId: SUPPORT,
    responseUrl: f.responseUrl(),
  });
  expect((await sendSigned(`${target.url}/slack/events`, request, { secret: SECRET })).status).toBe(200);
}

const repliesIn = (f: FakeSlack, threadTs: string) =>
  f.replies(CUSTOMERS, threadTs).filter((m) => m.metadata?.event_type === 'koe_reply');
/** The reply's state as the API tells it, or null while koe does not answer. */
async function replyState(target: KoeProcess, id: number): Promise<string | null> {
  const response = await target.api(`/api/v1/inquiries/${id}`).catch(() => null);
  if (!response?.ok) return null;
  const detail = (await response.json()) as { messages: Array<{ reply?: { state: string } }> };
  return detail.messages.find((m) => m.reply)?.reply?.state ?? null;
}

describe('a Slack reply across kill -9', () => {
  it('is sent once when koe is killed while Slack holds the answer to the post that carries it', async () => {
    fake = await startFakeSlack();
    const f = fake;
    addPeople(f);
    const t = tempDir('koe-slack-reply-crash-');
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.config.yaml'), yaml(0));
    koe = await start(t.dir, f);
    const { ts, id } = await customerWrites(f, koe);

    // Slack takes the reply but never answers; koe is killed while it waits.
    f.failIn('chat.postMessage', CUSTOMERS, { kind: 'hang' });
    await replyCommand(f, koe, id, 'We found the cause; a fix is out.');
    await waitFor(() => f.hungCount() === 1 || null, 15_000, 'the reply post held in flight');
    expect(repliesIn(f, ts)).toHaveLength(1); // it landed
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');
    f.releaseHung();

    koe = await start(t.dir, f);
    const again = koe;
    await waitFor(async () => (await replyState(again, id)) === 'sent' || null, 30_000, "the reply recorded as 'sent'");
    // The restarted koe looked in the customer's thread and found it, rather than posting again.
    expect(f.okCallsTo('conversations.replies').some((c) => c.params.ts === ts)).toBe(true);
    const replies = repliesIn(f, ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.blocks)).toContain('We found the cause; a fix is out.');
    expect(f.callsTo('chat.postMessage').filter((c) => c.params.channel === CUSTOMERS)).toHaveLength(1);
    expect(f.blockKitProblems).toEqual([]);
  }, 90_000);

  it('is sent once when koe is killed between queuing the reply and sending it', async () => {
    fake = await startFakeSlack();
    const f = fake;
    addPeople(f);
    const t = tempDir('koe-slack-reply-crash-');
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.config.yaml'), yaml(0));
    koe = await start(t.dir, f);
    const first = koe;
    const { ts, id } = await customerWrites(f, koe);

    // Slack is down for the customer's channel (503, nothing posted): the reply stays queued.
    f.failIn('chat.postMessage', CUSTOMERS, { kind: 'http', status: 503 }, 10_000);
    await replyCommand(f, koe, id, 'Thanks for waiting.');
    await waitFor(
      () => f.callsTo('chat.postMessage').some((c) => c.params.channel === CUSTOMERS) || null,
      15_000,
      'an attempt at the reply',
    );
    expect(await replyState(first, id)).toBe('queued');
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');
    expect(repliesIn(f, ts)).toEqual([]);
    f.clearFaults('chat.postMessage');

    koe = await start(t.dir, f);
    const again = koe;
    await waitFor(async () => (await replyState(again, id)) === 'sent' || null, 30_000, "the reply recorded as 'sent'");
    const replies = repliesIn(f, ts);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.blocks)).toContain('Thanks for waiting.');
    expect(f.blockKitProblems).toEqual([]);
  }, 90_000);
});
