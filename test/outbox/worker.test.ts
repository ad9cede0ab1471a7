import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry, resolve } from '../../src/core/inquiries/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { prepareDigestDelivery, requeueDead } from '../../src/storage/outbox-store.ts';
import { PermanentDeliveryError, RateLimitedError } from '../../src/platforms/delivery-errors.ts';
import { deliveries, mirrors } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

let t: ReturnType<typeof tempDb>;
const workers: OutboxWorker[] = [];
const chats: ReturnType<typeof recordingSender>[] = [];
afterEach(async () => {
  for (const chat of chats.splice(0)) chat.releaseAll();
  for (const worker of workers.splice(0)) await worker.stop();
  t.cleanup();
});

/**
 * Virtual time, shared by the core (when rows are enqueued), the workers and the chat (when a call
 * was made). It moves only when a test moves it, so what a test proves about pacing, backoff and
 * leases does not depend on how fast the machine runs.
 */
function virtualClock() {
  const clock = manualClock();
  return {
    ...clock,
    /**
     * The clock as one worker reads it. The worker reads it at the start of every look at the queue,
     * and a look runs to its end before anything else does: once the count has moved (seen from a
     * later turn of the event loop), the worker has looked at the queue as it is now.
     */
    forWorker() {
      let reads = 0;
      return {
        reads: () => reads,
        now: () => {
          reads += 1;
          return clock.now();
        },
        looked: async (times = 2) => {
          const target = reads + times;
          await waitFor(() => reads >= target, 5_000, `the worker looking at the queue ${times} more times`);
        },
      };
    },
  };
}

interface SetupOptions {
  paceMs?: number;
  maxAttempts?: number;
  leaseMs?: number;
  backoff?: { baseMs?: number; capMs?: number };
  random?: () => number;
  routes?: { name: string; channel: string }[];
  pollMs?: number;
}

