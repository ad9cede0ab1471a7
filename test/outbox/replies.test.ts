import { afterEach, describe, expect, it } from 'vitest';
import { perform } from '../../src/core/actions.ts';
import { createInquiry, markReplyFailed, markReplySent } from '../../src/core/inquiries/index.ts';
import type { Message } from '../../src/core/inquiries/types.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { PermanentDeliveryError } from '../../src/platforms/delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender, Sender } from '../../src/platforms/types.ts';
import { deliveries, inquiries, messages } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The worker's side of replies: a reply leaves when its undo window ends, exactly once even when an
 * attempt's answer is lost, in order per inquiry; the core hears of each outcome, and the mirrors'
 * thread lines are edited to match.
 */

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

type Fate = Error | 'land-then-fail' | null;

/** A customer channel in memory: what it received, by delivery id, and a script of failures. */
function replyChannel() {
  const received: Array<{ deliveryId: number; body: string }> = [];
  const byDelivery = new Map<number, PostedMessage>();
  const lookups: number[] = [];
  let fates: Fate[] = [];
  const sender: ReplySender = {
    paceMs: () => 0,
    async sendReply(req: ReplyDelivery) {
      const fate = fates.shift() ?? null;
      if (fate instanceof Error) throw fate;
      received.push({ deliveryId: req.deliveryId, body: req.message.body });
      const posted = { messageRef: `reply-${received.length}` };
      byDelivery.set(req.deliveryId, posted);
      if (fate === 'land-then-fail') throw new Error('socket hang up');
      return posted;
    },
    async findSentReply(req) {
      lookups.push(req.deliveryId);
      return byDelivery.get(req.deliveryId) ?? null;
    },
  };
  return { sender, received, lookups, script: (...next: Fate[]) => (fates = [...fates, ...next]) };
}

function setup(options: { undoMs?: number; maxAttempts?: number } = {}) {
  t = tempDb();
  const clock = manualClock();
  const chat = recordingSender({ platform: 'slack', now: clock.now });
  const edits: Array<{ messageId: number; state: Message['replyState']; ref: string }> = [];
  const notices: Array<{ userId: string; messageId: number }> = [];
  const team: Sender = {
    ...chat.sender,
    async updateThreadMessage({ message, messageRef }) {
      edits.push({ messageId: message.id, state: message.replyState, ref: messageRef });
    },
    async notifyUser({ userId, message }) {
      notices.push({ userId, messageId: message.id });
    },
  };
  const channel = replyChannel();
  const ctx = coreContext(t.db, {
    now: clock.now,
    routes: [{ name: 'team', platform: 'slack', channel: 'C0TEAM' }],
    replies: { undoMs: options.undoMs ?? 10_000, targetOf: () => ({ platform: 'webhook', channel: 'web' }) },
    onEnqueued: () => {
      for (const w of workers) w.wake();
    },
  });
  // Counts the worker's looks at the queue (it reads the clock at the start of each): once the count
  // has moved on, the worker has seen the queue as it is now.
  let reads = 0;
  const looked = async (times = 2) => {
    const target = reads + times;
    worker.wake();
    await waitFor(() => reads >= target, 10_000, `the worker looking at the queue ${times} more times`);
  };
  const worker = createOutboxWorker({
    db: t.db,
    senders: { slack: team },
    replySenders: { webhook: channel.sender },
    replyHooks: {
      sent: (messageId, posted, at) => markReplySent(ctx, { messageId, ref: posted?.messageRef ?? null, at }),
      failed: (messageId, error) => markReplyFailed(ctx, { messageId, error }),
    },
    log: silentLogger(),
    now: () => {
      reads += 1;
      return clock.now();
    },
    pollMs: 5,
    maxAttempts: options.maxAttempts ?? 3,
    backoff: { baseMs: 1_000, capMs: 1_000 },
    random: () => 0.5,
  });
  workers.push(worker);
  const created = createInquiry(ctx, { source: 'web', body: 'ログインできません' });
  if (!created.ok) throw new Error(created.code);
  const inquiryId = created.inquiry.id;
  const reply = (body: string, actor = { id: 'slack:UALICE', name: 'alice' }) => {
    const out = perform(ctx, { type: 'reply', inquiryId, actor, body });
    if (!out.ok) throw new Error(out.code);
    return out.message.id;
  };
  return { ctx, clock, chat, channel, edits, notices, worker, inquiryId, reply, looked };
}

