import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreTx } from '../../src/core/store.ts';
import { createSqliteStore } from '../../src/storage/sqlite-store.ts';
import { tempDb } from '../helpers/temp-db.ts';

/** The Store's verbs the core's tests reach only in passing, checked one by one over a real file. */

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const inTx = <T>(fn: (tx: StoreTx) => T): T => createSqliteStore(t.db).transaction(fn);
const raw = <T>(sql: string, ...args: unknown[]) => t.db.$client.prepare(sql).get(...args) as T;

const NEW_INQUIRY = {
  source: 'web',
  externalId: null,
  customerId: null,
  subject: null,
  body: 'hello',
  url: null,
  reasonId: null,
  reasonSource: null,
  reasonConfidence: null,
  metadata: null,
  receivedAt: 1_000,
} as const;

describe('the SQLite store', () => {
  it('stores an inquiry’s metadata as JSON, and no metadata as SQL NULL (not the text "null")', () => {
    const [a, b] = inTx((tx) => [
      tx.insertInquiry({ ...NEW_INQUIRY, metadata: { plan: 'pro', seats: 3 } }, 2_000),
      tx.insertInquiry(NEW_INQUIRY, 2_000),
    ]);
    expect(raw(`SELECT metadata FROM inquiries WHERE id = ?`, a!.id)).toEqual({ metadata: '{"plan":"pro","seats":3}' });
    expect(raw(`SELECT metadata IS NULL AS none FROM inquiries WHERE id = ?`, b!.id)).toEqual({ none: 1 });
    expect(inTx((tx) => tx.findInquiry(a!.id))?.metadata).toEqual({ plan: 'pro', seats: 3 });
    expect(inTx((tx) => tx.findInquiry(b!.id))?.metadata).toBeNull();
  });

  describe('customers', () => {
    it('finds a customer by id', () => {
      const c = inTx((tx) => tx.upsertCustomer('web', 'aiko@example.com', 'Aiko', 'aiko@example.com', 1));
      expect(inTx((tx) => tx.findCustomer(c.id))).toEqual({
        id: c.id,
        source: 'web',
        key: 'aiko@example.com',
        name: 'Aiko',
        email: 'aiko@example.com',
      });
      expect(inTx((tx) => tx.findCustomer(c.id + 1))).toBeUndefined();
    });

    it('keeps what it knew when a new inquiry does not say, and takes what changed', () => {
      const upsert = (name: string | null, email: string | null) =>
        inTx((tx) => tx.upsertCustomer('web', 'k1', name, email, 1));
      const stored = () => raw(`SELECT name, email FROM customers WHERE key = 'k1'`);
      const first = upsert('Aiko', 'a@example.com');
      expect(upsert(null, null)).toEqual(first);
      expect(stored()).toEqual({ name: 'Aiko', email: 'a@example.com' });

      expect(upsert('Aiko Sato', null)).toMatchObject({ id: first.id, name: 'Aiko Sato', email: 'a@example.com' });
      expect(stored()).toEqual({ name: 'Aiko Sato', email: 'a@example.com' });

      expect(upsert(null, 'sato@example.com')).toMatchObject({ name: 'Aiko Sato', email: 'sato@example.com' });
      expect(stored()).toEqual({ name: 'Aiko Sato', email: 'sato@example.com' });

      expect(upsert('Aiko', 'aiko@example.com')).toMatchObject({ name: 'Aiko', email: 'aiko@example.com' });
      expect(stored()).toEqual({ name: 'Aiko', email: 'aiko@example.com' });
      expect(raw(`SELECT count(*) AS n FROM customers`)).toEqual({ n: 1 });
    });
  });

  describe('messages and events', () => {
    it('finds a message by id and by its external id within its inquiry', () => {
      const { inquiry, message } = inTx((tx) => {
        const inquiry = tx.insertInquiry(NEW_INQUIRY, 1);
        const other = tx.insertInquiry(NEW_INQUIRY, 1);
        const message = tx.insertMessage({
          inquiryId: inquiry.id,
          direction: 'inbound',
          body: 'more',
          authorId: null,
          authorName: null,
          externalId: 'ext-1',
          createdAt: 5,
        });
        tx.insertMessage({ ...message, id: undefined, inquiryId: other.id, externalId: 'ext-2' } as never);
        return { inquiry, message };
      });
      expect(inTx((tx) => tx.findMessage(message.id))).toEqual(message);
      expect(inTx((tx) => tx.findMessage(message.id + 100))).toBeUndefined();
      expect(inTx((tx) => tx.findMessageByExternalId(inquiry.id, 'ext-1'))).toEqual(message);
      expect(inTx((tx) => tx.findMessageByExternalId(inquiry.id, 'ext-2'))).toBeUndefined(); // another inquiry's
    });

    it('stores an event’s data as JSON, and none as SQL NULL', () => {
      const id = inTx((tx) => {
        const inquiry = tx.insertInquiry(NEW_INQUIRY, 1);
        tx.appendEvent(inquiry.id, 'claimed', { id: 'U1', name: 'Aiko' }, { via: 'button' }, 2);
        tx.appendEvent(inquiry.id, 'resolved', null, null, 3);
        return inquiry.id;
      });
      const events = t.db.$client
        .prepare(
          `SELECT type, actor_id, actor_name, data, data IS NULL AS none FROM events WHERE inquiry_id = ? ORDER BY id`,
        )
        .all(id);
      expect(events).toEqual([
        { type: 'claimed', actor_id: 'U1', actor_name: 'Aiko', data: '{"via":"button"}', none: 0 },
        { type: 'resolved', actor_id: null, actor_name: null, data: null, none: 1 },
      ]);
    });

    it('appends a keyed event once: a second one with the same key writes nothing and says so', () => {
      const id = inTx((tx) => tx.insertInquiry(NEW_INQUIRY, 1).id);
      const once = (key: string, data: Record<string, unknown> | null, at: number) =>
        inTx((tx) => tx.appendEventOnce(id, 'sla_due_soon', key, data, at));
      expect(once('sla:1', { due: 9 }, 10)).toBe(true);
      expect(once('sla:1', { due: 9 }, 11)).toBe(false);
      expect(once('sla:2', null, 12)).toBe(true);
      const events = t.db.$client
        .prepare(`SELECT key, actor_id, actor_name, data, created_at FROM events WHERE inquiry_id = ? ORDER BY id`)
        .all(id);
      expect(events).toEqual([
        { key: 'sla:1', actor_id: 'system', actor_name: 'koe', data: '{"due":9}', created_at: 10 },
        { key: 'sla:2', actor_id: 'system', actor_name: 'koe', data: null, created_at: 12 },
      ]);
    });
  });
});
