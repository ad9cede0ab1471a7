import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMessage,
  assign,
  claim,
  createInquiry,
  react,
  reopen,
  resolve,
  setReason,
  unclaim,
} from '../../../src/core/inquiries/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';
import type { Db } from '../../../src/storage/db.ts';
import { deliveries, events, mirrors } from '../../../src/storage/schema/index.ts';
import { eq } from 'drizzle-orm';

const alice = { id: 'slack:UALICE', name: 'alice' };
const bob = { id: 'slack:UBOB', name: 'bob' };

let t: ReturnType<typeof tempDb>;
let db: Db;
beforeEach(() => {
  t = tempDb();
  db = t.db;
});
afterEach(() => t.cleanup());

function newInquiry(ctx = coreContext(db), body = 'ログインできません') {
  const out = createInquiry(ctx, { source: 'web', body, customer: { email: 'taro@example.com', name: '太郎' } });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry;
}

function eventTypes(inquiryId: number) {
  return db
    .select()
    .from(events)
    .where(eq(events.inquiryId, inquiryId))
    .all()
    .map((e) => e.type);
}

describe('the inquiry lifecycle', () => {
  it('stores a new inquiry as open, with a created event and one post per matching route', () => {
    const ctx = coreContext(db, {
      routes: [
        { name: 'everyone', platform: 'console', channel: 'a' },
        { name: 'eng', platform: 'console', channel: 'b', reasons: ['bug'] },
      ],
    });
    const inquiry = newInquiry(ctx);
    expect(inquiry.status).toBe('open');
    expect(eventTypes(inquiry.id)).toEqual(['created']);
    const rows = db.select().from(deliveries).all();
    expect(rows.map((r) => [r.kind, r.destination])).toEqual([['post', 'everyone']]);
    expect(ctx.wakes).toBe(1);
  });

  it('walks open → claimed → resolved → reopened (claimed again) → unclaimed, one event each', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const claimed = claim(ctx, { inquiryId: id, actor: alice });
    expect(claimed.ok && claimed.inquiry).toMatchObject({
      status: 'claimed',
      assigneeId: alice.id,
      assigneeName: 'alice',
    });
    const resolved = resolve(ctx, { inquiryId: id, actor: alice });
    expect(resolved.ok && resolved.inquiry.status).toBe('resolved');
    expect(resolved.ok && resolved.inquiry.resolvedAt).toBeTypeOf('number');
    const reopened = reopen(ctx, { inquiryId: id, actor: bob });
    expect(reopened.ok && reopened.inquiry).toMatchObject({
      status: 'claimed',
      assigneeId: alice.id,
      resolvedAt: null,
    });
    const released = unclaim(ctx, { inquiryId: id, actor: alice });
    expect(released.ok && released.inquiry).toMatchObject({ status: 'open', assigneeId: null });
    expect(eventTypes(id)).toEqual(['created', 'claimed', 'resolved', 'reopened', 'unclaimed']);
  });

  it('tells the loser of a claim who holds it, and the winner that it is already theirs', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    expect(claim(ctx, { inquiryId: id, actor: alice }).ok).toBe(true);
    expect(claim(ctx, { inquiryId: id, actor: bob })).toEqual({
      ok: false,
      code: 'ALREADY_CLAIMED',
      inquiryId: id,
      by: { id: alice.id, name: 'alice' },
    });
    expect(claim(ctx, { inquiryId: id, actor: alice })).toMatchObject({ ok: false, code: 'ALREADY_YOURS' });
    expect(eventTypes(id).filter((e) => e === 'claimed')).toHaveLength(1);
  });

  it.each([
    [
      'claim',
      (ctx: ReturnType<typeof coreContext>, id: number) => claim(ctx, { inquiryId: id, actor: bob }),
      'ALREADY_RESOLVED',
    ],
    [
      'resolve',
      (ctx: ReturnType<typeof coreContext>, id: number) => resolve(ctx, { inquiryId: id, actor: bob }),
      'ALREADY_RESOLVED',
    ],
    [
      'assign',
      (ctx: ReturnType<typeof coreContext>, id: number) => assign(ctx, { inquiryId: id, actor: bob, assignee: alice }),
      'ALREADY_RESOLVED',
    ],
    [
      'unclaim',
      (ctx: ReturnType<typeof coreContext>, id: number) => unclaim(ctx, { inquiryId: id, actor: bob }),
      'NOT_CLAIMED',
    ],
  ])('refuses to %s a resolved inquiry and writes nothing', (_name, verb, code) => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    resolve(ctx, { inquiryId: id, actor: alice });
    const before = eventTypes(id);
    expect(verb(ctx, id)).toMatchObject({ ok: false, code });
    expect(eventTypes(id)).toEqual(before);
  });

  it('answers NOT_FOUND for an inquiry that does not exist', () => {
    const ctx = coreContext(db);
    expect(claim(ctx, { inquiryId: 999, actor: alice })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
      inquiryId: 999,
    });
    expect(reopen(ctx, { inquiryId: 999, actor: alice })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('assigns to someone else over an existing claim and records both people', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    claim(ctx, { inquiryId: id, actor: alice });
    const out = assign(ctx, { inquiryId: id, actor: alice, assignee: bob });
    expect(out.ok && out.inquiry).toMatchObject({ status: 'claimed', assigneeId: bob.id });
    const assigned = db.select().from(events).where(eq(events.type, 'assigned')).get();
    expect(assigned).toMatchObject({ actorId: alice.id, data: { assigneeId: bob.id, previous: alice.id } });
  });

  it('is idempotent on source + externalId', () => {
    const ctx = coreContext(db);
    const first = createInquiry(ctx, { source: 'web', externalId: 'form-1', body: 'hello' });
    const again = createInquiry(ctx, { source: 'web', externalId: 'form-1', body: 'hello again' });
    expect(first.ok && again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.inquiry.id).toBe(first.inquiry.id);
    expect(again.created).toBe(false);
    expect(db.select().from(deliveries).all()).toHaveLength(1);
  });

  it('keeps a human reason over later rule or classifier guesses, and re-routes on a new reason', () => {
    const ctx = coreContext(db, {
      routes: [
        { name: 'everyone', platform: 'console', channel: 'a' },
        { name: 'eng', platform: 'console', channel: 'b', reasons: ['bug'] },
      ],
    });
    const { id } = newInquiry(ctx);
    const human = setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'bug', source: 'human' });
    expect(human.ok && human.changed).toBe(true);
    const machine = setReason(ctx, {
      inquiryId: id,
      actor: alice,
      reasonId: 'billing',
      source: 'classifier',
      confidence: 0.99,
    });
    expect(machine.ok && machine.changed).toBe(false);
    expect(machine.ok && machine.inquiry.reasonId).toBe('bug');
    const posts = db
      .select()
      .from(deliveries)
      .where(eq(deliveries.kind, 'post'))
      .all()
      .map((r) => r.destination);
    expect(posts.sort()).toEqual(['eng', 'everyone']);
    expect(setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'nope', source: 'human' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_REASON',
    });
  });

  it('sets first-response time on the first outbound message only, and ignores a redelivered message', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    clock.advance(60_000);
    addMessage(ctx, { inquiryId: id, direction: 'note', body: 'looking' });
    expect(ctx.store.transaction((tx) => tx.findInquiry(id))?.firstResponseAt).toBeNull();
    const first = addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'Hi!', externalId: 'm1' });
    const firstAt = clock.now();
    clock.advance(60_000);
    const dup = addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'Hi!', externalId: 'm1' });
    addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'More' });
    expect(first.ok && dup.ok && dup.created).toBe(false);
    expect(ctx.store.transaction((tx) => tx.findInquiry(id))?.firstResponseAt).toBe(firstAt);
  });

  it('queues at most one pending update per destination however many changes come', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    db.update(deliveries).set({ status: 'done' }).run();
    db.insert(mirrors)
      .values({
        inquiryId: id,
        destination: 'everyone',
        platform: 'console',
        channel: 'stdout',
        messageRef: 'm',
        createdAt: 0,
        updatedAt: 0,
      })
      .run();
    claim(ctx, { inquiryId: id, actor: alice });
    unclaim(ctx, { inquiryId: id, actor: alice });
    claim(ctx, { inquiryId: id, actor: bob });
    expect(db.select().from(deliveries).where(eq(deliveries.kind, 'update')).all()).toHaveLength(1);
  });

  it('joins a customer’s messages within the window into their open inquiry', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const input = { source: 'slack:C1', customer: { id: 'U9' } };
    const a = createInquiry(ctx, { ...input, externalId: '1', body: 'hi' }, { joinWindowMs: 5 * 60_000 });
    clock.advance(2 * 60_000);
    const b = createInquiry(ctx, { ...input, externalId: '2', body: 'are you there?' }, { joinWindowMs: 5 * 60_000 });
    clock.advance(10 * 60_000);
    const c = createInquiry(ctx, { ...input, externalId: '3', body: 'new topic' }, { joinWindowMs: 5 * 60_000 });
    if (!a.ok || !b.ok || !c.ok) throw new Error('refused');
    expect(b).toMatchObject({ joined: true, created: false });
    expect(b.inquiry.id).toBe(a.inquiry.id);
    expect(c.created).toBe(true);
    expect(c.inquiry.id).not.toBe(a.inquiry.id);
  });

  it('records a reaction once, maps its emoji to an action, and keeps the record when the action is refused', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    db.insert(mirrors)
      .values({
        inquiryId: id,
        destination: 'everyone',
        platform: 'slack',
        channel: 'C1',
        messageRef: '1.2',
        createdAt: 0,
        updatedAt: 0,
      })
      .run();
    const where = { platform: 'slack', channel: 'C1', messageRef: '1.2' };
    expect(react(ctx, { ...where, actor: alice, emoji: 'raising_hand' })).toMatchObject({
      ok: true,
      recorded: true,
      action: 'claim',
      actionFailure: null,
    });
    expect(react(ctx, { ...where, actor: alice, emoji: 'raising_hand' })).toMatchObject({
      ok: true,
      recorded: false,
      action: null,
    });
    const lost = react(ctx, { ...where, actor: bob, emoji: 'raising_hand' });
    expect(lost).toMatchObject({ ok: true, recorded: true, actionFailure: { code: 'ALREADY_CLAIMED' } });
    expect(react(ctx, { ...where, actor: bob, emoji: 'bug' })).toMatchObject({ ok: true, action: 'reason:bug' });
    expect(ctx.store.transaction((tx) => tx.findInquiry(id))).toMatchObject({
      assigneeId: alice.id,
      reasonId: 'bug',
      reasonSource: 'human',
    });
    expect(react(ctx, { ...where, actor: bob, emoji: 'bug', removed: true })).toMatchObject({
      ok: true,
      recorded: true,
    });
    expect(
      react(ctx, { platform: 'slack', channel: 'C1', messageRef: 'nope', actor: bob, emoji: 'eyes' }),
    ).toMatchObject({ ok: false, code: 'NOT_A_MIRROR' });
  });
});
