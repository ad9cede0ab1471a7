import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CreateInquiryInput, type CreateOptions, createInquiry } from '../../../src/core/inquiries/index.ts';
import type { Db } from '../../../src/storage/db.ts';
import { customers, events, inquiries, messages } from '../../../src/storage/schema/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

/** What createInquiry stores for a new inquiry, its customer and a message joined to an open one. */

let t: ReturnType<typeof tempDb>;
let db: Db;
beforeEach(() => {
  t = tempDb();
  db = t.db;
});
afterEach(() => t.cleanup());

type Ctx = ReturnType<typeof coreContext>;

function create(ctx: Ctx, input: CreateInquiryInput, options?: CreateOptions) {
  const out = createInquiry(ctx, input, options);
  if (!out.ok) throw new Error(out.code);
  return out;
}

const customerKeys = () =>
  db
    .select()
    .from(customers)
    .all()
    .map((c) => c.key);

describe('the customer of a new inquiry', () => {
  it('is keyed by their id when given, before their email and name', () => {
    const ctx = coreContext(db);
    const out = create(ctx, {
      source: 'web',
      body: 'hi',
      customer: { id: 'c-1', email: 'Taro@Example.com', name: 'Taro' },
    });
    expect(out.customer).toEqual({
      id: out.inquiry.customerId,
      source: 'web',
      key: 'c-1',
      name: 'Taro',
      email: 'Taro@Example.com',
    });
    expect(customerKeys()).toEqual(['c-1']);
  });

  it('is keyed by their lower-cased email without an id, so one address in any case is one customer', () => {
    const ctx = coreContext(db);
    const a = create(ctx, { source: 'web', body: 'hi', customer: { email: 'Taro@Example.COM', name: 'Taro' } });
    const b = create(ctx, { source: 'web', body: 'again', customer: { email: 'taro@example.com' } });
    expect(a.customer).toMatchObject({ key: 'taro@example.com', name: 'Taro', email: 'Taro@Example.COM' });
    expect(b.customer?.id).toBe(a.customer?.id);
    expect(b.inquiry.customerId).toBe(a.inquiry.customerId);
    expect(customerKeys()).toEqual(['taro@example.com']);
  });

  it('is keyed by their trimmed name without an id or email', () => {
    const ctx = coreContext(db);
    const a = create(ctx, { source: 'web', body: 'hi', customer: { name: '  山田 花子 ' } });
    const b = create(ctx, { source: 'web', body: 'again', customer: { name: '山田 花子' } });
    expect(a.customer).toMatchObject({ key: 'name:山田 花子', name: '  山田 花子 ', email: null });
    expect(b.customer?.id).toBe(a.customer?.id);
    expect(customerKeys()).toEqual(['name:山田 花子']);
  });

  it.each([
    ['a blank name', { name: '   ' }],
    ['an empty name', { name: '' }],
    ['nothing', {}],
  ])('is no one when the customer has only %s', (_what, customer) => {
    const ctx = coreContext(db);
    const out = create(ctx, { source: 'web', body: 'hi', customer });
    expect(out.customer).toBeNull();
    expect(out.inquiry.customerId).toBeNull();
    expect(db.select().from(customers).all()).toEqual([]);
  });

  it('comes back with the inquiry when the same (source, externalId) comes again, and none for one without', () => {
    const ctx = coreContext(db);
    const input = { source: 'web', externalId: 'form-1', body: 'hi', customer: { id: 'c-1', name: 'Taro' } };
    const first = create(ctx, input);
    const again = create(ctx, input);
    expect(again).toMatchObject({ created: false, joined: false });
    expect(again.customer).toEqual(first.customer);
    expect(again.customer).toMatchObject({ key: 'c-1', name: 'Taro' });

    create(ctx, { source: 'web', externalId: 'form-2', body: 'anonymous' });
    expect(create(ctx, { source: 'web', externalId: 'form-2', body: 'anonymous' })).toMatchObject({
      created: false,
      customer: null,
    });
  });
});

