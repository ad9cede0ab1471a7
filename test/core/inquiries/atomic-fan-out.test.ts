import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMessage,
  assign,
  claim,
  createInquiry,
  reopen,
  resolve,
  setReason,
  unclaim,
} from '../../../src/core/inquiries/index.ts';
import type { Db } from '../../../src/storage/db.ts';
import { customers, deliveries, events, inquiries, messages } from '../../../src/storage/schema/index.ts';
import { inquiryInvariantProblems } from '../../helpers/invariants.ts';
import { coreContext, tempDb } from '../../helpers/temp-db.ts';

/**
 * A verb's change, its event and the outbox rows that show it in chat commit together or not at
 * all. Here the outbox refuses every new row (a trigger aborts the INSERT, as a full disk or a
 * broken statement would), so the verb must fail and leave nothing of itself behind: a change
 * committed before its mirror updates were queued would never reach chat.
 */

const alice = { id: 'slack:UALICE', name: 'alice' };
const bob = { id: 'slack:UBOB', name: 'bob' };

let t: ReturnType<typeof tempDb>;
let db: Db;
beforeEach(() => {
  t = tempDb();
  db = t.db;
});
afterEach(() => t.cleanup());

type Ctx = ReturnType<typeof coreContext>;

function newInquiry(ctx: Ctx): number {
  const out = createInquiry(ctx, {
    source: 'web',
    body: 'ログインできません',
    customer: { email: 'taro@example.com' },
  });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
}

function everything() {
  return {
    inquiries: db.select().from(inquiries).all(),
    customers: db.select().from(customers).all(),
    events: db.select().from(events).all(),
    messages: db.select().from(messages).all(),
    deliveries: db.select().from(deliveries).all(),
  };
}

function outboxRefusesNewRows() {
  db.$client.exec(
    `CREATE TRIGGER outbox_refuses BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'outbox refused the row'); END`,
  );
}

const none = () => {};
const claimedByAlice = (ctx: Ctx, id: number) => claim(ctx, { inquiryId: id, actor: alice });
const resolvedByAlice = (ctx: Ctx, id: number) => resolve(ctx, { inquiryId: id, actor: alice });

describe('a verb whose outbox rows cannot be queued', () => {
  it.each([
    ['claim', none, (ctx: Ctx, id: number) => claim(ctx, { inquiryId: id, actor: bob })],
    ['unclaim', claimedByAlice, (ctx: Ctx, id: number) => unclaim(ctx, { inquiryId: id, actor: bob })],
    ['assign', none, (ctx: Ctx, id: number) => assign(ctx, { inquiryId: id, actor: alice, assignee: bob })],
    ['resolve', claimedByAlice, (ctx: Ctx, id: number) => resolve(ctx, { inquiryId: id, actor: alice })],
    [
      'resolve with a note',
      claimedByAlice,
      (ctx: Ctx, id: number) => resolve(ctx, { inquiryId: id, actor: alice, note: 'refunded' }),
    ],
    ['reopen', resolvedByAlice, (ctx: Ctx, id: number) => reopen(ctx, { inquiryId: id, actor: bob })],
    [
      'setReason',
      none,
      (ctx: Ctx, id: number) => setReason(ctx, { inquiryId: id, actor: bob, reasonId: 'bug', source: 'human' }),
    ],
    [
      'addMessage',
      none,
      (ctx: Ctx, id: number) => addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'Hi!' }),
    ],
  ])('rolls back %s with its event when its outbox rows are refused', (_verb, setUp, verb) => {
    const ctx = coreContext(db);
    const id = newInquiry(ctx);
    setUp(ctx, id);
    // Delivered, so the verb has a mirror update of its own to queue.
    db.update(deliveries).set({ status: 'done' }).run();
    const before = everything();
    const wakes = ctx.wakes;
    outboxRefusesNewRows();

    expect(() => verb(ctx, id)).toThrow(/outbox refused the row/);
    expect(everything()).toEqual(before);
    expect(ctx.wakes).toBe(wakes);
    expect(inquiryInvariantProblems(db.$client, ctx.routes)).toEqual([]);
  });

  it('stores no inquiry, customer or event when the post of a new inquiry is refused', () => {
    const ctx = coreContext(db);
    outboxRefusesNewRows();
    expect(() =>
      createInquiry(ctx, { source: 'web', body: 'hello', customer: { email: 'hanako@example.com' } }),
    ).toThrow(/outbox refused the row/);
    expect(everything()).toEqual({ inquiries: [], customers: [], events: [], messages: [], deliveries: [] });
    expect(ctx.wakes).toBe(0);
  });

  it('stores no joined message when its thread reply is refused', () => {
    const ctx = coreContext(db);
    const input = { source: 'slack:C1', customer: { id: 'U9' } };
    createInquiry(ctx, { ...input, externalId: '1', body: 'hi' }, { joinWindowMs: 60_000 });
    const before = everything();
    outboxRefusesNewRows();
    expect(() =>
      createInquiry(ctx, { ...input, externalId: '2', body: 'are you there?' }, { joinWindowMs: 60_000 }),
    ).toThrow(/outbox refused the row/);
    expect(everything()).toEqual(before);
  });
});
