import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry } from '../../src/core/inquiries/index.ts';
import { createOutboxQueue, createOutboxStore, type DeliveryRow } from '../../src/storage/outbox-store.ts';
import { deliveries, mirrors } from '../../src/storage/schema/index.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
afterEach(() => t.cleanup());

/** An outbox over a fresh database: each inquiry is routed to #support, and bugs also to #bugs. */
function setup() {
  t = tempDb();
  const clock = manualClock();
  const ctx = coreContext(t.db, {
    now: clock.now,
    routes: [
      { name: 'support', platform: 'console', channel: 'C-SUPPORT' },
      { name: 'bugs', platform: 'console', channel: 'C-BUGS', sources: ['bugs'] },
    ],
  });
  const store = createOutboxStore(t.db);
  const create = (source = 'web') => {
    const out = createInquiry(ctx, { source, body: 'hello' });
    if (!out.ok) throw new Error(out.code);
    return out.inquiry.id;
  };
  const set = (id: number, fields: Partial<typeof deliveries.$inferInsert>) =>
    t.db.update(deliveries).set(fields).where(eq(deliveries.id, id)).run();
  const ids = (found: Array<{ id: number }>) => found.map((r) => r.id);
  return { clock, ctx, store, create, set, ids };
}

const row = (id: number) => t.db.select().from(deliveries).where(eq(deliveries.id, id)).get()!;

