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
import { inquiryInvariantProblems } from '../../helpers/invariants.ts';
import type { Db } from '../../../src/storage/db.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { DEFAULT_REACTION_ACTIONS } from '../../../src/config/schema.ts';
import { deliveries, events, inquiries, messages, mirrors, reactions } from '../../../src/storage/schema/index.ts';
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

type Ctx = ReturnType<typeof coreContext>;

function stored(ctx: Ctx, id: number) {
  return ctx.store.transaction((tx) => tx.findInquiry(id));
}

/** Everything a refused verb must leave exactly as it found it. */
function footprint(ctx: Ctx, id: number) {
  return {
    inquiry: stored(ctx, id),
    events: db.select().from(events).all(),
    deliveries: db.select().from(deliveries).all(),
    messages: db.select().from(messages).all(),
    wakes: ctx.wakes,
  };
}

/** Marks every queued delivery delivered, so that any later change must queue a fresh update. */
function deliverAll() {
  db.update(deliveries).set({ status: 'done' }).run();
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
    expect(first).toMatchObject({ ok: true, created: true });
    expect(dup).toMatchObject({ ok: true, created: false });
    if (!first.ok || !dup.ok) return;
    expect(dup.message.id).toBe(first.message.id);
    expect(db.select().from(messages).where(eq(messages.externalId, 'm1')).all()).toHaveLength(1);
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

/** A Slack mirror of the inquiry, so reactions on it reach the inquiry. */
function slackMirror(inquiryId: number, messageRef = '1.2') {
  db.insert(mirrors)
    .values({
      inquiryId,
      destination: 'everyone',
      platform: 'slack',
      channel: 'C1',
      messageRef,
      createdAt: 0,
      updatedAt: 0,
    })
    .run();
  return { platform: 'slack', channel: 'C1', messageRef };
}

describe('idempotent intake', () => {
  it('keeps the same externalId from two sources as two inquiries, and the same pair twice as one', () => {
    const ctx = coreContext(db);
    const web = createInquiry(ctx, { source: 'web', externalId: 'ticket-7', body: 'from the form' });
    const api = createInquiry(ctx, { source: 'api', externalId: 'ticket-7', body: 'from the API' });
    const webAgain = createInquiry(ctx, { source: 'web', externalId: 'ticket-7', body: 'the form, redelivered' });
    if (!web.ok || !api.ok || !webAgain.ok) throw new Error('refused');
    expect(web.created).toBe(true);
    expect(api.created).toBe(true);
    expect(api.inquiry.id).not.toBe(web.inquiry.id);
    expect(webAgain).toMatchObject({ created: false, joined: false });
    expect(webAgain.inquiry.id).toBe(web.inquiry.id);
    expect(
      db
        .select()
        .from(inquiries)
        .all()
        .map((r) => [r.source, r.externalId, r.body]),
    ).toEqual([
      ['web', 'ticket-7', 'from the form'],
      ['api', 'ticket-7', 'from the API'],
    ]);
    expect(eventTypes(web.inquiry.id)).toEqual(['created']);
    expect(eventTypes(api.inquiry.id)).toEqual(['created']);
  });

  it('refuses an unknown reason at intake and stores nothing', () => {
    const ctx = coreContext(db);
    expect(createInquiry(ctx, { source: 'web', body: 'hi', reason: 'nope' })).toEqual({
      ok: false,
      code: 'UNKNOWN_REASON',
      reason: 'nope',
      validReasons: DEFAULT_REASONS.map((r) => r.id),
    });
    expect(db.select().from(inquiries).all()).toEqual([]);
    expect(db.select().from(events).all()).toEqual([]);
    expect(db.select().from(deliveries).all()).toEqual([]);
    expect(ctx.wakes).toBe(0);
  });

  it('stores a reason given at intake as the customer’s, and a guess with its source and confidence', () => {
    const labeled: number[] = [];
    const ctx = coreContext(db, {
      guessReason: () => ({ reasonId: 'billing', source: 'classifier', confidence: 0.8 }),
      onLabeled: (id) => labeled.push(id),
    });
    const given = createInquiry(ctx, { source: 'web', body: 'a refund please', reason: 'billing' });
    const guessed = createInquiry(ctx, { source: 'web', body: 'a refund please' });
    if (!given.ok || !guessed.ok) throw new Error('refused');
    expect(given.inquiry).toMatchObject({ reasonId: 'billing', reasonSource: 'intake', reasonConfidence: null });
    expect(guessed.inquiry).toMatchObject({ reasonId: 'billing', reasonSource: 'classifier', reasonConfidence: 0.8 });
    // Only a label a person chose teaches the classifier.
    expect(labeled).toEqual([given.inquiry.id]);
  });
});

describe('reactions', () => {
  it('writes one reacted event for a reaction delivered twice, and one unreacted event for a removal delivered twice', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    expect(react(ctx, { ...where, actor: bob, emoji: 'eyes' })).toMatchObject({ ok: true, recorded: true });
    expect(react(ctx, { ...where, actor: bob, emoji: 'eyes' })).toMatchObject({ ok: true, recorded: false });
    expect(eventTypes(id)).toEqual(['created', 'reacted']);
    const removed = { ...where, actor: bob, emoji: 'eyes', removed: true };
    expect(react(ctx, removed)).toEqual({ ok: true, inquiryId: id, recorded: true, action: null, actionFailure: null });
    expect(react(ctx, removed)).toEqual({
      ok: true,
      inquiryId: id,
      recorded: false,
      action: null,
      actionFailure: null,
    });
    expect(eventTypes(id)).toEqual(['created', 'reacted', 'unreacted']);
  });

  it('does not resolve again or claim again for a redelivered reaction', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    react(ctx, { ...where, actor: alice, emoji: 'raising_hand' });
    react(ctx, { ...where, actor: alice, emoji: 'white_check_mark' });
    expect(react(ctx, { ...where, actor: alice, emoji: 'raising_hand' })).toMatchObject({ recorded: false });
    expect(react(ctx, { ...where, actor: alice, emoji: 'white_check_mark' })).toMatchObject({ recorded: false });
    expect(eventTypes(id)).toEqual(['created', 'reacted', 'claimed', 'reacted', 'resolved']);
  });

  it('treats a resolve reaction on an already resolved inquiry as done, not as a refusal', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    resolve(ctx, { inquiryId: id, actor: alice });
    expect(react(ctx, { ...where, actor: bob, emoji: 'white_check_mark' })).toEqual({
      ok: true,
      inquiryId: id,
      recorded: true,
      action: 'resolve',
      actionFailure: null,
    });
    expect(eventTypes(id)).toEqual(['created', 'resolved', 'reacted']);
  });

  it('reports the refusal of a reason reaction whose reason left the taxonomy, and keeps the record', () => {
    const ctx = coreContext(db, { reactions: { ...DEFAULT_REACTION_ACTIONS, ticket: 'reason:retired' } });
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    expect(react(ctx, { ...where, actor: bob, emoji: 'ticket' })).toMatchObject({
      ok: true,
      recorded: true,
      action: 'reason:retired',
      actionFailure: { ok: false, code: 'UNKNOWN_REASON' },
    });
    expect(eventTypes(id)).toEqual(['created', 'reacted']);
  });

  it('takes no action when a reaction is removed: taking back ✅ does not resolve again', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    expect(react(ctx, { ...where, actor: alice, emoji: 'white_check_mark' })).toMatchObject({ action: 'resolve' });
    reopen(ctx, { inquiryId: id, actor: alice });
    expect(react(ctx, { ...where, actor: alice, emoji: 'white_check_mark', removed: true })).toMatchObject({
      recorded: true,
      action: null,
    });
    expect(stored(ctx, id)?.status).toBe('open');
  });

  it('records nothing for a reaction on a message that is not a mirror', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    slackMirror(id);
    const before = footprint(ctx, id);
    expect(
      react(ctx, { platform: 'slack', channel: 'C2', messageRef: '1.2', actor: bob, emoji: 'raising_hand' }),
    ).toEqual({ ok: false, code: 'NOT_A_MIRROR' });
    expect(footprint(ctx, id)).toEqual(before);
  });

  it('records who reacted, by id and name, and the emoji in the reacted event', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    react(ctx, { ...where, actor: bob, emoji: 'eyes' });
    expect(db.select().from(reactions).all()).toMatchObject([
      { inquiryId: id, platform: 'slack', userId: bob.id, userName: 'bob', emoji: 'eyes', createdAt: clock.now() },
    ]);
    expect(db.select().from(events).where(eq(events.type, 'reacted')).all()).toMatchObject([
      { inquiryId: id, actorId: bob.id, actorName: 'bob', data: { emoji: 'eyes' }, createdAt: clock.now() },
    ]);
  });

  it('reports no failure for a claim reaction by the person who already holds the inquiry', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    claim(ctx, { inquiryId: id, actor: alice });
    expect(react(ctx, { ...where, actor: alice, emoji: 'raising_hand' })).toEqual({
      ok: true,
      inquiryId: id,
      recorded: true,
      action: 'claim',
      actionFailure: null,
    });
    expect(eventTypes(id)).toEqual(['created', 'claimed', 'reacted']);
  });

  it.each([
    ['claim', 'raising_hand', { status: 'claimed', assigneeId: alice.id }],
    ['resolve', 'white_check_mark', { status: 'resolved' }],
    ['reason:bug', 'bug', { reasonId: 'bug', reasonSource: 'human' }],
  ])('reports no failure when the %s action of a reaction succeeds', (action, emoji, after) => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const where = slackMirror(id);
    expect(react(ctx, { ...where, actor: alice, emoji })).toEqual({
      ok: true,
      inquiryId: id,
      recorded: true,
      action,
      actionFailure: null,
    });
    expect(stored(ctx, id)).toMatchObject(after);
  });
});