describe('a new inquiry', () => {
  it('stores the trimmed subject, the url, the metadata and the receipt time as given', () => {
    const ctx = coreContext(db);
    const out = create(ctx, {
      source: 'web',
      subject: '  ログイン  ',
      body: '  ログインできません  ',
      url: 'https://example.com/form/42',
      metadata: { plan: 'pro' },
      receivedAt: '2026-11-20T09:00:00+09:00',
    });
    const row = db.select().from(inquiries).where(eq(inquiries.id, out.inquiry.id)).get();
    expect(row).toMatchObject({
      subject: 'ログイン',
      body: '  ログインできません  ',
      url: 'https://example.com/form/42',
      metadata: { plan: 'pro' },
      receivedAt: Date.parse('2026-11-20T00:00:00Z'),
    });
    expect(out.inquiry).toMatchObject({ subject: 'ログイン', url: 'https://example.com/form/42' });
  });

  it('stores no subject, url or metadata when none is given', () => {
    const ctx = coreContext(db);
    const out = create(ctx, { source: 'web', subject: '   ', body: 'hi' });
    expect(out.inquiry).toMatchObject({ subject: null, url: null, metadata: null });
  });

  it('records who recorded it, and the reason it was created with, in its created event', () => {
    const ctx = coreContext(db);
    const recordedBy = { id: 'slack:UALICE', name: 'alice' };
    const out = create(ctx, { source: 'slack:C1', body: 'a refund please', reason: 'billing' }, { recordedBy });
    expect(db.select().from(events).where(eq(events.inquiryId, out.inquiry.id)).all()).toMatchObject([
      {
        type: 'created',
        actorId: 'slack:UALICE',
        actorName: 'alice',
        data: { reasonId: 'billing', reasonSource: 'intake' },
      },
    ]);
    const bySelf = create(ctx, { source: 'web', body: 'hi' });
    expect(db.select().from(events).where(eq(events.inquiryId, bySelf.inquiry.id)).get()).toMatchObject({
      actorId: null,
      actorName: null,
      data: { reasonId: null, reasonSource: null },
    });
  });

  it('asks for a reason guess from the subject and body, and only when no reason was given', () => {
    const asked: string[] = [];
    const ctx = coreContext(db, {
      guessReason: (text) => {
        asked.push(text);
        return null;
      },
    });
    create(ctx, { source: 'web', subject: 'Refund', body: 'charged twice' });
    create(ctx, { source: 'web', body: 'charged twice' });
    create(ctx, { source: 'web', subject: 'Refund', body: 'charged twice', reason: 'billing' });
    expect(asked).toEqual(['Refund\ncharged twice', 'charged twice']);
  });
});

describe('joining a message to its customer’s open inquiry', () => {
  const join = { joinWindowMs: 5 * 60_000 };

  it('stores it as an inbound message by the customer, with a message event marked joined', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const chat = { source: 'slack:C1', customer: { id: 'slack:U9', name: 'Taro' } };
    const first = create(ctx, { ...chat, externalId: '1', body: 'hi' }, join);
    clock.advance(60_000);
    const joined = create(ctx, { ...chat, externalId: '2', body: 'are you there?' }, join);
    expect(joined).toMatchObject({ created: false, joined: true, inquiry: { id: first.inquiry.id } });
    expect(db.select().from(messages).all()).toMatchObject([
      {
        inquiryId: first.inquiry.id,
        direction: 'inbound',
        body: 'are you there?',
        authorId: 'slack:U9',
        authorName: 'Taro',
        externalId: '2',
        createdAt: clock.now(),
      },
    ]);
    expect(db.select().from(events).where(eq(events.type, 'message')).all()).toMatchObject([
      {
        inquiryId: first.inquiry.id,
        actorId: `customer:${first.customer?.id}`,
        actorName: 'Taro',
        data: { direction: 'inbound', joined: true },
        createdAt: clock.now(),
      },
    ]);
  });

  it('stores a message from a customer known by email without an author id', () => {
    const clock = manualClock();
    const ctx = coreContext(db, { now: clock.now });
    const chat = { source: 'slack:C1', customer: { email: 'taro@example.com' } };
    create(ctx, { ...chat, body: 'hi' }, join);
    clock.advance(60_000);
    expect(create(ctx, { ...chat, body: 'hello?' }, join)).toMatchObject({ joined: true });
    expect(db.select().from(messages).get()).toMatchObject({ authorId: null, authorName: null, externalId: null });
  });

  it('creates a new inquiry each time for messages without a customer', () => {
    const ctx = coreContext(db);
    const a = create(ctx, { source: 'slack:C1', body: 'hi' }, join);
    const b = create(ctx, { source: 'slack:C1', body: 'hi again' }, join);
    expect(a).toMatchObject({ created: true, joined: false, customer: null });
    expect(b).toMatchObject({ created: true, joined: false, customer: null });
    expect(b.inquiry.id).not.toBe(a.inquiry.id);
  });
});
