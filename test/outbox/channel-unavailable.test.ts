import { afterEach, describe, expect, it } from 'vitest';
import { perform } from '../../src/core/actions.ts';
import { addMessage, createInquiry, markReplyFailed, markReplySent } from '../../src/core/inquiries/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { ChannelUnavailableError } from '../../src/platforms/delivery-errors.ts';
import type { ReplySender } from '../../src/platforms/types.ts';
import { deliveries, messages } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * A channel koe may not post in (not invited, no access) is something a person fixes: its
 * deliveries wait and are tried again later, nothing is dead-lettered, and once koe is invited
 * everything goes, in order. A reply to a customer is the exception: it fails at once, visibly.
 */

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

function setup() {
  t = tempDb();
  const clock = manualClock();
  const chat = recordingSender({ platform: 'console', now: clock.now });
  let reads = 0;
  const ctx = coreContext(t.db, {
    now: clock.now,
    replies: { undoMs: 0, targetOf: () => ({ platform: 'webhook', channel: 'web' }) },
    onEnqueued: () => {
      for (const w of workers) w.wake();
    },
  });
  const refusing: ReplySender = {
    paceMs: () => 0,
    sendReply: async () => {
      throw new ChannelUnavailableError('slack: not_in_channel');
    },
    findSentReply: async () => null,
  };
  const worker = createOutboxWorker({
    db: t.db,
    senders: { console: chat.sender },
    replySenders: { webhook: refusing },
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
    maxAttempts: 2,
  });
  workers.push(worker);
  const looked = async (times = 3) => {
    const target = reads + times;
    worker.wake();
    await waitFor(() => reads >= target, 10_000, 'the worker to look at the queue');
  };
  return { ctx, clock, chat, worker, looked };
}

const rows = () => t.db.select().from(deliveries).all();

describe('a channel koe may not post in', () => {
  it('holds its deliveries, uncounted and not dead, and sends them all in order once koe is invited', async () => {
    const { ctx, clock, chat, worker, looked } = setup();
    chat.script(() => new ChannelUnavailableError('slack: not_in_channel', 60_000));
    worker.start();
    const created = createInquiry(ctx, { source: 'web', body: 'hello' });
    if (!created.ok) throw new Error(created.code);
    addMessage(ctx, { inquiryId: created.inquiry.id, direction: 'inbound', body: 'and more' });
    await waitFor(() => rows().some((r) => r.kind === 'post' && r.nextAttemptAt > clock.now()), 10_000, 'a pause');
    // However long it waits meanwhile, and however often the worker looks, it makes no attempt.
    clock.advance(59_000);
    await looked();
    expect(chat.calls).toHaveLength(0);
    expect(rows().map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ['post', 'pending', 0],
      ['thread', 'pending', 0],
    ]);
    // Invited (the fake no longer refuses): after the pause, the post, then its thread message.
    clock.advance(1_000);
    worker.wake();
    await waitFor(() => rows().every((r) => r.status === 'done'), 10_000, 'everything delivered');
    expect(chat.calls.map((c) => c.kind)).toEqual(['post', 'thread']);
  });

  it('fails a reply to a customer at once, with the reason, instead of holding it', async () => {
    const { ctx, worker } = setup();
    worker.start();
    const created = createInquiry(ctx, { source: 'web', body: 'hello' });
    if (!created.ok) throw new Error(created.code);
    const out = perform(ctx, { type: 'reply', inquiryId: created.inquiry.id, actor: { id: 'api:crm' }, body: 'hi' });
    if (!out.ok) throw new Error(out.code);
    const reply = () =>
      t.db
        .select()
        .from(messages)
        .all()
        .find((m) => m.id === out.message.id)!;
    await waitFor(() => reply().replyState === 'failed', 10_000, 'the reply to fail');
    expect(reply().replyError).toBe('slack: not_in_channel');
    expect(rows().find((r) => r.kind === 'reply')).toMatchObject({ status: 'dead', attempts: 1 });
  });
});