describe('reopening', () => {
  it.each([
    ['open', () => {}],
    ['claimed', (ctx: Ctx, id: number) => claim(ctx, { inquiryId: id, actor: alice })],
  ])('refuses to reopen an inquiry that is only %s, and writes and queues nothing', (status, setUp) => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    setUp(ctx, id);
    deliverAll();
    const before = footprint(ctx, id);
    expect(before.inquiry?.status).toBe(status);
    expect(reopen(ctx, { inquiryId: id, actor: bob })).toEqual({ ok: false, code: 'NOT_RESOLVED', inquiryId: id });
    expect(footprint(ctx, id)).toEqual(before);
    expect(inquiryInvariantProblems(db.$client, ctx.routes)).toEqual([]);
  });

  it('sends an inquiry resolved without a claim back to the pool, and queues an update of its mirror', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    resolve(ctx, { inquiryId: id, actor: alice });
    deliverAll();
    clock.advance(60_000);
    const out = reopen(ctx, { inquiryId: id, actor: bob });
    expect(out.ok && out.inquiry).toMatchObject({
      status: 'open',
      assigneeId: null,
      resolvedAt: null,
      updatedAt: clock.now(),
    });
    const reopened = db.select().from(events).where(eq(events.type, 'reopened')).get();
    expect(reopened).toMatchObject({ inquiryId: id, actorId: bob.id, actorName: 'bob', createdAt: clock.now() });
    expect(
      db
        .select()
        .from(deliveries)
        .where(eq(deliveries.status, 'pending'))
        .all()
        .map((r) => [r.kind, r.destination]),
    ).toEqual([['update', 'everyone']]);
    expect(inquiryInvariantProblems(db.$client, ctx.routes)).toEqual([]);
  });
});