function setup(options: SetupOptions = {}) {
  t = tempDb();
  const clock = virtualClock();
  const chat = recordingSender({ paceMs: options.paceMs, now: clock.now });
  chats.push(chat);
  const routes = (options.routes ?? [{ name: 'everyone', channel: 'C1' }]).map((r) => ({
    ...r,
    platform: 'console' as const,
  }));
  const ctx = coreContext(t.db, {
    routes,
    now: clock.now,
    onEnqueued: () => {
      for (const w of workers) w.wake();
    },
  });
  /** A worker over the test's database and chat (a second one is another koe process on the same file). */
  const newWorker = () => {
    const reads = clock.forWorker();
    const worker = createOutboxWorker({
      db: t.db,
      senders: { console: chat.sender },
      log: silentLogger(),
      now: reads.now,
      pollMs: options.pollMs ?? 10,
      maxAttempts: options.maxAttempts ?? 5,
      leaseMs: options.leaseMs ?? 60_000,
      backoff: options.backoff ?? { baseMs: 5, capMs: 20 },
      random: options.random,
    });
    workers.push(worker);
    return { worker, looked: reads.looked, reads: reads.reads };
  };
  const { worker, looked, reads } = newWorker();
  const create = (body = 'hello') => {
    const out = createInquiry(ctx, { source: 'web', body });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  /** Moves virtual time on in steps of `stepMs` until nothing is pending or in flight. */
  const deliverAll = async (stepMs = 10) => {
    const deadline = Date.now() + 10_000;
    while (unfinished() > 0) {
      if (Date.now() > deadline) throw new Error('the outbox was not delivered within 10 s');
      clock.advance(stepMs);
      await looked(1);
    }
  };
  return { chat, ctx, clock, create, worker, looked, reads, newWorker, deliverAll };
}

const rows = () => t.db.select().from(deliveries).orderBy(deliveries.id).all();
const row = (id: number) => t.db.select().from(deliveries).where(eq(deliveries.id, id)).get()!;
const statuses = () =>
  t.db.select({ id: deliveries.id, status: deliveries.status, attempts: deliveries.attempts }).from(deliveries).all();
const unfinished = () => rows().filter((r) => r.status === 'pending' || r.status === 'in_flight').length;

describe('the outbox worker', () => {
  it('posts each inquiry once and records its mirror', async () => {
    const { chat, create, worker } = setup();
    worker.start();
    const ids = [create('a'), create('b'), create('c')];
    await worker.drain();
    expect(chat.calls.map((c) => [c.kind, c.inquiryId])).toEqual(ids.map((id) => ['post', id]));
    expect(
      t.db
        .select()
        .from(mirrors)
        .all()
        .map((m) => m.inquiryId),
    ).toEqual(ids);
  });

  it('paces one channel and lets another channel through meanwhile', async () => {
    const { chat, ctx, clock, worker, looked, deliverAll } = setup({
      paceMs: 80,
      routes: [
        { name: 'slow', channel: 'C-SLOW' },
        { name: 'fast', channel: 'C-FAST' },
      ],
    });
    // Four inquiries go only to the slow channel; the urgent one goes to both.
    ctx.routes = [
      { name: 'slow', platform: 'console', channel: 'C-SLOW' },
      { name: 'fast', platform: 'console', channel: 'C-FAST', sources: ['fast'] },
    ];
    for (let i = 0; i < 4; i++) createInquiry(ctx, { source: 'web', body: `q${i}` });
    createInquiry(ctx, { source: 'fast', body: 'urgent' });
    const start = clock.now();
    const slow = () => chat.calls.filter((c) => c.channel === 'C-SLOW');
    worker.start();
    // The fast channel is not held up behind the slow channel's queue: both go at once.
    await waitFor(() => chat.calls.length === 2, 5_000, 'a post in each channel');
    expect(chat.calls.map((c) => [c.channel, c.at - start]).sort()).toEqual([
      ['C-FAST', 0],
      ['C-SLOW', 0],
    ]);
    await looked();
    clock.advance(79);
    await looked();
    expect(slow()).toHaveLength(1); // one pace not yet over
    clock.advance(1);
    await waitFor(() => slow().length === 2, 5_000, 'the second post in the slow channel');
    await deliverAll(20);
    expect(slow().map((c) => c.at - start)).toEqual([0, 80, 160, 240, 320]);
  });

  it('does not starve a quiet channel behind a long backlog in a busy one', async () => {
    const { chat, ctx, worker, looked } = setup({ paceMs: 50, routes: [{ name: 'busy', channel: 'C-BUSY' }] });
    for (let i = 0; i < 300; i++) createInquiry(ctx, { source: 'web', body: `q${i}` });
    worker.start();
    await waitFor(() => chat.calls.length === 1, 5_000, 'the busy channel’s first post');
    await looked();
    // Time stands still: the busy channel waits out its pace for good, and the quiet one must still get through.
    ctx.routes = [{ name: 'quiet', platform: 'console', channel: 'C-QUIET' }];
    createInquiry(ctx, { source: 'web', body: 'the one that matters' });
    await waitFor(() => chat.calls.some((c) => c.channel === 'C-QUIET'), 5_000, 'the quiet channel’s post');
    expect(chat.calls.map((c) => c.channel)).toEqual(['C-BUSY', 'C-QUIET']);
  });

  it('takes an unpaced channel a batch at a time: every row once, in order, one attempt each', async () => {
    const { chat, create, worker } = setup();
    const ids = Array.from({ length: 150 }, (_, i) => create(`q${i}`));
    worker.start();
    await worker.drain();
    expect(chat.calls.map((c) => c.inquiryId)).toEqual(ids);
    expect(statuses().map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['done', 1]));
    expect(t.db.select().from(mirrors).all()).toHaveLength(150);
  });

  it('hands back the rest of a batch untouched when a 429 stops it, and delivers them once after the pause', async () => {
    const { chat, clock, create, worker, looked } = setup({ maxAttempts: 1 });
    const ids = Array.from({ length: 10 }, (_, i) => create(`q${i}`));
    const start = clock.now();
    // The first three go; the fourth answers 429 for 60 ms.
    chat.script(
      () => null,
      () => null,
      () => null,
      () => new RateLimitedError(60),
    );
    worker.start();
    await waitFor(() => unfinished() === 7 && rows().every((r) => r.status !== 'in_flight'), 5_000, 'the 429');
    expect(rows().map((r) => [r.status, r.attempts, r.nextAttemptAt - start, r.lastError])).toEqual([
      ['done', 1, 0, null],
      ['done', 1, 0, null],
      ['done', 1, 0, null],
      ['pending', 0, 60, null], // the 429 is not counted, and the row waits out Retry-After
      ...ids.slice(4).map(() => ['pending', 0, 0, null]), // never attempted: as they were
    ]);
    await looked();
    clock.advance(59);
    await looked();
    expect(chat.calls).toHaveLength(3); // the channel waits out the pause
    clock.advance(1);
    await worker.drain();
    expect(chat.calls.map((c) => c.inquiryId)).toEqual(ids);
    expect(chat.calls.slice(3).map((c) => c.at - start)).toEqual(ids.slice(3).map(() => 60));
    // With maxAttempts 1 a counted failure would have dead-lettered: neither the 429 nor the rows
    // handed back counted an attempt beyond the one that delivered them.
    expect(statuses().map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['done', 1]));
  });

  it('waits out a 429 without counting the attempt, holding the whole channel, then delivers once', async () => {
    const { chat, clock, create, worker, looked } = setup({ maxAttempts: 1 });
    chat.script(() => new RateLimitedError(60_000));
    const start = clock.now();
    worker.start();
    const first = create('first');
    await waitFor(() => row(1).status === 'pending' && row(1).nextAttemptAt !== start, 5_000, 'the 429');
    expect(row(1)).toMatchObject({ attempts: 0, nextAttemptAt: start + 60_000, lastError: null, lockedUntil: null });
    const second = create('second'); // another inquiry for the paused channel
    await looked();
    clock.advance(59_999);
    await looked();
    expect(chat.calls).toEqual([]);
    clock.advance(1);
    await worker.drain();
    expect(chat.calls.map((c) => [c.inquiryId, c.at - start])).toEqual([
      [first, 60_000],
      [second, 60_000],
    ]);
    expect(statuses().map((r) => [r.status, r.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
    // A 429 says nothing landed: the retry posts without looking for an earlier post.
    expect(chat.lookups).toEqual([]);
  });

  it('retries a transient failure no sooner than half its backoff and no later than all of it', async () => {
    const { chat, clock, create, worker, looked } = setup({ backoff: { baseMs: 1_000, capMs: 60_000 } });
    chat.script(
      () => new Error('503'),
      () => new Error('503'),
    );
    worker.start();
    create();
    // Equal jitter: retry n waits between half and all of baseMs × 2^(n-1).
    for (const [attempts, low, high] of [
      [1, 500, 1_000],
      [2, 1_000, 2_000],
    ] as const) {
      const failedAt = clock.now();
      await waitFor(() => row(1).status === 'pending' && row(1).attempts === attempts, 5_000, `failure ${attempts}`);
      const due = row(1).nextAttemptAt;
      expect(due - failedAt).toBeGreaterThanOrEqual(low);
      expect(due - failedAt).toBeLessThanOrEqual(high);
      expect(row(1).lastError).toBe('503');
      clock.set(due - 1);
      await looked();
      expect(row(1)).toMatchObject({ status: 'pending', attempts }); // not retried before it is due
      clock.set(due);
    }
    await worker.drain();
    expect(statuses()).toEqual([{ id: 1, status: 'done', attempts: 3 }]);
    expect(chat.calls.map((c) => c.at - clock.now())).toEqual([0]);
  });

  it('backs off by its settings and random, capped, and dead-letters after maxAttempts', async () => {
    const { chat, clock, create, worker } = setup({
      maxAttempts: 4,
      backoff: { baseMs: 1_000, capMs: 1_500 },
      random: () => 1, // the top of the jitter band: the whole schedule
    });
    chat.script(
      () => new Error('503'),
      () => new Error('503'),
      () => new Error('503'),
      () => new Error('503 again'),
    );
    worker.start();
    create();
    const waited: number[] = [];
    for (let attempts = 1; attempts <= 3; attempts++) {
      const failedAt = clock.now();
      await waitFor(() => row(1).status === 'pending' && row(1).attempts === attempts, 5_000, `failure ${attempts}`);
      waited.push(row(1).nextAttemptAt - failedAt);
      clock.set(row(1).nextAttemptAt);
    }
    expect(waited).toEqual([1_000, 1_500, 1_500]);
    await waitFor(() => row(1).status === 'dead', 5_000, 'the dead letter');
    expect(row(1)).toMatchObject({ attempts: 4, lastError: '503 again', lockedUntil: null });
    expect(chat.calls).toHaveLength(0);
  });

  it('dead-letters a permanent failure at once', async () => {
    const { chat, create, worker } = setup();
    chat.script(() => new PermanentDeliveryError('channel_not_found'));
    worker.start();
    create();
    await worker.drain();
    expect(statuses()).toEqual([{ id: 1, status: 'dead', attempts: 1 }]);
    expect(row(1).lastError).toBe('channel_not_found');
  });

  it('never lets an update overtake its post, not even in another worker', async () => {
    const { chat, ctx, clock, create, worker, newWorker } = setup({ leaseMs: 60_000 });
    const post = chat.hold();
    const id = create();
    worker.start();
    const posting = await post.reached;
    // The lease is committed before the call.
    expect(row(1)).toMatchObject({ status: 'in_flight', attempts: 1, lockedUntil: clock.now() + 60_000 });
    // The claim is queued while the post is on its way (in the same millisecond it was rendered in).
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
    expect(rows().map((r) => [r.kind, r.status])).toEqual([
      ['post', 'in_flight'],
      ['update', 'pending'],
    ]);
    // A second koe on the same database looks at the queue meanwhile; so does the first.
    const other = newWorker();
    other.worker.start();
    await other.looked();
    expect(row(2)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(chat.calls).toEqual([]);

    post.release();
    await worker.drain();
    expect(rows().map((r) => [r.kind, r.status, r.attempts])).toEqual([
      ['post', 'done', 1],
      ['update', 'done', 1],
    ]);
    const ref = t.db.select().from(mirrors).get()!.messageRef;
    // The post showed the inquiry as it was when rendered; the update, sent after it, edits that post.
    expect(chat.calls).toMatchObject([
      { kind: 'post', deliveryId: posting.deliveryId, status: 'open' },
      { kind: 'update', status: 'claimed', mirrorRef: ref },
    ]);
    expect(chat.posted.get(posting.deliveryId)?.messageRef).toBe(ref);
  });

  it('holds an update back while its post waits out a backoff, then sends it to the post’s message', async () => {
    const { chat, ctx, clock, create, worker, looked } = setup({ backoff: { baseMs: 1_000, capMs: 1_000 } });
    chat.script(() => new Error('timeout'));
    const id = create();
    worker.start();
    await waitFor(() => row(1).status === 'pending' && row(1).attempts === 1, 5_000, 'the failed post');
    clock.advance(1);
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
    await looked();
    expect(row(2)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(chat.calls).toEqual([]);
    clock.set(row(1).nextAttemptAt);
    await worker.drain();
    // The post, rendered after the claim, already showed it: no update call was needed.
    expect(chat.calls.map((c) => [c.kind, c.status])).toEqual([['post', 'claimed']]);
    resolve(ctx, { inquiryId: id, actor: { id: 'u1' } });
    clock.advance(1);
    await worker.drain();
    const ref = t.db.select().from(mirrors).get()!.messageRef;
    expect(chat.calls.map((c) => [c.kind, c.status, c.mirrorRef])).toEqual([
      ['post', 'claimed', undefined],
      ['update', 'resolved', ref],
    ]);
    expect(rows().map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });

  it('makes one attempt at a time in a channel: a new inquiry waits for the post in flight', async () => {
    const { chat, create, worker, looked } = setup();
    const held = chat.hold();
    const first = create('first');
    worker.start();
    await held.reached;
    const second = create('second');
    await looked();
    expect(chat.calls).toEqual([]);
    expect(row(2)).toMatchObject({ status: 'pending', attempts: 0 });
    held.release();
    await worker.drain();
    expect(chat.calls.map((c) => c.inquiryId)).toEqual([first, second]);
  });

  it('lets a row in backoff hold up only its own inquiry, not the channel', async () => {
    const { chat, ctx, create, worker, looked } = setup({ backoff: { baseMs: 1_000, capMs: 1_000 } });
    chat.script(() => new Error('timeout'));
    const stuck = create('stuck');
    worker.start();
    await waitFor(() => row(1).status === 'pending' && row(1).attempts === 1, 5_000, 'the failed post');
    claim(ctx, { inquiryId: stuck, actor: { id: 'u1' } });
    const other = create('other');
    await waitFor(() => chat.calls.length === 1, 5_000, 'the other inquiry’s post');
    await looked();
    // Time has not moved: the failed post and its update wait; the other inquiry went.
    expect(chat.calls.map((c) => c.inquiryId)).toEqual([other]);
    expect(rows().map((r) => [r.kind, r.inquiryId, r.status])).toEqual([
      ['post', stuck, 'pending'],
      ['update', stuck, 'pending'],
      ['post', other, 'done'],
    ]);
  });

  it('keeps thread messages behind their post and in order', async () => {
    const { chat, ctx, create, worker } = setup();
    const post = chat.hold();
    const id = create();
    worker.start();
    await post.reached;
    for (const body of ['one', 'two', 'three']) addMessage(ctx, { inquiryId: id, direction: 'inbound', body });
    post.release();
    await worker.drain();
    const ref = t.db.select().from(mirrors).get()!.messageRef;
    expect(chat.calls.map((c) => [c.kind, c.mirrorRef])).toEqual([
      ['post', undefined],
      ['thread', ref],
      ['thread', ref],
      ['thread', ref],
    ]);
    expect(chat.calls.map((c) => c.deliveryId)).toEqual([1, 2, 3, 4]);
  });

  it('does not post twice when an attempt landed but its answer was lost', async () => {
    const { chat, create, worker, deliverAll } = setup();
    chat.script(() => 'land-then-fail');
    worker.start();
    create();
    await deliverAll();
    expect(chat.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(chat.lookups).toEqual([1]);
    expect(t.db.select().from(mirrors).all()).toHaveLength(1);
  });

  it('looks for an earlier post before posting a dead row retried from the CLI', async () => {
    const { chat, create, worker } = setup();
    create();
    // An attempt landed but its answer was lost, and the row went dead; `koe deliveries retry` reset
    // its attempts and kept its last error.
    chat.script(() => 'land-then-fail');
    await chat.sender
      .postInquiry({ deliveryId: 1, channel: 'C1', view: { inquiry: { id: 1 } } as never })
      .catch(() => {});
    t.db.update(deliveries).set({ status: 'pending', attempts: 0, lastError: 'socket hang up' }).run();
    worker.start();
    await worker.drain();
    expect(chat.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(chat.lookups).toEqual([1]);
    expect(t.db.select().from(mirrors).get()?.messageRef).toBe('m1');
    expect(row(1)).toMatchObject({ status: 'done', lastError: null });
  });

  it('resumes a delivery whose lease expired (a crashed worker) and finds its earlier post instead of re-posting', async () => {
    const { chat, clock, create, worker } = setup();
    create();
    // A previous process posted (the chat has it) and died before committing.
    chat.script(() => 'land-then-fail');
    await chat.sender
      .postInquiry({ deliveryId: 1, channel: 'C1', view: { inquiry: { id: 1 } } as never })
      .catch(() => {});
    t.db
      .update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: clock.now() - 1 })
      .run();
    worker.start();
    await worker.drain();
    expect(chat.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(t.db.select().from(mirrors).get()?.messageRef).toBe('m1');
  });

  it('leaves a row leased by another worker alone until its lease runs out, then takes it over', async () => {
    const { chat, clock, create, worker, looked } = setup();
    create();
    const lockedUntil = clock.now() + 1_000;
    // Another koe is attempting the post (it never lands).
    t.db.update(deliveries).set({ status: 'in_flight', attempts: 1, lockedUntil }).run();
    worker.start();
    await looked();
    clock.set(lockedUntil);
    await looked();
    expect(row(1)).toMatchObject({ status: 'in_flight', attempts: 1, lockedUntil });
    expect([chat.calls, chat.lookups]).toEqual([[], []]);
    clock.advance(10); // past the lease, and past the worker's next look for interrupted rows
    await worker.drain();
    // The interrupted attempt may have landed: looked for first, then posted once.
    expect(chat.lookups).toEqual([1]);
    expect(chat.calls.map((c) => [c.kind, c.deliveryId])).toEqual([['post', 1]]);
    expect(row(1)).toMatchObject({ status: 'done', attempts: 2, lockedUntil: null });
  });

  it('stops between the rows of a batch and hands the rest back untouched', async () => {
    const { chat, create, worker } = setup();
    const first = chat.hold();
    const ids = [create('a'), create('b'), create('c')];
    worker.start();
    await first.reached;
    const stopped = worker.stop();
    first.release();
    await stopped;
    expect(chat.calls.map((c) => c.inquiryId)).toEqual([ids[0]]);
    expect(rows().map((r) => [r.status, r.attempts, r.lockedUntil])).toEqual([
      ['done', 1, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
  });

  it('skips an update that the post already rendered, and sends one for later changes', async () => {
    const { chat, ctx, clock, create, worker } = setup();
    const id = create();
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } }); // queued before the post was rendered
    clock.advance(1);
    worker.start();
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post']);
    clock.advance(1);
    resolve(ctx, { inquiryId: id, actor: { id: 'u1' } });
    await worker.drain();
    expect(chat.calls.map((c) => [c.kind, c.status])).toEqual([
      ['post', 'claimed'],
      ['update', 'resolved'],
    ]);
  });
});

describe('the outbox worker, per kind', () => {
  const queueDigest = (clock: { now: () => number }, payload: unknown) =>
    prepareDigestDelivery(t.db)(
      { destination: 'digest:daily', platform: 'console', channel: 'C-DIGEST' },
      JSON.stringify(payload),
      clock.now(),
    );

  it('posts a digest with its payload, without looking for an earlier post', async () => {
    const { chat, clock, worker } = setup();
    const id = queueDigest(clock, { title: 'today', count: 2 });
    worker.start();
    await worker.drain();
    expect(chat.calls).toMatchObject([
      { kind: 'digest', deliveryId: id, channel: 'C-DIGEST', digest: { title: 'today', count: 2 } },
    ]);
    expect(chat.lookups).toEqual([]);
    expect(row(id)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('looks for a digest whose answer was lost, from a minute before it was queued, and posts it once', async () => {
    const { chat, clock, worker, deliverAll } = setup();
    chat.script(() => 'land-then-fail');
    const id = queueDigest(clock, { title: 'today' });
    const createdAt = row(id).createdAt;
    worker.start();
    await deliverAll();
    expect(chat.calls.map((c) => c.kind)).toEqual(['digest']);
    expect(chat.lookupRequests).toMatchObject([
      { deliveryId: id, kind: 'digest', channel: 'C-DIGEST', mirror: null, sinceMs: createdAt - 60_000 },
    ]);
    expect(row(id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('posts an uncertain digest that the look-up did not find', async () => {
    const { chat, clock, worker } = setup();
    const id = queueDigest(clock, { title: 'today' });
    t.db.update(deliveries).set({ lastError: 'socket hang up' }).run(); // retried from the CLI
    worker.start();
    await worker.drain();
    expect(chat.lookups).toEqual([id]);
    expect(chat.calls).toMatchObject([{ kind: 'digest', digest: { title: 'today' } }]);
  });

  it('stores the thread a sender opened on first use, and keeps it', async () => {
    const { chat, ctx, create, worker } = setup();
    const id = create();
    worker.start();
    await worker.drain();
    t.db.update(mirrors).set({ threadRef: null }).run(); // a Discord post: no thread yet
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'one' });
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post', 'thread']);
    const opened = chat.posted.get(2)!.threadRef;
    expect(t.db.select().from(mirrors).get()?.threadRef).toBe(opened);
    // A reply that reports no thread leaves the mirror's as it is.
    const postToThread = chat.sender.postToThread;
    chat.sender.postToThread = async (req) => ({ messageRef: (await postToThread(req)).messageRef });
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'two' });
    await worker.drain();
    expect(rows().map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(t.db.select().from(mirrors).get()?.threadRef).toBe(opened);
  });

  it('looks for a thread message whose answer was lost, and posts it once; a first attempt looks up nothing', async () => {
    const { chat, ctx, create, worker, deliverAll } = setup();
    const id = create();
    worker.start();
    await worker.drain();
    chat.script(() => 'land-then-fail');
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'one' });
    await deliverAll();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post', 'thread']);
    expect(chat.lookups).toEqual([2]);
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'two' });
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post', 'thread', 'thread']);
    expect(chat.lookups).toEqual([2]);
  });

  it('dead-letters at once what cannot be delivered', async () => {
    const { chat, ctx, create, worker } = setup();
    create('no sender');
    create('no inquiry');
    create('gone');
    const unmirrored = create('unmirrored');
    claim(ctx, { inquiryId: unmirrored, actor: { id: 'u1' } }); // row 5: an update
    const threaded = create('threaded');
    addMessage(ctx, { inquiryId: threaded, direction: 'inbound', body: 'hi' }); // row 7: a thread message
    t.db.update(deliveries).set({ platform: 'slack' }).where(eq(deliveries.id, 1)).run();
    t.db.update(deliveries).set({ inquiryId: null }).where(eq(deliveries.id, 2)).run();
    t.db.update(deliveries).set({ inquiryId: 999 }).where(eq(deliveries.id, 3)).run();
    t.db.update(deliveries).set({ status: 'done' }).where(eq(deliveries.id, 4)).run(); // its post never made a mirror
    t.db.update(deliveries).set({ messageId: 999 }).where(eq(deliveries.id, 7)).run();
    worker.start();
    await worker.drain();
    expect(rows().map((r) => [r.id, r.status, r.attempts, r.lastError])).toEqual([
      [1, 'dead', 1, 'no sender configured for platform "slack"'],
      [2, 'dead', 1, 'post delivery without an inquiry'],
      [3, 'dead', 1, 'inquiry 999 does not exist'],
      [4, 'done', 0, null],
      [5, 'dead', 1, `no mirror of inquiry ${unmirrored} in everyone`],
      [6, 'done', 1, null],
      [7, 'dead', 1, 'message 999 does not exist'],
    ]);
    expect(chat.calls.map((c) => [c.kind, c.inquiryId])).toEqual([['post', threaded]]);
  });

  it('skips an update queued with another when the first already rendered both', async () => {
    const { chat, ctx, clock, create, worker, newWorker } = setup();
    const id = create();
    worker.start();
    await worker.drain();
    clock.advance(1);
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
    await worker.stop();
    // A second update of the same change, queued in the same millisecond (another process).
    const { id: _id, ...update } = row(2);
    t.db.insert(deliveries).values(update).run();
    clock.advance(1);
    const next = newWorker().worker;
    next.start();
    await next.drain();
    expect(chat.calls.map((c) => [c.kind, c.status])).toEqual([
      ['post', 'open'],
      ['update', 'claimed'],
    ]);
    expect(rows().map((r) => r.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('the outbox worker’s looks at the queue', () => {
  const slowPoll = 60_000; // longer than any test: whatever happens, happens without the poll

  it('is woken by an enqueue, and again after an attempt settles', async () => {
    const { chat, create, worker, looked } = setup({ pollMs: slowPoll });
    worker.start();
    await looked(1);
    const held = chat.hold();
    create('first');
    await held.reached;
    create('second');
    held.release();
    await waitFor(() => chat.calls.length === 2, 3_000, 'both posts without a poll');
    await waitFor(() => unfinished() === 0, 3_000, 'both recorded');
  });

  it('wakes for a row whose backoff ends before the next poll', async () => {
    const { chat, clock, create, worker } = setup({ pollMs: slowPoll, backoff: { baseMs: 20, capMs: 20 } });
    chat.script(() => new Error('503'));
    worker.start();
    create();
    await waitFor(() => row(1).attempts === 1 && row(1).status === 'pending', 3_000, 'the failure');
    clock.set(row(1).nextAttemptAt);
    await waitFor(() => row(1).status === 'done', 3_000, 'the retry without a poll');
  });

  it('recovers from a failed look at the queue at the next poll', async () => {
    const { chat, create, worker } = setup();
    const paceMs = chat.sender.paceMs;
    let failures = 1;
    chat.sender.paceMs = (kind) => {
      if (failures-- > 0) throw new Error('disk I/O error');
      return paceMs(kind);
    };
    create();
    worker.start();
    await worker.drain();
    expect(chat.calls).toHaveLength(1);
  });

  it('looks once per poll interval while idle, however often it was woken', async () => {
    const { chat, create, worker, looked, reads } = setup({ pollMs: 50, backoff: { baseMs: 60_000, capMs: 60_000 } });
    chat.script(() => new Error('503'));
    worker.start();
    create(); // in backoff for a minute of the worker's clock, which stands still
    await waitFor(() => row(1).attempts === 1 && row(1).status === 'pending', 3_000, 'the failure');
    for (let i = 0; i < 10; i++) {
      worker.wake();
      await looked(1);
    }
    const before = reads();
    await new Promise((r) => setTimeout(r, 300));
    expect(reads() - before).toBeLessThan(25); // ~6 at one look per 50 ms
  });

  it('picks up a dead row retried from the CLI at the next resync (every 2 s)', async () => {
    const { chat, clock, create, worker, looked } = setup();
    const start = clock.now();
    chat.script(() => new PermanentDeliveryError('channel_not_found'));
    worker.start();
    create();
    await waitFor(() => row(1).status === 'dead', 3_000, 'the dead letter');
    await looked();
    requeueDead(t.db, 'all', clock.now());
    clock.set(start + 1_999);
    await looked();
    expect(row(1).status).toBe('pending');
    clock.set(start + 2_000);
    await worker.drain();
    expect(chat.calls).toHaveLength(1);
  });
});

describe('the outbox worker’s leases', () => {
  it('leases an unpaced channel’s ready rows together, a paced channel’s one at a time', async () => {
    const { chat, create, worker } = setup();
    const held = chat.hold();
    create('a');
    create('b');
    create('c');
    worker.start();
    await held.reached;
    expect(rows().map((r) => r.status)).toEqual(['in_flight', 'in_flight', 'in_flight']);
    held.release();
    await worker.drain();
  });

  for (const [name, paceMs] of [
    ['paced', () => 50],
    ['paced for some kinds', (kind: string) => (kind === 'digest' ? 0 : 50)],
  ] as const) {
    it(`leases a ${name} channel’s rows one at a time`, async () => {
      const { chat, clock, create, worker, looked } = setup();
      chat.sender.paceMs = paceMs;
      const held = chat.hold();
      create('a');
      create('b');
      worker.start();
      await held.reached;
      expect(rows().map((r) => [r.status, r.attempts])).toEqual([
        ['in_flight', 1],
        ['pending', 0],
      ]);
      held.release();
      await looked();
      clock.advance(50);
      await worker.drain();
      expect(chat.calls).toHaveLength(2);
    });
  }

  it('holds the lease for leaseMs', async () => {
    const { chat, clock, create, worker } = setup({ leaseMs: 5_000 });
    const held = chat.hold();
    create();
    worker.start();
    await held.reached;
    expect(row(1).lockedUntil).toBe(clock.now() + 5_000);
    held.release();
    await worker.drain();
  });

  it('does not take over its own attempt when it outlasts its lease', async () => {
    const { chat, clock, create, worker, looked } = setup({ leaseMs: 1_000 });
    const held = chat.hold();
    create();
    worker.start();
    await held.reached;
    clock.advance(2_000);
    await looked(3);
    expect(chat.lookups).toEqual([]);
    expect(row(1)).toMatchObject({ status: 'in_flight', attempts: 1 });
    held.release();
    await worker.drain();
    expect(chat.calls).toHaveLength(1);
    expect(row(1)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('resumes the interrupted rows of one channel one at a time, in id order', async () => {
    const { chat, clock, create, worker, deliverAll } = setup();
    const ids = [create('a'), create('b'), create('c')];
    t.db
      .update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: clock.now() - 1 })
      .run();
    worker.start();
    await deliverAll(); // interrupted rows are looked for once per poll interval of the worker's clock
    expect(chat.calls.map((c) => c.inquiryId)).toEqual(ids);
    expect(statuses().map((r) => r.attempts)).toEqual([2, 2, 2]);
  });

  it('resumes an interrupted row only after its channel’s 429 pause', async () => {
    const { chat, clock, create, worker, looked } = setup();
    chat.script(() => new RateLimitedError(60_000));
    const start = clock.now();
    create('a');
    worker.start();
    await waitFor(() => row(1).nextAttemptAt === start + 60_000, 3_000, 'the 429');
    create('b');
    t.db
      .update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: start - 1 })
      .where(eq(deliveries.id, 2))
      .run();
    await looked();
    clock.advance(20);
    await looked();
    expect(chat.calls).toEqual([]);
    clock.set(start + 60_000);
    await worker.drain();
    expect(chat.calls).toHaveLength(2);
  });

  it('lets another channel through while the first channel’s only row is in backoff', async () => {
    const { chat, ctx, create, worker } = setup({ backoff: { baseMs: 1_000, capMs: 1_000 } });
    chat.script(() => new Error('timeout'));
    create('stuck');
    worker.start();
    await waitFor(() => row(1).status === 'pending' && row(1).attempts === 1, 3_000, 'the failed post');
    ctx.routes = [{ name: 'other', platform: 'console', channel: 'C-OTHER' }];
    create('other');
    await waitFor(() => chat.calls.length === 1, 3_000, 'the other channel’s post');
  });

  it('retries a failed row on time though its channel had nothing else queued while it was in flight', async () => {
    const { chat, clock, create, worker, looked } = setup({ backoff: { baseMs: 20, capMs: 20 } });
    const held = chat.hold();
    chat.script(() => new Error('503'));
    const start = clock.now();
    create();
    worker.start();
    await held.reached;
    await looked(3);
    held.release();
    await waitFor(() => row(1).status === 'pending' && row(1).attempts === 1, 3_000, 'the failure');
    clock.set(row(1).nextAttemptAt);
    await looked(3);
    expect(row(1).status).toBe('done');
    expect(clock.now() - start).toBeLessThan(2_000); // before any resync
  });
});
