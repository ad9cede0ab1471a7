import { afterEach, describe, expect, it } from 'vitest';
import { claim, createInquiry, resolve } from '../../src/core/inquiries/index.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/outbox/worker.ts';
import { PermanentDeliveryError, RateLimitedError } from '../../src/platforms/delivery-errors.ts';
import { deliveries, mirrors } from '../../src/storage/schema/index.ts';
import { recordingSender } from '../helpers/recording-sender.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
let worker: OutboxWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
  t.cleanup();
});

function setup(options: { paceMs?: number; maxAttempts?: number; routes?: { name: string; channel: string }[] } = {}) {
  t = tempDb();
  const chat = recordingSender({ paceMs: options.paceMs });
  const routes = (options.routes ?? [{ name: 'everyone', channel: 'C1' }]).map((r) => ({
    ...r,
    platform: 'console' as const,
  }));
  const ctx = coreContext(t.db, { routes, onEnqueued: () => worker?.wake() });
  worker = createOutboxWorker({
    db: t.db,
    senders: { console: chat.sender },
    log: silentLogger(),
    pollMs: 10,
    maxAttempts: options.maxAttempts ?? 5,
    backoff: { baseMs: 5, capMs: 20 },
  });
  const create = (body = 'hello') => {
    const out = createInquiry(ctx, { source: 'web', body });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  return { chat, ctx, create, worker };
}

const statuses = () =>
  t.db.select({ id: deliveries.id, status: deliveries.status, attempts: deliveries.attempts }).from(deliveries).all();

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
    const { chat, ctx, worker } = setup({
      paceMs: 80,
      routes: [
        { name: 'slow', channel: 'C-SLOW' },
        { name: 'fast', channel: 'C-FAST' },
      ],
    });
    // Only the first two inquiries go to both; the rest only to the slow channel.
    ctx.routes = [
      { name: 'slow', platform: 'console', channel: 'C-SLOW' },
      { name: 'fast', platform: 'console', channel: 'C-FAST', sources: ['fast'] },
    ];
    for (let i = 0; i < 4; i++) createInquiry(ctx, { source: 'web', body: `q${i}` });
    createInquiry(ctx, { source: 'fast', body: 'urgent' });
    worker.start();
    await worker.drain(5_000);
    const slow = chat.calls.filter((c) => c.channel === 'C-SLOW').map((c) => c.at);
    for (let i = 1; i < slow.length; i++) expect(slow[i]! - slow[i - 1]!).toBeGreaterThanOrEqual(75);
    const fast = chat.calls.find((c) => c.channel === 'C-FAST')!;
    expect(fast.at).toBeLessThan(slow[2]!); // not stuck behind the slow channel's queue
  });

  it('does not starve a quiet channel behind a long backlog in a busy one', async () => {
    const { chat, ctx, worker } = setup({ paceMs: 50, routes: [{ name: 'busy', channel: 'C-BUSY' }] });
    for (let i = 0; i < 300; i++) createInquiry(ctx, { source: 'web', body: `q${i}` });
    worker.start();
    ctx.routes = [{ name: 'quiet', platform: 'console', channel: 'C-QUIET' }];
    const started = Date.now();
    createInquiry(ctx, { source: 'web', body: 'the one that matters' });
    while (!chat.calls.some((c) => c.channel === 'C-QUIET')) {
      if (Date.now() - started > 2_000) throw new Error('quiet channel starved');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(chat.calls.filter((c) => c.channel === 'C-BUSY').length).toBeLessThan(50);
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
    const { chat, create, worker } = setup({ maxAttempts: 1 });
    const ids = Array.from({ length: 10 }, (_, i) => create(`q${i}`));
    // The first three go; the fourth answers 429 for 60 ms.
    chat.script(
      () => null,
      () => null,
      () => null,
      () => new RateLimitedError(60),
    );
    const started = Date.now();
    worker.start();
    await worker.drain();
    expect(chat.calls.map((c) => c.inquiryId)).toEqual(ids);
    expect(chat.calls[3]!.at - started).toBeGreaterThanOrEqual(55);
    // With maxAttempts 1 a counted failure would have dead-lettered: neither the 429 nor the rows
    // handed back counted an attempt beyond the one that delivered them.
    expect(statuses().map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ['done', 1]));
  });

  it('waits out a 429 without counting the attempt, then delivers once', async () => {
    const { chat, create, worker } = setup({ maxAttempts: 1 });
    chat.script(() => new RateLimitedError(60));
    const started = Date.now();
    worker.start();
    const id = create();
    await worker.drain();
    expect(chat.calls.filter((c) => c.inquiryId === id)).toHaveLength(1);
    expect(chat.calls[0]!.at - started).toBeGreaterThanOrEqual(55);
    expect(statuses()).toEqual([{ id: 1, status: 'done', attempts: 1 }]);
  });

  it('retries transient failures with backoff and dead-letters after maxAttempts', async () => {
    const { chat, create, worker } = setup({ maxAttempts: 3 });
    chat.script(
      () => new Error('503'),
      () => new Error('503'),
      () => new Error('503'),
    );
    worker.start();
    create();
    await worker.drain();
    expect(statuses()).toEqual([{ id: 1, status: 'dead', attempts: 3 }]);
    expect(t.db.select().from(deliveries).get()?.lastError).toBe('503');
    expect(chat.calls).toHaveLength(0);
  });

  it('dead-letters a permanent failure at once', async () => {
    const { chat, create, worker } = setup();
    chat.script(() => new PermanentDeliveryError('channel_not_found'));
    worker.start();
    create();
    await worker.drain();
    expect(statuses()).toEqual([{ id: 1, status: 'dead', attempts: 1 }]);
  });

  it('never lets an update overtake its post', async () => {
    const { chat, ctx, create, worker } = setup();
    chat.script(
      () => new Error('timeout'),
      () => new Error('timeout'),
    );
    const id = create();
    worker.start();
    await new Promise((r) => setTimeout(r, 5)); // the first post attempt has failed by now
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
    await worker.drain();
    const rows = t.db.select().from(deliveries).all();
    expect(rows.map((r) => [r.kind, r.status])).toEqual([
      ['post', 'done'],
      ['update', 'done'],
    ]);
    // The update waited; the post, delivered after the claim, already showed it, so no call was needed.
    expect(chat.calls.map((c) => [c.kind, c.status])).toEqual([['post', 'claimed']]);
    expect(rows[1]!.deliveredAt!).toBeGreaterThanOrEqual(rows[0]!.deliveredAt!);
  });

  it('does not post twice when an attempt landed but its answer was lost', async () => {
    const { chat, create, worker } = setup();
    chat.script(() => 'land-then-fail');
    worker.start();
    create();
    await worker.drain();
    expect(chat.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(t.db.select().from(mirrors).all()).toHaveLength(1);
  });

  it('resumes a delivery whose lease expired (a crashed worker) and finds its earlier post instead of re-posting', async () => {
    const { chat, create, worker } = setup();
    create();
    // A previous process posted (the chat has it) and died before committing.
    chat.script(() => 'land-then-fail');
    await chat.sender
      .postInquiry({ deliveryId: 1, channel: 'C1', view: { inquiry: { id: 1 } } as never })
      .catch(() => {});
    t.db
      .update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: Date.now() - 1 })
      .run();
    worker.start();
    await worker.drain();
    expect(chat.calls.filter((c) => c.kind === 'post')).toHaveLength(1);
    expect(t.db.select().from(mirrors).get()?.messageRef).toBe('m1');
  });

  it('skips an update that the post already rendered, and sends one for later changes', async () => {
    const { chat, ctx, create, worker } = setup();
    const id = create();
    claim(ctx, { inquiryId: id, actor: { id: 'u1' } }); // queued before the post was delivered
    worker.start();
    await worker.drain();
    expect(chat.calls.map((c) => c.kind)).toEqual(['post']);
    resolve(ctx, { inquiryId: id, actor: { id: 'u1' } });
    await worker.drain();
    expect(chat.calls.map((c) => [c.kind, c.status])).toEqual([
      ['post', 'claimed'],
      ['update', 'resolved'],
    ]);
  });
});