describe('refusals', () => {
  const claimedByAlice = (ctx: Ctx, id: number) => claim(ctx, { inquiryId: id, actor: alice });
  const resolved = (ctx: Ctx, id: number) => resolve(ctx, { inquiryId: id, actor: alice });
  const open = () => {};
  const cases: Array<[string, (ctx: Ctx, id: number) => unknown, (ctx: Ctx, id: number) => unknown, object]> = [
    [
      'claim what someone else holds',
      claimedByAlice,
      (ctx, id) => claim(ctx, { inquiryId: id, actor: bob }),
      {
        code: 'ALREADY_CLAIMED',
        by: { id: alice.id, name: 'alice' },
      },
    ],
    [
      'claim what you already hold',
      claimedByAlice,
      (ctx, id) => claim(ctx, { inquiryId: id, actor: alice }),
      {
        code: 'ALREADY_YOURS',
      },
    ],
    [
      'claim a resolved inquiry',
      resolved,
      (ctx, id) => claim(ctx, { inquiryId: id, actor: bob }),
      {
        code: 'ALREADY_RESOLVED',
      },
    ],
    [
      'unclaim an open inquiry',
      open,
      (ctx, id) => unclaim(ctx, { inquiryId: id, actor: bob }),
      {
        code: 'NOT_CLAIMED',
      },
    ],
    [
      'unclaim a resolved inquiry',
      resolved,
      (ctx, id) => unclaim(ctx, { inquiryId: id, actor: bob }),
      {
        code: 'NOT_CLAIMED',
      },
    ],
    [
      'assign a resolved inquiry',
      resolved,
      (ctx, id) => assign(ctx, { inquiryId: id, actor: bob, assignee: bob }),
      { code: 'ALREADY_RESOLVED' },
    ],
    [
      'assign an inquiry to the person who holds it',
      claimedByAlice,
      (ctx, id) => assign(ctx, { inquiryId: id, actor: bob, assignee: alice }),
      { code: 'ALREADY_YOURS' },
    ],
    [
      'resolve a resolved inquiry',
      resolved,
      (ctx, id) => resolve(ctx, { inquiryId: id, actor: bob, note: 'again' }),
      {
        code: 'ALREADY_RESOLVED',
      },
    ],
    [
      'reopen an open inquiry',
      open,
      (ctx, id) => reopen(ctx, { inquiryId: id, actor: bob }),
      {
        code: 'NOT_RESOLVED',
      },
    ],
    [
      'set a reason that is not in the taxonomy',
      open,
      (ctx, id) => setReason(ctx, { inquiryId: id, actor: bob, reasonId: 'nope', source: 'human' }),
      { code: 'UNKNOWN_REASON', reason: 'nope', validReasons: DEFAULT_REASONS.map((r) => r.id) },
    ],
  ];

  it.each(cases)('refuses to %s with its code, and writes, queues and wakes nothing', (_what, setUp, verb, failure) => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    setUp(ctx, id);
    deliverAll();
    const before = footprint(ctx, id);
    expect(verb(ctx, id)).toEqual({ ok: false, inquiryId: id, ...failure });
    expect(footprint(ctx, id)).toEqual(before);
    expect(inquiryInvariantProblems(db.$client, ctx.routes)).toEqual([]);
  });

  it.each([
    ['claim', (ctx: Ctx) => claim(ctx, { inquiryId: 999, actor: alice })],
    ['unclaim', (ctx: Ctx) => unclaim(ctx, { inquiryId: 999, actor: alice })],
    ['assign', (ctx: Ctx) => assign(ctx, { inquiryId: 999, actor: alice, assignee: bob })],
    ['resolve', (ctx: Ctx) => resolve(ctx, { inquiryId: 999, actor: alice })],
    ['reopen', (ctx: Ctx) => reopen(ctx, { inquiryId: 999, actor: alice })],
    ['setReason', (ctx: Ctx) => setReason(ctx, { inquiryId: 999, actor: alice, reasonId: 'bug', source: 'human' })],
    ['addMessage', (ctx: Ctx) => addMessage(ctx, { inquiryId: 999, direction: 'note', body: 'hello?' })],
  ])('answers NOT_FOUND to %s on an inquiry that does not exist, and writes nothing', (_verb, verb) => {
    const ctx = coreContext(db);
    expect(verb(ctx)).toEqual({ ok: false, code: 'NOT_FOUND', inquiryId: 999 });
    expect(db.select().from(events).all()).toEqual([]);
    expect(db.select().from(messages).all()).toEqual([]);
    expect(db.select().from(deliveries).all()).toEqual([]);
    expect(ctx.wakes).toBe(0);
  });
});