const stateOf = (id: number) =>
  t.db
    .select()
    .from(messages)
    .all()
    .find((m) => m.id === id)!;
const replyRow = (messageId: number) =>
  t.db
    .select()
    .from(deliveries)
    .all()
    .find((r) => r.kind === 'reply' && r.messageId === messageId)!;

/** Waits until the worker has settled every row that is due now (pending rows left are not due yet). */
async function settled(now: number) {
  await waitFor(
    () =>
      t.db
        .select()
        .from(deliveries)
        .all()
        .every((r) => r.status !== 'in_flight' && !(r.status === 'pending' && r.nextAttemptAt <= now)),
    10_000,
    'the worker to settle every due row',
  );
}

describe('replies through the outbox worker', () => {
  it('waits out the undo window, then sends once and edits the thread line to sent', async () => {
    const { clock, channel, edits, worker, reply, inquiryId } = setup();
    worker.start();
    const id = reply('お待たせしました');
    await settled(clock.now());
    expect(channel.received).toHaveLength(0); // inside the window
    expect(stateOf(id).replyState).toBe('queued');

    clock.advance(10_000);
    worker.wake();
    await waitFor(() => stateOf(id).replyState === 'sent', 10_000, 'the reply to be sent');
    await settled(clock.now());
    expect(channel.received).toEqual([{ deliveryId: replyRow(id).id, body: 'お待たせしました' }]);
    expect(stateOf(id)).toMatchObject({ sentAt: clock.now(), externalId: 'reply-1' });
    expect(
      t.db
        .select()
        .from(inquiries)
        .all()
        .find((i) => i.id === inquiryId)!.firstResponseAt,
    ).toBe(clock.now());
    // The thread line the thread post made is the one edited.
    const threadRef = t.db
      .select()
      .from(deliveries)
      .all()
      .find((r) => r.kind === 'thread' && r.messageId === id)!.postedRef;
    expect(threadRef).toBeTruthy();
    expect(edits).toEqual([{ messageId: id, state: 'sent', ref: threadRef }]);
  });

  it('an undo inside the window means nothing leaves, ever', async () => {
    const { ctx, clock, channel, edits, worker, reply, inquiryId } = setup();
    worker.start();
    const id = reply('取り消します');
    const undo = perform(ctx, { type: 'undo_reply', inquiryId, actor: { id: 'slack:UBOB' }, messageId: id });
    expect(undo.ok).toBe(true);
    clock.advance(60_000);
    worker.wake();
    await settled(clock.now());
    expect(channel.received).toHaveLength(0);
    expect(replyRow(id).status).toBe('cancelled');
    expect(edits.map((e) => e.state)).toEqual(['undone']);
  });

  it('an attempt whose answer was lost is found by its delivery id, not sent again', async () => {
    const { clock, channel, worker, reply } = setup({ undoMs: 0 });
    channel.script('land-then-fail');
    worker.start();
    const id = reply('一度だけ');
    await waitFor(() => replyRow(id).attempts === 1 && replyRow(id).status === 'pending', 10_000, 'a failed attempt');
    clock.advance(1_000);
    worker.wake();
    await waitFor(() => stateOf(id).replyState === 'sent', 10_000, 'the reply to be recorded sent');
    expect(channel.received).toHaveLength(1);
    expect(channel.lookups).toEqual([replyRow(id).id]);
  });

  it('a permanent refusal fails the reply at once: failed line, notice to its author, Retry sends it', async () => {
    const { ctx, clock, channel, edits, notices, worker, reply, inquiryId } = setup({ undoMs: 0 });
    channel.script(new PermanentDeliveryError('HTTP 410: gone'));
    worker.start();
    const id = reply('届きますように');
    // The notice and the thread edit go to different channels, so in either order.
    await waitFor(
      () => notices.length === 1 && edits.some((e) => e.state === 'failed'),
      10_000,
      'the notice and the failed line',
    );
    expect(stateOf(id)).toMatchObject({ replyState: 'failed', replyError: 'HTTP 410: gone' });
    expect(replyRow(id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(notices).toEqual([{ userId: 'UALICE', messageId: id }]);

    expect(perform(ctx, { type: 'retry_reply', inquiryId, actor: { id: 'slack:UBOB' }, messageId: id }).ok).toBe(true);
    // A requeued row is not a new row: the worker finds its channel again at its next resync (2 s).
    clock.advance(2_000);
    worker.wake();
    await waitFor(() => stateOf(id).replyState === 'sent', 10_000, 'the retried reply to be sent');
    expect(channel.received.map((r) => r.body)).toEqual(['届きますように']);
    // The retry looked for the failed attempt first: it kept its last error.
    expect(channel.lookups).toEqual([replyRow(id).id]);
    await settled(clock.now());
    // Each edit draws the reply as it is when delivered: the retry's edit may already show it sent.
    const states = edits.map((e) => e.state);
    expect(states[0]).toBe('failed');
    expect(states.at(-1)).toBe('sent');
    expect(states).toHaveLength(3);
  });

  it('keeps replies in order: a later reply waits while an earlier one backs off', async () => {
    const { clock, channel, worker, reply, looked } = setup({ undoMs: 0 });
    channel.script(new Error('HTTP 503'));
    worker.start();
    const first = reply('一通目');
    const second = reply('二通目');
    await waitFor(
      () => replyRow(first).attempts === 1 && replyRow(first).status === 'pending',
      10_000,
      'the first attempt to fail',
    );
    await looked(3);
    expect(channel.received).toHaveLength(0); // the second did not overtake
    expect(replyRow(second)).toMatchObject({ status: 'pending', attempts: 0 });
    clock.advance(1_000);
    worker.wake();
    await waitFor(() => stateOf(second).replyState === 'sent', 10_000, 'both replies');
    expect(channel.received.map((r) => r.body)).toEqual(['一通目', '二通目']);
  });

  it('a failed reply holds up no later reply (it waits for a person, they must not)', async () => {
    const { channel, worker, reply } = setup({ undoMs: 0 });
    channel.script(new PermanentDeliveryError('HTTP 400'));
    worker.start();
    const first = reply('失敗する');
    await waitFor(() => stateOf(first).replyState === 'failed', 10_000, 'the first to fail');
    const second = reply('届く');
    await waitFor(() => stateOf(second).replyState === 'sent', 10_000, 'the second to be sent');
    expect(channel.received.map((r) => r.body)).toEqual(['届く']);
  });

  it('the last transient failure fails the reply as well', async () => {
    const { clock, channel, worker, reply } = setup({ undoMs: 0, maxAttempts: 2 });
    channel.script(new Error('HTTP 502'), new Error('HTTP 502'));
    worker.start();
    const id = reply('x');
    await waitFor(() => replyRow(id).attempts === 1, 10_000, 'the first attempt');
    clock.advance(1_000);
    worker.wake();
    await waitFor(() => stateOf(id).replyState === 'failed', 10_000, 'the reply to fail');
    expect(stateOf(id).replyError).toBe('HTTP 502');
    expect(replyRow(id).status).toBe('dead');
  });

  it('a reply through a channel koe has no sender for fails with a reason, not silently', async () => {
    const { ctx, worker, inquiryId } = setup({ undoMs: 0 });
    const odd = { ...ctx, replies: { undoMs: 0, targetOf: () => ({ platform: 'email', channel: 'support' }) } };
    worker.start();
    const out = perform(odd, { type: 'reply', inquiryId, actor: { id: 'api:crm' }, body: 'x' });
    if (!out.ok) throw new Error(out.code);
    await waitFor(() => stateOf(out.message.id).replyState === 'failed', 10_000, 'the reply to fail');
    expect(stateOf(out.message.id).replyError).toMatch(/email/);
  });
});