describe('the outbox store', () => {
  describe('lease', () => {
    it('takes a pending row: in flight, one more attempt, locked until the given time', () => {
      const { clock, store, create } = setup();
      create();
      const now = clock.now();
      expect(store.lease([1], now, now + 5_000)).toEqual(new Set([1]));
      expect(row(1)).toMatchObject({ status: 'in_flight', attempts: 1, lockedUntil: now + 5_000, updatedAt: now });
    });

    it('refuses a row another worker holds until its lease has run out, then takes it over', () => {
      const { clock, store, create } = setup();
      create();
      const now = clock.now();
      store.lease([1], now, now + 5_000);
      expect(store.lease([1], now + 1, now + 10_000)).toEqual(new Set());
      expect(store.lease([1], now + 5_000, now + 10_000)).toEqual(new Set()); // not yet: the lease runs to its end
      expect(row(1)).toMatchObject({ attempts: 1, lockedUntil: now + 5_000 });
      expect(store.lease([1], now + 5_001, now + 10_000)).toEqual(new Set([1]));
      expect(row(1)).toMatchObject({ status: 'in_flight', attempts: 2, lockedUntil: now + 10_000 });
    });

    it('refuses rows that are done or dead, and takes the rest of the same call', () => {
      const { clock, store, create, set } = setup();
      create();
      create();
      create();
      set(1, { status: 'done' });
      set(2, { status: 'dead' });
      expect(store.lease([1, 2, 3], clock.now(), clock.now() + 1_000)).toEqual(new Set([3]));
      expect([row(1).status, row(2).status, row(3).status]).toEqual(['done', 'dead', 'in_flight']);
    });
  });

  it('finds interrupted rows: in flight past their lease, and no others', () => {
    const { clock, store, create, set, ids } = setup();
    for (let i = 0; i < 4; i++) create();
    const now = clock.now();
    set(1, { status: 'in_flight', lockedUntil: now - 1 });
    set(2, { status: 'in_flight', lockedUntil: now }); // runs out at this very instant: not yet past it
    set(3, { status: 'in_flight', lockedUntil: now + 1 });
    set(4, { status: 'pending', lockedUntil: now - 1 });
    expect(ids(store.interrupted(now))).toEqual([1]);
    expect(ids(store.interrupted(now + 2))).toEqual([1, 2, 3]);
  });

  describe('channelHead', () => {
    it('gives a channel’s pending rows in id order, up to the limit, and no other channel’s', () => {
      const { store, create, ids } = setup();
      create();
      create('bugs'); // 2 to support, 3 to bugs
      create();
      create();
      expect(ids(store.channelHead('console', 'C-SUPPORT'))).toEqual([1, 2, 4, 5]);
      expect(ids(store.channelHead('console', 'C-SUPPORT', 2))).toEqual([1, 2]);
      expect(ids(store.channelHead('console', 'C-BUGS'))).toEqual([3]);
      expect(ids(store.channelHead('slack', 'C-SUPPORT'))).toEqual([]);
    });

    it('keeps a row behind an unfinished earlier row of its inquiry and destination: pending, in flight or dead', () => {
      const { ctx, store, create, set, ids } = setup();
      const id = create();
      claim(ctx, { inquiryId: id, actor: { id: 'u1' } }); // 2: its update
      addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'more' }); // 3: a thread message
      const other = create(); // 4: another inquiry's post
      expect(other).not.toBe(id);
      const head = () => ids(store.channelHead('console', 'C-SUPPORT'));
      expect(head()).toEqual([1, 4]);
      set(1, { status: 'in_flight' });
      expect(head()).toEqual([4]);
      set(1, { status: 'dead' });
      expect(head()).toEqual([4]);
      set(1, { status: 'done' });
      expect(head()).toEqual([2, 4]);
      set(2, { status: 'done' });
      expect(head()).toEqual([3, 4]);
    });

    it('does not hold a destination’s rows behind another destination’s', () => {
      const { ctx, store, create, set, ids } = setup();
      const id = create('bugs');
      claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
      const of = (kind: string, destination: string) =>
        t.db
          .select()
          .from(deliveries)
          .all()
          .find((r) => r.kind === kind && r.destination === destination)!.id;
      set(of('post', 'support'), { status: 'done' });
      // #support's update may go; #bugs still waits for its own post, which goes first.
      expect(ids(store.channelHead('console', 'C-SUPPORT'))).toEqual([of('update', 'support')]);
      expect(ids(store.channelHead('console', 'C-BUGS'))).toEqual([of('post', 'bugs')]);
    });
  });

  it('lists each channel with pending rows once, and new pending rows by channel', () => {
    const { store, create, set } = setup();
    create();
    create('bugs');
    expect(store.channelsWithWork()).toEqual([
      { platform: 'console', channel: 'C-BUGS' },
      { platform: 'console', channel: 'C-SUPPORT' },
    ]);
    set(3, { status: 'in_flight' });
    expect(store.channelsWithWork()).toEqual([{ platform: 'console', channel: 'C-SUPPORT' }]);
    expect(store.maxId()).toBe(3);
    create();
    create();
    expect(store.newRows(3)).toEqual([{ id: 5, platform: 'console', channel: 'C-SUPPORT' }]);
    expect(store.newRows(5)).toEqual([]);
    expect(store.unfinishedCount()).toBe(5);
    set(1, { status: 'dead' });
    set(4, { status: 'done' });
    expect(store.unfinishedCount()).toBe(3);
  });

  it('reschedules a row: status, attempts, due time and error, and lets go of its lease', () => {
    const { clock, store, create } = setup();
    create();
    const now = clock.now();
    store.lease([1], now, now + 1_000);
    store.reschedule(1, { status: 'pending', attempts: 1, nextAttemptAt: now + 500, lastError: '503' }, now);
    expect(row(1)).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAt: now + 500,
      lastError: '503',
      lockedUntil: null,
    });
  });

  describe('completeAll', () => {
    const delivered = (r: DeliveryRow, ref: string | null, renderedAt: number) => ({
      row: r,
      posted: ref === null ? null : { messageRef: ref, threadRef: ref },
      renderedAt,
    });

    it('records a post’s mirror, rendered when its inquiry was read, and marks the row done', () => {
      const { clock, store, create } = setup();
      const id = create();
      const [post] = store.channelHead('console', 'C-SUPPORT');
      store.lease([1], clock.now(), clock.now() + 1_000);
      store.reschedule(1, { status: 'pending', attempts: 1, nextAttemptAt: clock.now(), lastError: 'timeout' }, 0);
      store.completeAll([delivered(post!, 'm1', clock.now() - 7)], clock.now());
      expect(t.db.select().from(mirrors).all()).toMatchObject([
        { inquiryId: id, destination: 'support', messageRef: 'm1', threadRef: 'm1', updatedAt: clock.now() - 7 },
      ]);
      expect(row(1)).toMatchObject({
        status: 'done',
        deliveredAt: clock.now(),
        lastError: null,
        lockedUntil: null,
      });
    });

    it('moves a mirror’s rendered time forward on an update, never back', () => {
      const { clock, ctx, store, create } = setup();
      const id = create();
      const [post] = store.channelHead('console', 'C-SUPPORT');
      store.completeAll([delivered(post!, 'm1', 1_000)], clock.now());
      claim(ctx, { inquiryId: id, actor: { id: 'u1' } });
      const [update] = store.channelHead('console', 'C-SUPPORT');
      const mirrorId = t.db.select().from(mirrors).get()!.id;
      store.completeAll([delivered(update!, null, 900)], clock.now()); // rendered before the post was: stale
      expect(store.mirrorUpdatedAt(mirrorId)).toBe(1_000);
      store.completeAll([delivered(update!, null, 2_000)], clock.now());
      expect(store.mirrorUpdatedAt(mirrorId)).toBe(2_000);
      store.completeAll([delivered(update!, null, 0)], clock.now()); // nothing rendered
      expect(store.mirrorUpdatedAt(mirrorId)).toBe(2_000);
    });
  });

  it('stores a thread opened on first use once, and keeps the first', () => {
    const { clock, store, create } = setup();
    const id = create();
    const [post] = store.channelHead('console', 'C-SUPPORT');
    store.completeAll([{ row: post!, posted: { messageRef: 'm1' }, renderedAt: 1 }], clock.now());
    const mirror = store.mirror(id, 'support')!;
    expect(mirror.threadRef).toBeNull();
    store.setThread(mirror.id, 't1');
    store.setThread(mirror.id, 't2');
    expect(store.mirror(id, 'support')?.threadRef).toBe('t1');
    expect(store.mirror(id, 'bugs')).toBeNull();
    expect(store.mirror(null, 'support')).toBeNull();
  });

  describe('a message shown in a mirror’s thread', () => {
    /** The outbox row as the worker reads it, wherever it stands in its queue. */
    const deliveryRow = (id: number) =>
      t.db.$client
        .prepare(
          `SELECT id, kind, inquiry_id, message_id, destination, platform, channel, payload, status, attempts,
                  next_attempt_at, created_at, last_error FROM deliveries WHERE id = ?`,
        )
        .get(id) as DeliveryRow;
    const threadRowOf = (inquiryId: number, destination = 'support') =>
      t.db
        .select()
        .from(deliveries)
        .all()
        .find((r) => r.kind === 'thread' && r.inquiryId === inquiryId && r.destination === destination)!;

    it('is remembered by the ref it was posted as, and neither makes nor moves the mirror', () => {
      const { clock, ctx, store, create } = setup();
      const id = create();
      const [post] = store.channelHead('console', 'C-SUPPORT');
      store.completeAll([{ row: post!, posted: { messageRef: 'm1' }, renderedAt: 1_000 }], clock.now());
      const out = addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'more' });
      if (!out.ok) throw new Error(out.code);
      const thread = deliveryRow(threadRowOf(id).id);
      expect(store.threadPostRef(thread.message_id!, 'support')).toBeNull(); // not posted yet
      store.completeAll(
        [{ row: thread, posted: { messageRef: 't-1', threadRef: 'm1' }, renderedAt: 5_000 }],
        clock.now(),
      );
      expect(store.threadPostRef(thread.message_id!, 'support')).toBe('t-1');
      expect(store.threadPostRef(thread.message_id!, 'bugs')).toBeNull();
      expect(t.db.select().from(mirrors).all()).toMatchObject([{ inquiryId: id, messageRef: 'm1', updatedAt: 1_000 }]);
    });

    it('does not become the mirror when its inquiry’s post has not landed', () => {
      const { clock, ctx, store, create } = setup();
      const id = create();
      const out = addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'more' });
      if (!out.ok) throw new Error(out.code);
      const thread = deliveryRow(threadRowOf(id).id);
      store.completeAll([{ row: thread, posted: { messageRef: 't-1' }, renderedAt: 5_000 }], clock.now());
      expect(t.db.select().from(mirrors).all()).toEqual([]);
      expect(row(thread.id)).toMatchObject({ status: 'done', postedRef: 't-1' });
    });

    it('reads the message a row shows, and none for a row without one', () => {
      const { ctx, store, create } = setup();
      const id = create();
      const out = addMessage(ctx, {
        inquiryId: id,
        direction: 'inbound',
        body: 'more',
        author: { id: 'U1', name: 'Aiko' },
      });
      if (!out.ok) throw new Error(out.code);
      const messageId = threadRowOf(id).messageId!;
      expect(store.message(messageId)).toMatchObject({
        id: messageId,
        inquiryId: id,
        body: 'more',
        authorName: 'Aiko',
      });
      expect(store.message(null)).toBeUndefined();
      expect(store.message(messageId + 100)).toBeUndefined();
    });
  });

  it('gives a rendered time of 0 for a mirror that is not there', () => {
    const { store } = setup();
    expect(store.mirrorUpdatedAt(12_345)).toBe(0);
  });

  describe('the queue the core writes to (createOutboxQueue)', () => {
    it('requeues a failed reply and cancels a pending one only when there is one, and says whether it did', () => {
      const { clock, create, set } = setup();
      const id = create();
      const queue = createOutboxQueue(t.db);
      const now = clock.now();
      const reply = {
        kind: 'reply',
        inquiryId: id,
        messageId: 1,
        destination: 'support',
        platform: 'webhook',
        channel: 'c',
      };
      t.db.$client
        .prepare(`INSERT INTO messages (inquiry_id, direction, body, created_at) VALUES (?, 'outbound', 'hi', 0)`)
        .run(id);
      queue.enqueue([reply as never], now);
      const replyRow = t.db.select().from(deliveries).all().at(-1)!.id;
      expect(queue.requeueFailedReply(1, now)).toBe(false); // pending, not failed
      expect(queue.requeueFailedReply(2, now)).toBe(false); // no such message
      set(replyRow, { status: 'dead', attempts: 3 });
      expect(queue.requeueFailedReply(1, now + 5)).toBe(true);
      expect(row(replyRow)).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now + 5 });
      expect(queue.cancelPendingReply(1, now + 6)).toBe(true);
      expect(queue.cancelPendingReply(1, now + 7)).toBe(false); // already cancelled
      expect(row(replyRow)).toMatchObject({ status: 'cancelled' });
    });

    it('queues rows with their payload as JSON (or none), due at once or not before the time asked for', () => {
      const { clock, create } = setup();
      const id = create(); // rows 1 (support) and 2 (bugs is only for source bugs: row 1 alone)
      const queue = createOutboxQueue(t.db);
      const now = clock.now();
      const base = { inquiryId: id, destination: 'support', platform: 'console', channel: 'C-SUPPORT' } as const;
      queue.enqueue(
        [
          { ...base, kind: 'update' },
          { ...base, kind: 'update', payload: { why: 'claimed' }, notBefore: now + 30_000 },
          { ...base, kind: 'update', notBefore: now - 30_000 }, // already past: at once
        ],
        now,
      );
      const rows = t.db.select().from(deliveries).all().slice(-3);
      expect(rows.map((r) => [r.payload, r.nextAttemptAt, r.createdAt, r.status, r.attempts])).toEqual([
        [null, now, now, 'pending', 0],
        [{ why: 'claimed' }, now + 30_000, now, 'pending', 0],
        [null, now, now, 'pending', 0],
      ]);
      expect(t.db.$client.prepare(`SELECT count(*) AS n FROM deliveries WHERE payload IS NULL`).get()).toEqual({
        n: 3,
      });
    });
  });
});