describe('what each verb records', () => {
  it('claims for the actor, by id and name, at the clock’s time, and queues an update of the mirror', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    deliverAll();
    clock.advance(60_000);
    const wakes = ctx.wakes;
    const out = claim(ctx, { inquiryId: id, actor: bob });
    expect(out.ok && out.inquiry).toMatchObject({
      status: 'claimed',
      assigneeId: bob.id,
      assigneeName: 'bob',
      updatedAt: clock.now(),
    });
    expect(db.select().from(events).where(eq(events.type, 'claimed')).get()).toMatchObject({
      actorId: bob.id,
      actorName: 'bob',
      createdAt: clock.now(),
    });
    expect(
      db
        .select()
        .from(deliveries)
        .where(eq(deliveries.status, 'pending'))
        .all()
        .map((r) => [r.kind, r.destination]),
    ).toEqual([['update', 'everyone']]);
    expect(ctx.wakes).toBe(wakes + 1);
  });

  it('unclaims whoever holds it, and records who did it and whose it was', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    claim(ctx, { inquiryId: id, actor: alice });
    const out = unclaim(ctx, { inquiryId: id, actor: bob });
    expect(out.ok && out.inquiry).toMatchObject({ status: 'open', assigneeId: null, assigneeName: null });
    expect(db.select().from(events).where(eq(events.type, 'unclaimed')).get()).toMatchObject({
      actorId: bob.id,
      data: { previous: alice.id },
    });
  });

  it('assigns an open inquiry, which claims it for the assignee', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    const out = assign(ctx, { inquiryId: id, actor: alice, assignee: bob });
    expect(out.ok && out.inquiry).toMatchObject({ status: 'claimed', assigneeId: bob.id, assigneeName: 'bob' });
    expect(db.select().from(events).where(eq(events.type, 'assigned')).get()).toMatchObject({
      actorId: alice.id,
      data: { assigneeId: bob.id, assigneeName: 'bob', previous: null },
    });
    expect(inquiryInvariantProblems(db.$client, ctx.routes)).toEqual([]);
  });

  it('resolves an open inquiry at the clock’s time and keeps whoever held a claimed one', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const open = newInquiry(ctx);
    const held = newInquiry(ctx);
    claim(ctx, { inquiryId: held.id, actor: alice });
    clock.advance(60_000);
    const a = resolve(ctx, { inquiryId: open.id, actor: bob });
    const b = resolve(ctx, { inquiryId: held.id, actor: bob });
    expect(a.ok && a.inquiry).toMatchObject({ status: 'resolved', resolvedAt: clock.now(), assigneeId: null });
    expect(b.ok && b.inquiry).toMatchObject({ status: 'resolved', resolvedAt: clock.now(), assigneeId: alice.id });
    expect(eventTypes(open.id)).toEqual(['created', 'resolved']);
  });

  it('resolves with a note: stores it as a note by the resolver and queues it into the mirror’s thread', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    deliverAll();
    resolve(ctx, { inquiryId: id, actor: alice, note: '  refunded  ' });
    const note = db.select().from(messages).where(eq(messages.inquiryId, id)).get();
    expect(note).toMatchObject({ direction: 'note', body: 'refunded', authorId: alice.id, authorName: 'alice' });
    expect(db.select().from(events).where(eq(events.type, 'resolved')).get()).toMatchObject({
      data: { note: '  refunded  ' },
    });
    const pending = db.select().from(deliveries).where(eq(deliveries.status, 'pending')).all();
    expect(pending.map((r) => [r.kind, r.destination, r.messageId]).sort()).toEqual([
      ['thread', 'everyone', note!.id],
      ['update', 'everyone', null],
    ]);
  });

  it('resolves with a blank note without storing a message', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    resolve(ctx, { inquiryId: id, actor: alice, note: '   ' });
    expect(db.select().from(messages).all()).toEqual([]);
    expect(db.select().from(deliveries).where(eq(deliveries.kind, 'thread')).all()).toEqual([]);
  });

  it('changes nothing, writes no event and queues nothing when the same reason comes again from the same source', () => {
    const labeled: number[] = [];
    const ctx = coreContext(db, { onLabeled: (id) => labeled.push(id) });
    const { id } = newInquiry(ctx);
    setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'bug', source: 'human' });
    deliverAll();
    const before = footprint(ctx, id);
    const again = setReason(ctx, { inquiryId: id, actor: bob, reasonId: 'bug', source: 'human' });
    expect(again.ok && again.changed).toBe(false);
    // (It may wake the worker for nothing; that is harmless.)
    expect({ ...footprint(ctx, id), wakes: 0 }).toEqual({ ...before, wakes: 0 });
    expect(labeled).toEqual([id]);
  });

  it('lets a rule replace a classifier guess, but never the customer’s own reason; a human replaces either', () => {
    const labeled: number[] = [];
    const ctx = coreContext(db, { onLabeled: (id) => labeled.push(id) });
    const { id } = newInquiry(ctx);
    const guessed = setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'billing', source: 'classifier' });
    const ruled = setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'bug', source: 'rule' });
    expect(guessed.ok && guessed.changed).toBe(true);
    expect(ruled.ok && ruled.inquiry).toMatchObject({ reasonId: 'bug', reasonSource: 'rule' });
    expect(labeled).toEqual([]); // machines do not teach the classifier

    const given = createInquiry(ctx, { source: 'web', body: 'a refund please', reason: 'billing' });
    if (!given.ok) throw new Error(given.code);
    const overruled = setReason(ctx, { inquiryId: given.inquiry.id, actor: alice, reasonId: 'bug', source: 'rule' });
    expect(overruled.ok && overruled.changed).toBe(false);
    expect(eventTypes(given.inquiry.id)).toEqual(['created']);
    const human = setReason(ctx, { inquiryId: given.inquiry.id, actor: bob, reasonId: 'bug', source: 'human' });
    expect(human.ok && human.inquiry).toMatchObject({ reasonId: 'bug', reasonSource: 'human' });
    expect(db.select().from(events).where(eq(events.inquiryId, given.inquiry.id)).all().at(-1)).toMatchObject({
      type: 'reason_set',
      actorId: bob.id,
      data: { reasonId: 'bug', previous: 'billing', source: 'human' },
    });
  });

  it('sets the same reason again when it comes from another source, which then holds it', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'bug', source: 'classifier', confidence: 0.7 });
    expect(stored(ctx, id)).toMatchObject({ reasonId: 'bug', reasonSource: 'classifier', reasonConfidence: 0.7 });
    const confirmed = setReason(ctx, { inquiryId: id, actor: bob, reasonId: 'bug', source: 'human' });
    expect(confirmed.ok && confirmed.changed).toBe(true);
    expect(stored(ctx, id)).toMatchObject({ reasonId: 'bug', reasonSource: 'human', reasonConfidence: null });
    expect(eventTypes(id)).toEqual(['created', 'reason_set', 'reason_set']);
  });

  it('records a message’s author, by id and name, and its direction and id in the message event', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    const out = addMessage(ctx, { inquiryId: id, direction: 'note', body: 'looking', author: alice });
    if (!out.ok) throw new Error(out.code);
    expect(out.message).toMatchObject({ direction: 'note', body: 'looking', authorId: alice.id, authorName: 'alice' });
    expect(db.select().from(messages).get()).toMatchObject({ authorId: alice.id, authorName: 'alice' });
    expect(db.select().from(events).where(eq(events.type, 'message')).all()).toMatchObject([
      {
        inquiryId: id,
        actorId: alice.id,
        actorName: 'alice',
        data: { direction: 'note', messageId: out.message.id },
        createdAt: clock.now(),
      },
    ]);
  });

  it('does not take an inbound message or a note as the first response', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'hello?' });
    addMessage(ctx, { inquiryId: id, direction: 'note', body: 'looking' });
    expect(stored(ctx, id)?.firstResponseAt).toBeNull();
  });

  it('takes the time a reply was made elsewhere as the first response, not the time koe heard of it', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const { id } = newInquiry(ctx);
    const madeAt = clock.now() + 60_000;
    clock.advance(10 * 60_000);
    addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'Hi!', at: madeAt });
    expect(stored(ctx, id)?.firstResponseAt).toBe(madeAt);
  });

  it('queues a message into the mirror’s thread, once, and wakes the worker only when it was new', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    deliverAll();
    const wakes = ctx.wakes;
    const first = addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'more', externalId: 'e1' });
    addMessage(ctx, { inquiryId: id, direction: 'inbound', body: 'more', externalId: 'e1' });
    if (!first.ok) throw new Error(first.code);
    expect(
      db
        .select()
        .from(deliveries)
        .where(eq(deliveries.status, 'pending'))
        .all()
        .map((r) => [r.kind, r.destination, r.messageId]),
    ).toEqual([['thread', 'everyone', first.message.id]]);
    expect(eventTypes(id)).toEqual(['created', 'message']);
    expect(ctx.wakes).toBe(wakes + 1);
  });
});

