import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { perform } from '../../src/core/actions.ts';
import { addMessage, createInquiry, markReplyFailed, markReplySent } from '../../src/core/inquiries/index.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import type { ReplyHooks } from '../../src/outbox/reply-attempts.ts';
import { PermanentDeliveryError } from '../../src/platforms/delivery-errors.ts';
import type { PostedMessage, ReplySender, Sender } from '../../src/platforms/types.ts';
import { deliveries, messages } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The worker and a customer channel: replies (and acknowledgements) keep the channel's own pace, the
 * core hears of each sent reply with when it left, a failing hook loses no delivery, and a reply row
 * whose reply was already sent or undone sends nothing.
 */

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

function setup(options: {
  paceMs?: number;
  hooks?: (ctx: ReturnType<typeof coreContext>) => ReplyHooks;
  log?: Logger;
  team?: Partial<Sender>;
}) {
  t = tempDb();
  const clock = manualClock();
  const received: Array<{ deliveryId: number; body: string; at: number }> = [];
  const fates: Array<Error | null> = [];
  const lookups: Array<{ deliveryId: number; sinceMs: number }> = [];
  const channel: ReplySender = {
    paceMs: () => options.paceMs ?? 0,
    async sendReply(req) {
      const fate = fates.shift();
      if (fate) throw fate;
      received.push({ deliveryId: req.deliveryId, body: req.message.body, at: clock.now() });
      return { messageRef: `reply-${received.length}` } satisfies PostedMessage;
    },
    findSentReply: async (req) => {
      lookups.push({ deliveryId: req.deliveryId, sinceMs: req.sinceMs });
      return null;
    },
  };
  const chat = recordingSender({ platform: 'slack', now: clock.now });
  const ctx = coreContext(t.db, {
    now: clock.now,
    routes: [{ name: 'team', platform: 'slack', channel: 'C0TEAM' }],
    replies: { undoMs: 0, targetOf: () => ({ platform: 'webhook', channel: 'crm' }) },
    onEnqueued: () => {
      for (const w of workers) w.wake();
    },
  });
  let reads = 0;
  const worker = createOutboxWorker({
    db: t.db,
    senders: { slack: { ...chat.sender, ...options.team } },
    replySenders: { webhook: channel },
    replyHooks: options.hooks?.(ctx),
    log: options.log ?? silentLogger(),
    now: () => {
      reads += 1;
      return clock.now();
    },
    pollMs: 5,
    maxAttempts: 3,
  });
  workers.push(worker);
  /** Waits until the worker has looked at the queue `times` more times (it reads the clock at each look). */
  const looked = async (times = 2) => {
    const target = reads + times;
    worker.wake();
    await waitFor(() => reads >= target, 10_000, `the worker looking at the queue ${times} more times`);
  };
  const inquiry = (body: string) => {
    const out = createInquiry(ctx, { source: 'web', body });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  const reply = (inquiryId: number, body: string) => {
    const out = perform(ctx, { type: 'reply', inquiryId, actor: { id: 'slack:UALICE', name: 'alice' }, body });
    if (!out.ok) throw new Error(out.code);
    return out.message.id;
  };
  return { ctx, clock, received, fates, lookups, worker, looked, inquiry, reply };
}

const replyRow = (messageId: number) =>
  t.db
    .select()
    .from(deliveries)
    .all()
    .find((r) => r.kind === 'reply' && r.messageId === messageId)!;
const message = (id: number) => t.db.select().from(messages).where(eq(messages.id, id)).get()!;

describe('a customer channel’s replies through the worker', () => {
  it('keeps the reply sender’s pace between two replies to one channel', async () => {
    const { clock, received, worker, looked, inquiry, reply } = setup({ paceMs: 1_000, hooks: markSent });
    const a = reply(inquiry('一件目'), 'one');
    const b = reply(inquiry('二件目'), 'two');
    worker.start();
    await waitFor(() => received.length === 1, 10_000, 'the first reply');
    await looked(3);
    clock.advance(999);
    await looked(3);
    expect(received.map((r) => r.body)).toEqual(['one']); // a millisecond early
    expect(replyRow(b)).toMatchObject({ status: 'pending', attempts: 0 });
    clock.advance(1);
    await waitFor(() => received.length === 2, 10_000, 'the second reply, once the pace has passed');
    expect(received.map((r) => r.at - received[0]!.at)).toEqual([0, 1_000]);
    expect(replyRow(a).status).toBe('done');
  });

  it('tells the core each sent reply with the posted message and the worker’s time', async () => {
    const sent: Array<{ messageId: number; ref: string | undefined; at: number }> = [];
    const { clock, received, worker, inquiry, reply } = setup({
      hooks: () => ({
        sent: (messageId, posted, at) => sent.push({ messageId, ref: posted?.messageRef, at }),
        failed: () => {},
      }),
    });
    clock.advance(5_000);
    const id = reply(inquiry('x'), 'hello');
    worker.start();
    await worker.drain();
    expect(received).toHaveLength(1);
    expect(sent).toEqual([{ messageId: id, ref: 'reply-1', at: clock.now() }]);
  });

  it('dead-letters a failed reply though the core could not record the failure, and goes on', async () => {
    const errors: unknown[] = [];
    const log = { ...silentLogger(), error: (fields: unknown) => errors.push(fields) } as Logger;
    const { fates, received, worker, inquiry, reply } = setup({
      log,
      hooks: () => ({
        sent: () => {},
        failed: () => {
          throw new Error('database is locked');
        },
      }),
    });
    fates.push(new PermanentDeliveryError('HTTP 410: gone'));
    const first = reply(inquiry('a'), 'lost');
    const second = reply(inquiry('b'), 'goes');
    worker.start();
    await worker.drain();
    expect(replyRow(first)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 410: gone' });
    expect(replyRow(second)).toMatchObject({ status: 'done' });
    expect(received.map((r) => r.body)).toEqual(['goes']);
    expect(errors).toContainEqual(expect.objectContaining({ messageId: first }));
  });

  it('sends nothing for a reply row whose reply was already sent or undone (a stale row), and completes it', async () => {
    const { ctx, received, worker, inquiry, reply } = setup({ hooks: markSent });
    const sentAlready = reply(inquiry('a'), 'sent elsewhere');
    const undone = reply(inquiry('b'), 'undone');
    const fresh = reply(inquiry('c'), 'fresh');
    markReplySent(ctx, { messageId: sentAlready, ref: 'earlier', at: ctx.now() });
    t.db.update(messages).set({ replyState: 'undone' }).where(eq(messages.id, undone)).run();
    worker.start();
    await worker.drain();
    expect(received.map((r) => r.body)).toEqual(['fresh']);
    expect([sentAlready, undone, fresh].map((id) => replyRow(id).status)).toEqual(['done', 'done', 'done']);
    expect(message(sentAlready).externalId).toBe('earlier');
  });
});

describe('reply rows that cannot be sent, and the rows around a reply', () => {
  it('dead-letters a reply row whose message or inquiry is gone, with the reason', async () => {
    const { received, worker, inquiry, reply } = setup({ hooks: markSent });
    const noMessage = reply(inquiry('a'), 'a');
    const noInquiry = reply(inquiry('b'), 'b');
    t.db
      .update(deliveries)
      .set({ messageId: 999 })
      .where(eq(deliveries.id, replyRow(noMessage).id))
      .run();
    t.db
      .update(deliveries)
      .set({ inquiryId: null })
      .where(eq(deliveries.id, replyRow(noInquiry).id))
      .run();
    worker.start();
    await worker.drain();
    const rows = t.db
      .select()
      .from(deliveries)
      .all()
      .filter((r) => r.kind === 'reply');
    expect(rows.map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ['dead', 1, 'message 999 does not exist'],
      ['dead', 1, 'inquiry null does not exist'],
    ]);
    expect(received).toEqual([]);
  });

  it('sends a reply when no hooks are configured', async () => {
    const { received, worker, inquiry, reply } = setup({});
    const id = reply(inquiry('a'), 'no hooks');
    worker.start();
    await worker.drain();
    expect(received.map((r) => r.body)).toEqual(['no hooks']);
    expect(replyRow(id).status).toBe('done');
  });

  it('looks for an uncertain reply from a minute before its row was queued', async () => {
    const { fates, lookups, received, worker, inquiry, reply } = setup({ hooks: markSent });
    fates.push(new Error('HTTP 503'));
    const id = reply(inquiry('a'), 'again');
    worker.start();
    await waitFor(() => replyRow(id).attempts === 1, 10_000, 'the first attempt to fail');
    // backoff: the worker's clock stands still, so move the row's retry to now
    t.db
      .update(deliveries)
      .set({ nextAttemptAt: replyRow(id).createdAt })
      .where(eq(deliveries.id, replyRow(id).id))
      .run();
    await waitFor(() => received.length === 1, 10_000, 'the retry');
    expect(lookups).toEqual([{ deliveryId: replyRow(id).id, sinceMs: replyRow(id).createdAt - 60_000 }]);
  });

  it('completes thread-line edits and notices for a team sender that has neither', async () => {
    const { fates, worker, inquiry, reply } = setup({
      hooks: (ctx) => ({ ...markSent(ctx), failed: (messageId, error) => markReplyFailed(ctx, { messageId, error }) }),
    });
    fates.push(new PermanentDeliveryError('HTTP 410: gone'));
    const failed = reply(inquiry('a'), 'fails');
    reply(inquiry('b'), 'goes');
    worker.start();
    await worker.drain();
    const rows = t.db.select().from(deliveries).all();
    expect(rows.filter((r) => r.kind === 'notice')).toHaveLength(1);
    expect(rows.filter((r) => r.kind === 'thread_update').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.status !== 'done').map((r) => [r.kind, r.status])).toEqual([['reply', 'dead']]);
    expect(message(failed).replyState).toBe('failed');
  });

  it('edits no thread line whose thread post never went out', async () => {
    const edits: Array<string | null> = [];
    const { worker, inquiry, reply } = setup({
      hooks: markSent,
      team: {
        async updateThreadMessage({ messageRef }) {
          edits.push(messageRef);
        },
      },
    });
    const id = reply(inquiry('a'), 'x');
    // The reply's thread post is settled without a posted message (as a dead one would be).
    const threadRow = t.db
      .select()
      .from(deliveries)
      .all()
      .find((r) => r.kind === 'thread' && r.messageId === id)!;
    t.db.update(deliveries).set({ status: 'done' }).where(eq(deliveries.id, threadRow.id)).run();
    worker.start();
    await worker.drain();
    expect(message(id).replyState).toBe('sent');
    expect(
      t.db
        .select()
        .from(deliveries)
        .all()
        .filter((r) => r.kind === 'thread_update')
        .map((r) => r.status),
    ).toEqual(['done']);
    expect(edits).toEqual([]);
  });

  it('tells the core of no failure for a dead team row that carries a message', async () => {
    const failures: number[] = [];
    const { ctx, worker, inquiry } = setup({
      hooks: (c) => ({ ...markSent(c), failed: (messageId) => failures.push(messageId) }),
      team: {
        async postToThread() {
          throw new PermanentDeliveryError('channel_not_found');
        },
      },
    });
    const id = inquiry('a');
    addMessage(ctx, { inquiryId: id, direction: 'note', body: 'memo' });
    worker.start();
    await worker.drain();
    const thread = t.db
      .select()
      .from(deliveries)
      .all()
      .find((r) => r.kind === 'thread')!;
    expect(thread).toMatchObject({ status: 'dead', lastError: 'channel_not_found' });
    expect(thread.messageId).not.toBeNull();
    expect(failures).toEqual([]);
  });
});

function markSent(ctx: ReturnType<typeof coreContext>): ReplyHooks {
  return {
    sent: (messageId, posted, at) => markReplySent(ctx, { messageId, ref: posted?.messageRef ?? null, at }),
    failed: () => {},
  };
}
