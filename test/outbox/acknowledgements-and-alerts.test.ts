import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, createInquiry } from '../../src/core/inquiries/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { ChannelUnavailableError } from '../../src/platforms/delivery-errors.ts';
import type { AcknowledgementDelivery, PostedMessage, ReplySender, Sender } from '../../src/platforms/types.ts';
import { createOutboxQueue } from '../../src/storage/outbox-store.ts';
import { deliveries } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';

/**
 * The kinds that are not an inquiry's mirror: a new inquiry's acknowledgement to its customer (through
 * the customer channel's ReplySender), an SLA alert line in a team channel, and a thread message that
 * mentions someone. Each is sent once, found again after an attempt whose answer was lost, and
 * dead-lettered with its reason when it cannot be delivered.
 */

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

type Fate = Error | 'land-then-fail' | null;

/** A customer channel that acknowledges: what it sent and looked up, by delivery id, with scripted failures. */
function ackChannel(options: { find?: boolean; paceMs?: number } = {}) {
  const sent: Array<{ deliveryId: number; channel: string; inquiryId: number }> = [];
  const byDelivery = new Map<number, PostedMessage>();
  const lookups: Array<AcknowledgementDelivery & { sinceMs: number }> = [];
  let fates: Fate[] = [];
  const sender: ReplySender = {
    paceMs: () => options.paceMs ?? 0,
    sendReply: async () => {
      throw new Error('no reply is sent in these tests');
    },
    findSentReply: async () => null,
    async sendAcknowledgement(req) {
      const fate = fates.shift() ?? null;
      if (fate instanceof Error) throw fate;
      sent.push({ deliveryId: req.deliveryId, channel: req.channel, inquiryId: req.view.inquiry.id });
      const posted = { messageRef: `ack-${sent.length}` };
      byDelivery.set(req.deliveryId, posted);
      if (fate === 'land-then-fail') throw new Error('socket hang up');
      return posted;
    },
    ...(options.find !== false && {
      async findSentAcknowledgement(req: AcknowledgementDelivery & { sinceMs: number }) {
        lookups.push(req);
        return byDelivery.get(req.deliveryId) ?? null;
      },
    }),
  };
  return { sender, sent, lookups, script: (...next: Fate[]) => (fates = [...fates, ...next]) };
}

interface SetupOptions {
  replySenders?: Partial<Record<string, ReplySender>>;
  team?: Sender;
  acknowledge?: boolean;
}