describe('queuing mirror changes', () => {
  const pending = () =>
    db
      .select()
      .from(deliveries)
      .where(eq(deliveries.status, 'pending'))
      .all()
      .map((r) => `${r.kind} ${r.destination}`)
      .sort();

  it('queues another update when the one queued has already been started', () => {
    const ctx = coreContext(db);
    const { id } = newInquiry(ctx);
    deliverAll();
    claim(ctx, { inquiryId: id, actor: alice });
    // The worker has read the claimed inquiry and is updating the mirror; it will not see the unclaim.
    db.update(deliveries).set({ status: 'in_flight', attempts: 1 }).where(eq(deliveries.kind, 'update')).run();
    unclaim(ctx, { inquiryId: id, actor: alice });
    expect(pending()).toEqual(['update everyone']);
    // Tried once and waiting to be retried: started too, so a change queues a fresh update.
    db.update(deliveries).set({ status: 'done' }).where(eq(deliveries.status, 'in_flight')).run();
    db.update(deliveries).set({ attempts: 1 }).where(eq(deliveries.status, 'pending')).run();
    claim(ctx, { inquiryId: id, actor: bob });
    expect(pending()).toEqual(['update everyone', 'update everyone']);
  });

  it('posts to the routes a new reason matches and updates every route already posted to', () => {
    const ctx = coreContext(db, {
      routes: [
        { name: 'everyone', platform: 'console', channel: 'a' },
        { name: 'eng', platform: 'console', channel: 'b', reasons: ['bug'] },
        { name: 'money', platform: 'console', channel: 'c', reasons: ['billing'] },
      ],
    });
    const { id } = newInquiry(ctx);
    expect(pending()).toEqual(['post everyone']);
    deliverAll();
    setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'bug', source: 'human' });
    expect(pending()).toEqual(['post eng', 'update everyone']);
    deliverAll();
    // eng no longer matches, but its mirror exists and must show the new reason.
    setReason(ctx, { inquiryId: id, actor: alice, reasonId: 'billing', source: 'human' });
    expect(pending()).toEqual(['post money', 'update eng', 'update everyone']);
  });

  it('queues nothing for a destination that is no longer configured', () => {
    const before = coreContext(db, {
      routes: [
        { name: 'everyone', platform: 'console', channel: 'a' },
        { name: 'retired', platform: 'console', channel: 'b' },
      ],
    });
    const { id } = newInquiry(before);
    deliverAll();
    const after = coreContext(db, { routes: [{ name: 'everyone', platform: 'console', channel: 'a' }] });
    claim(after, { inquiryId: id, actor: alice });
    addMessage(after, { inquiryId: id, direction: 'note', body: 'on it' });
    expect(pending()).toEqual(['thread everyone', 'update everyone']);
  });
});

