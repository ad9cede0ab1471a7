import { afterEach, describe, expect, it } from 'vitest';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import type { ReplySender } from '../../src/platforms/types.ts';
import { deliveries } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * A second post row for an inquiry already mirrored in its destination posts nothing, even on its
 * first attempt; and acknowledgements keep their customer channel's pace, as replies do.
 */

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

function setup(ackPaceMs = 0) {
  t = tempDb();
  const clock = manualClock();
  const chat = recordingSender({ platform: 'slack', now: clock.now });
  const acks: Array<{ inquiryId: number; at: number }> = [];
  const email: ReplySender = {
    paceMs: () => ackPaceMs,
    sendReply: async () => ({ messageRef: 'reply' }),
    findSentReply: async () => null,
    async sendAcknowledgement(req) {
      acks.push({ inquiryId: req.view.inquiry.id, at: clock.now() });
      return { messageRef: `ack-${acks.length}` };
    },
  };
  const ctx = coreContext(t.db, {
    now: clock.now,
    routes: [{ name: 'team', platform: 'slack', channel: 'C0TEAM' }],
    acknowledge: () => ({ platform: 'email', channel: 'support@example.com' }),
  });
  let reads = 0;
  const worker = createOutboxWorker({
    db: t.db,
    senders: { slack: chat.sender },
    replySenders: { email },
    log: silentLogger(),
    now: () => {
      reads += 1;
      return clock.now();
    },
    pollMs: 5,
  });
  workers.push(worker);
  const looked = async (times = 3) => {
    const target = reads + times;
    worker.wake();
    await waitFor(() => reads >= target, 10_000, `the worker looking at the queue ${times} more times`);
  };
  const create = (body: string) => {
    const out = createInquiry(ctx, { source: 'web', body });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  return { clock, chat, acks, worker, looked, create };
}

describe('the outbox worker', () => {
  it('posts nothing for a second post row of an inquiry already mirrored there, though it was never attempted', async () => {
    const { chat, worker, create } = setup();
    create('a');
    worker.start();
    await worker.drain();
    await worker.stop();
    // Another process queued the same post (attempts 0, no last error): nothing to look up, nothing to post.
    const post = t.db
      .select()
      .from(deliveries)
      .all()
      .find((r) => r.kind === 'post')!;
    const { id: _id, ...copy } = post;
    t.db
      .insert(deliveries)
      .values({ ...copy, status: 'pending', attempts: 0, lastError: null, postedRef: null })
      .run();
    worker.start();
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post']);
    expect(chat.lookups).toEqual([]);
  });

  it('keeps the customer channel’s pace between two acknowledgements', async () => {
    const { clock, acks, worker, looked, create } = setup(1_000);
    const first = create('a');
    const second = create('b');
    worker.start();
    await waitFor(() => acks.length === 1, 10_000, 'the first acknowledgement');
    clock.advance(999);
    await looked();
    expect(acks.map((a) => a.inquiryId)).toEqual([first]);
    clock.advance(1);
    await waitFor(() => acks.length === 2, 10_000, 'the second acknowledgement, once the pace has passed');
    expect(acks).toEqual([
      { inquiryId: first, at: acks[0]!.at },
      { inquiryId: second, at: acks[0]!.at + 1_000 },
    ]);
  });
});