function setup(options: SetupOptions = {}) {
  t = tempDb();
  const clock = manualClock();
  const chat = recordingSender({ platform: 'slack', now: clock.now });
  const ctx = coreContext(t.db, {
    now: clock.now,
    routes: [{ name: 'team', platform: 'slack', channel: 'C0TEAM' }],
    ...(options.acknowledge !== false && {
      acknowledge: () => ({ platform: 'email', channel: 'customer@example.com' }),
    }),
  });
  const worker = createOutboxWorker({
    db: t.db,
    senders: { slack: options.team ?? chat.sender },
    replySenders: options.replySenders ?? {},
    log: silentLogger(),
    now: clock.now,
    pollMs: 5,
    maxAttempts: 3,
    // A transient failure is retried at once: these tests are about what each attempt does.
    backoff: { baseMs: 0, capMs: 0 },
  });
  workers.push(worker);
  const create = (body = 'パスワードを忘れました') => {
    const out = createInquiry(ctx, { source: 'web', body });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  return { ctx, clock, chat, worker, create };
}

const rows = () => t.db.select().from(deliveries).orderBy(deliveries.id).all();
const rowsOf = (kind: string) => rows().filter((r) => r.kind === kind);

describe('acknowledgements through the outbox', () => {
  it('sends one to the customer channel the row names, without looking for an earlier one', async () => {
    const channel = ackChannel();
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    const id = create();
    worker.start();
    await worker.drain();
    const [ack] = rowsOf('acknowledge');
    expect(channel.sent).toEqual([{ deliveryId: ack!.id, channel: 'customer@example.com', inquiryId: id }]);
    expect(channel.lookups).toEqual([]);
    expect(ack).toMatchObject({ status: 'done', attempts: 1, lastError: null });
  });

  it('finds an acknowledgement whose answer was lost, from a minute before it was queued, and sends none again', async () => {
    const channel = ackChannel();
    channel.script('land-then-fail');
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    const id = create();
    worker.start();
    await worker.drain();
    const [ack] = rowsOf('acknowledge');
    expect(channel.sent).toHaveLength(1);
    expect(channel.lookups).toMatchObject([
      { deliveryId: ack!.id, channel: 'customer@example.com', sinceMs: ack!.createdAt - 60_000 },
    ]);
    expect(channel.lookups[0]!.view.inquiry.id).toBe(id);
    expect(ack).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('sends again after a failure that did not land, when the look-up finds nothing', async () => {
    const channel = ackChannel();
    channel.script(new Error('connection refused'));
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    create();
    worker.start();
    await worker.drain();
    expect(channel.lookups).toHaveLength(1);
    expect(channel.sent).toHaveLength(1);
    expect(rowsOf('acknowledge')[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('sends again after a lost answer when the channel cannot look (no findSentAcknowledgement)', async () => {
    const channel = ackChannel({ find: false });
    channel.script(new Error('connection refused'));
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    create();
    worker.start();
    await worker.drain();
    expect(channel.sent).toHaveLength(1);
    expect(rowsOf('acknowledge')[0]).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('dead-letters at once, with the reason, when no channel can acknowledge', async () => {
    const { sendAcknowledgement: _none, ...replyOnly } = ackChannel().sender;
    for (const replySenders of [{}, { email: replyOnly }]) {
      const { worker, create } = setup({ replySenders });
      create();
      worker.start();
      await worker.drain();
      expect(rowsOf('acknowledge')[0]).toMatchObject({
        status: 'dead',
        attempts: 1,
        lastError: 'no way to acknowledge through "email" is configured',
      });
      // The mirror went as usual: a dead acknowledgement holds up nothing else.
      expect(rowsOf('post')[0]).toMatchObject({ status: 'done' });
      await worker.stop();
      t.cleanup();
    }
    t = tempDb(); // for afterEach
  });

  it('dead-letters an acknowledgement of an inquiry that does not exist', async () => {
    const channel = ackChannel();
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    create();
    create();
    const [first, second] = rowsOf('acknowledge');
    t.db.update(deliveries).set({ inquiryId: 999 }).where(eq(deliveries.id, first!.id)).run();
    t.db.update(deliveries).set({ inquiryId: null }).where(eq(deliveries.id, second!.id)).run();
    worker.start();
    await worker.drain();
    expect(rowsOf('acknowledge').map((r) => [r.status, r.lastError])).toEqual([
      ['dead', 'inquiry 999 does not exist'],
      ['dead', 'inquiry null does not exist'],
    ]);
    expect(channel.sent).toEqual([]);
  });

  it('fails at once when the customer channel is unavailable, instead of holding it like a team channel', async () => {
    const channel = ackChannel();
    channel.script(new ChannelUnavailableError('mailbox unavailable'));
    const { worker, create } = setup({ replySenders: { email: channel.sender } });
    create();
    worker.start();
    await worker.drain();
    expect(rowsOf('acknowledge')[0]).toMatchObject({ status: 'dead', attempts: 1, lastError: 'mailbox unavailable' });
    expect(channel.sent).toEqual([]);
  });
});

describe('alert lines through the outbox', () => {
  const queueAlert = (payload: unknown, channel = 'C0ALERTS') =>
    createOutboxQueue(t.db).enqueue(
      [{ kind: 'alert', inquiryId: null, destination: 'sla-alerts', platform: 'slack', channel, payload }],
      Date.parse('2026-11-20T00:00:00Z'),
    );

  /** The team's chat with postAlert: each line it posted, by delivery id. */
  function alertingChat(chat: ReturnType<typeof recordingSender>) {
    const lines: Array<{ deliveryId: number; channel: string; text: string }> = [];
    let landThenFail = 0;
    const sender: Sender = {
      ...chat.sender,
      async postAlert(req) {
        lines.push(req);
        const posted = { messageRef: `alert-${lines.length}` };
        chat.posted.set(req.deliveryId, posted); // what findDelivered finds
        if (landThenFail-- > 0) throw new Error('socket hang up');
        return posted;
      },
    };
    return { sender, lines, loseNextAnswer: () => (landThenFail = 1) };
  }

  it('posts its text to its channel once, without looking for an earlier line', async () => {
    const base = recordingSender({ platform: 'slack' });
    const alerts = alertingChat(base);
    const { worker } = setup({ team: alerts.sender, acknowledge: false });
    queueAlert({ text: '#1 の初回応答期限が過ぎました' });
    worker.start();
    await worker.drain();
    const [row] = rows();
    expect(alerts.lines).toEqual([{ deliveryId: row!.id, channel: 'C0ALERTS', text: '#1 の初回応答期限が過ぎました' }]);
    expect(base.lookups).toEqual([]);
    expect(row).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('finds a line whose answer was lost, from a minute before it was queued, and posts it once', async () => {
    const base = recordingSender({ platform: 'slack' });
    const alerts = alertingChat(base);
    alerts.loseNextAnswer();
    const { worker } = setup({ team: alerts.sender, acknowledge: false });
    queueAlert({ text: 'breached' });
    worker.start();
    await worker.drain();
    const [row] = rows();
    expect(alerts.lines).toHaveLength(1);
    expect(base.lookupRequests).toEqual([
      { deliveryId: row!.id, kind: 'alert', channel: 'C0ALERTS', mirror: null, sinceMs: row!.createdAt - 60_000 },
    ]);
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('posts an uncertain line that the look-up did not find', async () => {
    const base = recordingSender({ platform: 'slack' });
    const alerts = alertingChat(base);
    const { worker } = setup({ team: alerts.sender, acknowledge: false });
    queueAlert({ text: 'breached' });
    t.db.update(deliveries).set({ lastError: 'socket hang up' }).run(); // retried from the CLI
    worker.start();
    await worker.drain();
    expect(base.lookups).toEqual([rows()[0]!.id]);
    expect(alerts.lines.map((l) => l.text)).toEqual(['breached']);
  });

  it('dead-letters a line without text, and one for a sender that cannot post alert lines', async () => {
    const base = recordingSender({ platform: 'slack' });
    const alerts = alertingChat(base);
    const { worker } = setup({ team: alerts.sender, acknowledge: false });
    queueAlert({ text: 42 });
    queueAlert(undefined);
    queueAlert({ text: 'ok' });
    worker.start();
    await worker.drain();
    expect(rows().map((r) => [r.status, r.lastError])).toEqual([
      ['dead', 'alert delivery without text'],
      ['dead', 'alert delivery without text'],
      ['done', null],
    ]);
    expect(alerts.lines.map((l) => l.text)).toEqual(['ok']);
  });

  it('dead-letters a line for a sender without postAlert', async () => {
    const { worker } = setup({ acknowledge: false });
    queueAlert({ text: 'breached' });
    worker.start();
    await worker.drain();
    expect(rows()[0]).toMatchObject({ status: 'dead', lastError: 'slack cannot post an alert line' });
  });
});

describe('thread messages that mention someone', () => {
  it('pass the mention in the row’s payload to the thread, and none when the payload names nobody', async () => {
    const base = recordingSender({ platform: 'slack' });
    const mentions: Array<string | null | undefined> = [];
    const team: Sender = {
      ...base.sender,
      async postToThread(req) {
        mentions.push('mention' in req ? req.mention : undefined);
        return base.sender.postToThread(req);
      },
    };
    const { ctx, worker, create } = setup({ team, acknowledge: false });
    const id = create();
    worker.start();
    await worker.drain();
    await worker.stop(); // the payloads are set before any attempt takes the rows
    for (const [body, payload] of [
      ['plain', undefined],
      ['warning', { mention: 'U0ALICE' }],
      ['odd', { mention: 7 }],
    ] as const) {
      addMessage(ctx, { inquiryId: id, direction: 'note', body });
      const last = rowsOf('thread').at(-1)!;
      if (payload) t.db.update(deliveries).set({ payload }).where(eq(deliveries.id, last.id)).run();
    }
    worker.start();
    await worker.drain();
    expect(mentions).toEqual([undefined, 'U0ALICE', undefined]);
  });
});

describe('mirror posts and thread messages after an earlier attempt', () => {
  it('does not post an inquiry again when its post row comes back after its mirror was recorded', async () => {
    const chat = recordingSender({ platform: 'slack' });
    const { clock, worker, create } = setup({ team: chat.sender, acknowledge: false });
    create();
    worker.start();
    await worker.drain();
    t.db.update(deliveries).set({ status: 'pending' }).where(eq(deliveries.kind, 'post')).run(); // e.g. retried by hand
    clock.advance(2_000); // the worker finds a requeued row at its next resync
    worker.wake();
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post']);
    expect(rowsOf('post')[0]).toMatchObject({ status: 'done' });
  });

  it('posts an uncertain thread message that the look-up did not find, and records what a found one was', async () => {
    const chat = recordingSender({ platform: 'slack' });
    const { ctx, worker, create } = setup({ team: chat.sender, acknowledge: false });
    const id = create();
    worker.start();
    await worker.drain();
    chat.script(() => new Error('HTTP 503')); // the first message: failed before landing
    addMessage(ctx, { inquiryId: id, direction: 'note', body: 'one' });
    await worker.drain();
    chat.script(() => 'land-then-fail'); // the second: landed, answer lost
    addMessage(ctx, { inquiryId: id, direction: 'note', body: 'two' });
    await worker.drain();
    const [one, two] = rowsOf('thread');
    expect(chat.lookups).toEqual([one!.id, two!.id]);
    expect(chat.calls.map((c) => [c.kind, c.deliveryId])).toEqual([
      ['post', rowsOf('post')[0]!.id],
      ['thread', one!.id],
      ['thread', two!.id],
    ]);
    expect(two).toMatchObject({ status: 'done', postedRef: chat.posted.get(two!.id)!.messageRef });
  });
});