describe('joining a customer’s messages', () => {
  const chat = { source: 'slack:C1', customer: { id: 'U9', name: 'Taro' } };
  const join = { joinWindowMs: 5 * 60_000 };

  it('adds a redelivered joined message once', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const first = createInquiry(ctx, { ...chat, externalId: '1', body: 'hi' }, join);
    clock.advance(60_000);
    createInquiry(ctx, { ...chat, externalId: '2', body: 'are you there?' }, join);
    const again = createInquiry(ctx, { ...chat, externalId: '2', body: 'are you there?' }, join);
    if (!first.ok || !again.ok) throw new Error('refused');
    expect(again).toMatchObject({ created: false, joined: true });
    expect(again.inquiry.id).toBe(first.inquiry.id);
    expect(
      db
        .select()
        .from(messages)
        .all()
        .map((m) => [m.externalId, m.body]),
    ).toEqual([['2', 'are you there?']]);
    expect(eventTypes(first.inquiry.id)).toEqual(['created', 'message']);
    expect(db.select().from(inquiries).all()).toHaveLength(1);
  });

  it('does not join a resolved inquiry, nor one from another source', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const first = createInquiry(ctx, { ...chat, externalId: '1', body: 'hi' }, join);
    if (!first.ok) throw new Error(first.code);
    resolve(ctx, { inquiryId: first.inquiry.id, actor: alice });
    clock.advance(60_000);
    const afterResolve = createInquiry(ctx, { ...chat, externalId: '2', body: 'one more thing' }, join);
    const elsewhere = createInquiry(ctx, { ...chat, source: 'slack:C2', externalId: '3', body: 'hi again' }, join);
    expect(afterResolve).toMatchObject({ ok: true, created: true, joined: false });
    expect(elsewhere).toMatchObject({ ok: true, created: true, joined: false });
    expect(db.select().from(messages).all()).toEqual([]);
  });

  it('joins up to the end of the window and not a millisecond after', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    createInquiry(ctx, { ...chat, externalId: '1', body: 'hi' }, join);
    clock.advance(join.joinWindowMs);
    expect(createInquiry(ctx, { ...chat, externalId: '2', body: 'still me' }, join)).toMatchObject({ joined: true });
    clock.advance(1);
    // The window runs from the joined inquiry's receipt, not from the last message joined to it.
    expect(createInquiry(ctx, { ...chat, externalId: '3', body: 'new topic' }, join)).toMatchObject({
      created: true,
      joined: false,
    });
  });
});
