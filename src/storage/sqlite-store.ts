import { and, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import type { Customer, Inquiry, Message, Mirror } from '../core/inquiries/types.ts';
import type { NewDelivery, Store, StoreTx } from '../core/store.ts';
import type { Db } from './db.ts';
import { customers, deliveries, events, inquiries, messages, mirrors, reactions } from './schema/index.ts';

const p = sql.placeholder;

/**
 * The core's Store over drizzle/better-sqlite3. Every statement is prepared once, here: intake sits
 * on this path, and building and preparing SQL per call cost more than running it.
 */
export function createSqliteStore(db: Db): Store {
  const q = {
    inquiryById: db.select().from(inquiries).where(eq(inquiries.id, p('id'))).prepare(),
    inquiryByExternalId: db
      .select()
      .from(inquiries)
      .where(and(eq(inquiries.source, p('source')), eq(inquiries.externalId, p('externalId'))))
      .prepare(),
    recentOpenInquiry: db
      .select()
      .from(inquiries)
      .where(
        and(
          eq(inquiries.customerId, p('customerId')),
          eq(inquiries.source, p('source')),
          gte(inquiries.receivedAt, p('sinceMs')),
          ne(inquiries.status, 'resolved'),
        ),
      )
      .orderBy(desc(inquiries.receivedAt))
      .limit(1)
      .prepare(),
    insertInquiry: db
      .insert(inquiries)
      .values({
        source: p('source'),
        externalId: p('externalId'),
        customerId: p('customerId'),
        subject: p('subject'),
        body: p('body'),
        url: p('url'),
        reasonId: p('reasonId'),
        reasonSource: p('reasonSource'),
        reasonConfidence: p('reasonConfidence'),
        metadata: p('metadata'),
        receivedAt: p('receivedAt'),
        status: 'open',
        createdAt: p('nowMs'),
        updatedAt: p('nowMs'),
      })
      .returning()
      .prepare(),
    customerById: db.select().from(customers).where(eq(customers.id, p('id'))).prepare(),
    upsertCustomer: db
      .insert(customers)
      .values({ source: p('source'), key: p('key'), name: p('name'), email: p('email'), createdAt: p('nowMs') })
      .onConflictDoUpdate({
        target: [customers.source, customers.key],
        // Keep what we knew when the new inquiry does not say.
        set: { name: sql`coalesce(excluded.name, ${customers.name})`, email: sql`coalesce(excluded.email, ${customers.email})` },
      })
      .returning()
      .prepare(),
    insertMessage: db
      .insert(messages)
      .values({
        inquiryId: p('inquiryId'),
        direction: p('direction'),
        body: p('body'),
        authorId: p('authorId'),
        authorName: p('authorName'),
        externalId: p('externalId'),
        createdAt: p('createdAt'),
      })
      .returning()
      .prepare(),
    messageByExternalId: db
      .select()
      .from(messages)
      .where(and(eq(messages.inquiryId, p('inquiryId')), eq(messages.externalId, p('externalId'))))
      .prepare(),
    insertEvent: db
      .insert(events)
      .values({
        inquiryId: p('inquiryId'),
        type: p('type'),
        actorId: p('actorId'),
        actorName: p('actorName'),
        data: p('data'),
        createdAt: p('nowMs'),
      })
      .prepare(),
    mirrorByMessage: db
      .select()
      .from(mirrors)
      .where(and(eq(mirrors.platform, p('platform')), eq(mirrors.channel, p('channel')), eq(mirrors.messageRef, p('messageRef'))))
      .prepare(),
    addReaction: db
      .insert(reactions)
      .values({
        inquiryId: p('inquiryId'),
        mirrorId: p('mirrorId'),
        platform: p('platform'),
        userId: p('userId'),
        userName: p('userName'),
        emoji: p('emoji'),
        createdAt: p('createdAt'),
      })
      .onConflictDoNothing()
      .prepare(),
    removeReaction: db
      .update(reactions)
      .set({ removedAt: sql`${p('nowMs')}` })
      .where(
        and(
          eq(reactions.inquiryId, p('inquiryId')),
          eq(reactions.userId, p('userId')),
          eq(reactions.emoji, p('emoji')),
          isNull(reactions.removedAt),
        ),
      )
      .prepare(),
    routedDestinations: db
      .selectDistinct({ destination: deliveries.destination })
      .from(deliveries)
      .where(and(eq(deliveries.inquiryId, p('inquiryId')), eq(deliveries.kind, 'post')))
      .prepare(),
    pendingUpdate: db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.inquiryId, p('inquiryId')),
          eq(deliveries.destination, p('destination')),
          eq(deliveries.kind, 'update'),
          eq(deliveries.status, 'pending'),
          eq(deliveries.attempts, 0),
        ),
      )
      .limit(1)
      .prepare(),
  };
  // Raw because its SET list varies with the patch; still cached per column set.
  const updateStatements = new Map<string, ReturnType<typeof db.$client.prepare>>();
  const enqueueStmt = db.$client.prepare(
    `INSERT INTO deliveries (kind, inquiry_id, message_id, destination, platform, channel, payload, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES (@kind, @inquiryId, @messageId, @destination, @platform, @channel, @payload, 'pending', 0, @nowMs, @nowMs, @nowMs)`,
  );

  const columnOf: Record<string, string> = {
    status: 'status',
    assigneeId: 'assignee_id',
    assigneeName: 'assignee_name',
    reasonId: 'reason_id',
    reasonSource: 'reason_source',
    reasonConfidence: 'reason_confidence',
    firstResponseAt: 'first_response_at',
    resolvedAt: 'resolved_at',
  };

  const tx: StoreTx = {
    findInquiry: (id) => q.inquiryById.get({ id }) as Inquiry | undefined,
    findInquiryByExternalId: (source, externalId) => q.inquiryByExternalId.get({ source, externalId }) as Inquiry | undefined,
    findRecentOpenInquiry: (customerId, source, sinceMs) =>
      q.recentOpenInquiry.get({ customerId, source, sinceMs }) as Inquiry | undefined,
    insertInquiry: (row, nowMs) =>
      q.insertInquiry.get({ ...row, nowMs }) as Inquiry,
    updateInquiry: (id, patch, nowMs) => {
      const keys = Object.keys(patch).filter((k) => k in columnOf);
      const cacheKey = keys.join(',');
      let stmt = updateStatements.get(cacheKey);
      if (!stmt) {
        const set = [...keys.map((k) => `${columnOf[k]} = @${k}`), 'updated_at = @nowMs'].join(', ');
        stmt = db.$client.prepare(`UPDATE inquiries SET ${set} WHERE id = @id`);
        updateStatements.set(cacheKey, stmt);
      }
      stmt.run({ ...patch, id, nowMs });
      return q.inquiryById.get({ id }) as Inquiry;
    },
    findCustomer: (id) => q.customerById.get({ id }) as Customer | undefined,
    upsertCustomer: (source, key, name, email, nowMs) => q.upsertCustomer.get({ source, key, name, email, nowMs }) as Customer,
    insertMessage: (row) => q.insertMessage.get(row) as Message,
    findMessageByExternalId: (inquiryId, externalId) => q.messageByExternalId.get({ inquiryId, externalId }) as Message | undefined,
    appendEvent: (inquiryId, type, actor, data, nowMs) => {
      q.insertEvent.run({
        inquiryId,
        type,
        actorId: actor?.id ?? null,
        actorName: actor?.name ?? null,
        data,
        nowMs,
      });
    },
    findMirrorByMessage: (platform, channel, messageRef) =>
      q.mirrorByMessage.get({ platform, channel, messageRef }) as Mirror | undefined,
    addReaction: (row) => q.addReaction.run(row).changes > 0,
    removeReaction: (inquiryId, userId, emoji, nowMs) => q.removeReaction.run({ inquiryId, userId, emoji, nowMs }).changes > 0,
    routedDestinations: (inquiryId) => q.routedDestinations.all({ inquiryId }).map((r) => r.destination),
    hasPendingUpdate: (inquiryId, destination) => q.pendingUpdate.get({ inquiryId, destination }) !== undefined,
    enqueue: (rows: NewDelivery[], nowMs) => {
      for (const r of rows) {
        enqueueStmt.run({
          kind: r.kind,
          inquiryId: r.inquiryId,
          messageId: r.messageId ?? null,
          destination: r.destination,
          platform: r.platform,
          channel: r.channel,
          payload: r.payload === undefined ? null : JSON.stringify(r.payload),
          nowMs,
        });
      }
    },
  };

  // Built once: better-sqlite3 builds a wrapper per transaction() call, which costs more than the
  // statements of a small verb. Nested inside another transaction (group commit) it is a savepoint.
  const run = db.$client.transaction((fn: (t: StoreTx) => unknown) => fn(tx));
  return {
    // One connection, so the prepared statements above run inside this transaction.
    transaction: <T>(fn: (t: StoreTx) => T) => run.immediate(fn) as T,
  };
}
