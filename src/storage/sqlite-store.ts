import { and, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import type { Customer, Inquiry, Message, Mirror } from '../core/inquiries/types.ts';
import type { NewDelivery, Store, StoreTx } from '../core/store.ts';
import type { Db } from './db.ts';
import { customers, deliveries, events, inquiries, messages, mirrors, reactions } from './schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

function toInquiry(row: typeof inquiries.$inferSelect): Inquiry {
  return row as Inquiry;
}

/** The StoreTx port over one drizzle transaction. */
function storeTx(tx: Tx | Db): StoreTx {
  return {
    findInquiry: (id) => {
      const row = tx.select().from(inquiries).where(eq(inquiries.id, id)).get();
      return row && toInquiry(row);
    },
    findInquiryByExternalId: (source, externalId) => {
      const row = tx
        .select()
        .from(inquiries)
        .where(and(eq(inquiries.source, source), eq(inquiries.externalId, externalId)))
        .get();
      return row && toInquiry(row);
    },
    findRecentOpenInquiry: (customerId, source, sinceMs) => {
      const row = tx
        .select()
        .from(inquiries)
        .where(
          and(
            eq(inquiries.customerId, customerId),
            eq(inquiries.source, source),
            gte(inquiries.receivedAt, sinceMs),
            ne(inquiries.status, 'resolved'),
          ),
        )
        .orderBy(desc(inquiries.receivedAt))
        .limit(1)
        .get();
      return row && toInquiry(row);
    },
    insertInquiry: (row, nowMs) =>
      toInquiry(
        tx
          .insert(inquiries)
          .values({ ...row, status: 'open', createdAt: nowMs, updatedAt: nowMs })
          .returning()
          .get(),
      ),
    updateInquiry: (id, patch, nowMs) =>
      toInquiry(
        tx
          .update(inquiries)
          .set({ ...patch, updatedAt: nowMs })
          .where(eq(inquiries.id, id))
          .returning()
          .get(),
      ),
    upsertCustomer: (source, key, name, email, nowMs) => {
      const row = tx
        .insert(customers)
        .values({ source, key, name, email, createdAt: nowMs })
        .onConflictDoUpdate({
          target: [customers.source, customers.key],
          // Keep what we knew when the new inquiry does not say.
          set: { name: sql`coalesce(excluded.name, ${customers.name})`, email: sql`coalesce(excluded.email, ${customers.email})` },
        })
        .returning()
        .get();
      return row as Customer;
    },
    insertMessage: (row) => tx.insert(messages).values(row).returning().get() as Message,
    findMessageByExternalId: (inquiryId, externalId) =>
      tx
        .select()
        .from(messages)
        .where(and(eq(messages.inquiryId, inquiryId), eq(messages.externalId, externalId)))
        .get() as Message | undefined,
    appendEvent: (inquiryId, type, actor, data, nowMs) => {
      tx.insert(events)
        .values({ inquiryId, type, actorId: actor?.id ?? null, actorName: actor?.name ?? null, data, createdAt: nowMs })
        .run();
    },
    findMirrorByMessage: (platform, channel, messageRef) =>
      tx
        .select()
        .from(mirrors)
        .where(and(eq(mirrors.platform, platform), eq(mirrors.channel, channel), eq(mirrors.messageRef, messageRef)))
        .get() as Mirror | undefined,
    addReaction: (row) => {
      const result = tx.insert(reactions).values(row).onConflictDoNothing().run();
      return result.changes > 0;
    },
    removeReaction: (inquiryId, userId, emoji, nowMs) => {
      const result = tx
        .update(reactions)
        .set({ removedAt: nowMs })
        .where(
          and(
            eq(reactions.inquiryId, inquiryId),
            eq(reactions.userId, userId),
            eq(reactions.emoji, emoji),
            isNull(reactions.removedAt),
          ),
        )
        .run();
      return result.changes > 0;
    },
    routedDestinations: (inquiryId) =>
      tx
        .selectDistinct({ destination: deliveries.destination })
        .from(deliveries)
        .where(and(eq(deliveries.inquiryId, inquiryId), eq(deliveries.kind, 'post')))
        .all()
        .map((r) => r.destination),
    hasPendingUpdate: (inquiryId, destination) =>
      tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.inquiryId, inquiryId),
            eq(deliveries.destination, destination),
            eq(deliveries.kind, 'update'),
            eq(deliveries.status, 'pending'),
            eq(deliveries.attempts, 0),
          ),
        )
        .get() !== undefined,
    enqueue: (rows: NewDelivery[], nowMs) => {
      if (rows.length === 0) return;
      tx.insert(deliveries)
        .values(
          rows.map((r) => ({
            kind: r.kind,
            inquiryId: r.inquiryId,
            messageId: r.messageId ?? null,
            destination: r.destination,
            platform: r.platform,
            channel: r.channel,
            payload: r.payload ?? null,
            status: 'pending' as const,
            attempts: 0,
            nextAttemptAt: nowMs,
            createdAt: nowMs,
            updatedAt: nowMs,
          })),
        )
        .run();
    },
  };
}

/** The core's Store over a drizzle/better-sqlite3 database. */
export function createSqliteStore(db: Db): Store {
  return {
    transaction: (fn) => db.transaction((tx) => fn(storeTx(tx)), { behavior: 'immediate' }),
  };
}
