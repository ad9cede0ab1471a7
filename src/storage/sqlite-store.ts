import { and, desc, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import type { Customer, Inquiry, Message, Mirror } from '../core/inquiries/types.ts';
import type { InquiryPatch, Store, StoreTx } from '../core/store.ts';
import type { Db } from './db.ts';
import { isFlattened } from './flat-transactions.ts';
import { INQUIRY_COLUMNS, toInquiry, type InquiryRow } from './inquiry-columns.ts';
import { createOutboxQueue } from './outbox-store.ts';
import { inquiries, messages, mirrors, reactions } from './schema/index.ts';

const p = sql.placeholder;

/**
 * The core's Store over drizzle/better-sqlite3. Every statement is prepared once, when the store is
 * built (in the functions below): intake sits on this path, and building and preparing SQL per call
 * cost more than running it.
 */
export function createSqliteStore(db: Db): Store {
  const sqlite = db.$client;
  const tx: StoreTx = {
    ...inquiryRows(db),
    ...customerRows(db),
    ...messageRows(db),
    ...reactionRows(db),
    // The outbox's rows are outbox-store.ts's to read and write; the core queues them inside this transaction.
    ...createOutboxQueue(db),
  };

  // Built once: better-sqlite3 builds a wrapper per transaction() call, which costs more than the
  // statements of a small verb. Nested inside another transaction (group commit) it is a savepoint.
  const run = db.$client.transaction((fn: (t: StoreTx) => unknown) => fn(tx));
  return {
    // One connection, so the prepared statements above run inside this transaction. Inside a group
    // commit's optimistic try the verb runs bare, in the batch's transaction (flat-transactions.ts).
    transaction: <T>(fn: (t: StoreTx) => T) => (isFlattened(sqlite) ? fn(tx) : (run.immediate(fn) as T)),
  };
}

// Intake's statements are raw SQL, and its rows are built here from what was written: drizzle's
// placeholder filling and RETURNING row mapping cost about as much as SQLite's own work on this path.

/** Finding, inserting and updating inquiries. */
function inquiryRows(
  db: Db,
): Pick<
  StoreTx,
  | 'findInquiry'
  | 'findInquiryByExternalId'
  | 'findRecentOpenInquiry'
  | 'findJoinedInquiry'
  | 'insertInquiry'
  | 'updateInquiry'
> {
  const sqlite = db.$client;
  const inquiryById = sqlite.prepare<[number], InquiryRow>(`SELECT ${INQUIRY_COLUMNS} FROM inquiries WHERE id = ?`);
  const inquiryByExternalId = sqlite.prepare<[string, string], InquiryRow>(
    `SELECT ${INQUIRY_COLUMNS} FROM inquiries WHERE source = ? AND external_id = ?`,
  );
  // Through the customer's inquiries (indexed by customer), then the message's unique index per inquiry.
  const joinedInquiry = sqlite.prepare<[number, string, string], InquiryRow>(
    `SELECT ${INQUIRY_COLUMNS} FROM inquiries WHERE customer_id = ? AND source = ?
       AND EXISTS (SELECT 1 FROM messages m WHERE m.inquiry_id = inquiries.id AND m.external_id = ?)
     ORDER BY id LIMIT 1`,
  );
  const insertInquiry = sqlite.prepare(
    `INSERT INTO inquiries (source, external_id, customer_id, subject, body, url, reason_id, reason_source, reason_confidence,
       metadata, received_at, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
  );
  const recentOpenInquiry = db
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
    .prepare();
  const update = inquiryUpdater(db);
  return {
    findInquiry: (id) => toInquiry(inquiryById.get(id)),
    findInquiryByExternalId: (source, externalId) => toInquiry(inquiryByExternalId.get(source, externalId)),
    findJoinedInquiry: (customerId, source, externalId) => toInquiry(joinedInquiry.get(customerId, source, externalId)),
    findRecentOpenInquiry: (customerId, source, sinceMs) =>
      recentOpenInquiry.get({ customerId, source, sinceMs }) as Inquiry | undefined,
    insertInquiry: (row, nowMs) => {
      // Positional: binding a dozen named parameters was a visible share of the insert.
      const { lastInsertRowid } = insertInquiry.run(
        row.source,
        row.externalId,
        row.customerId,
        row.subject,
        row.body,
        row.url,
        row.reasonId,
        row.reasonSource,
        row.reasonConfidence,
        row.metadata === null ? null : JSON.stringify(row.metadata),
        row.receivedAt,
        nowMs,
        nowMs,
      );
      return {
        id: Number(lastInsertRowid),
        ...row,
        status: 'open',
        assigneeId: null,
        assigneeName: null,
        firstResponseAt: null,
        resolvedAt: null,
        createdAt: nowMs,
        updatedAt: nowMs,
      };
    },
    updateInquiry: (id, patch, nowMs) => {
      update(id, patch, nowMs);
      return toInquiry(inquiryById.get(id))!;
    },
  };
}

/** The inquiry columns a patch may set, by the patch's field names. */
const INQUIRY_PATCH_COLUMNS: Record<string, string> = {
  status: 'status',
  assigneeId: 'assignee_id',
  assigneeName: 'assignee_name',
  reasonId: 'reason_id',
  reasonSource: 'reason_source',
  reasonConfidence: 'reason_confidence',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
};

/** Writes an inquiry patch. Raw because its SET list varies with the patch; still cached per column set. */
function inquiryUpdater(db: Db): (id: number, patch: InquiryPatch, nowMs: number) => void {
  const updateStatements = new Map<string, ReturnType<typeof db.$client.prepare>>();
  return (id, patch, nowMs) => {
    const keys = Object.keys(patch).filter((k) => k in INQUIRY_PATCH_COLUMNS);
    const cacheKey = keys.join(',');
    let stmt = updateStatements.get(cacheKey);
    if (!stmt) {
      const set = [...keys.map((k) => `${INQUIRY_PATCH_COLUMNS[k]} = @${k}`), 'updated_at = @nowMs'].join(', ');
      stmt = db.$client.prepare(`UPDATE inquiries SET ${set} WHERE id = @id`);
      updateStatements.set(cacheKey, stmt);
    }
    stmt.run({ ...patch, id, nowMs });
  };
}

/** Finding and keeping up customers. */
function customerRows(db: Db): Pick<StoreTx, 'findCustomer' | 'upsertCustomer'> {
  const sqlite = db.$client;
  const customerById = sqlite.prepare<[number], Customer>(
    `SELECT id, source, key, name, email FROM customers WHERE id = ?`,
  );
  const customerByKey = sqlite.prepare<[string, string], Customer>(
    `SELECT id, source, key, name, email FROM customers WHERE source = ? AND key = ?`,
  );
  const insertCustomer = sqlite.prepare(
    `INSERT INTO customers (source, key, name, email, created_at) VALUES (@source, @key, @name, @email, @nowMs)`,
  );
  const updateCustomer = sqlite.prepare(`UPDATE customers SET name = @name, email = @email WHERE id = @id`);
  return {
    findCustomer: (id) => customerById.get(id),
    // Read first and write only what changed: most inquiries come from a customer koe knows, and an
    // unconditional upsert rewrote their row (a page into the WAL) every time.
    upsertCustomer: (source, key, name, email, nowMs) => {
      const known = customerByKey.get(source, key);
      if (!known) {
        const { lastInsertRowid } = insertCustomer.run({ source, key, name, email, nowMs });
        return { id: Number(lastInsertRowid), source, key, name, email };
      }
      // Keep what we knew when the new inquiry does not say.
      const next = { ...known, name: name ?? known.name, email: email ?? known.email };
      if (next.name !== known.name || next.email !== known.email)
        updateCustomer.run({ id: known.id, name: next.name, email: next.email });
      return next;
    },
  };
}

/** An inquiry's messages and its event log. */
function messageRows(
  db: Db,
): Pick<
  StoreTx,
  'insertMessage' | 'findMessageByExternalId' | 'findMessage' | 'updateMessage' | 'appendEvent' | 'appendEventOnce'
> {
  const insertMessage = db
    .insert(messages)
    .values({
      inquiryId: p('inquiryId'),
      direction: p('direction'),
      body: p('body'),
      authorId: p('authorId'),
      authorName: p('authorName'),
      externalId: p('externalId'),
      createdAt: p('createdAt'),
      replyState: p('replyState'),
      sentAt: p('sentAt'),
    })
    .returning()
    .prepare();
  const messageById = db
    .select()
    .from(messages)
    .where(eq(messages.id, p('id')))
    .prepare();
  const messageByExternalId = db
    .select()
    .from(messages)
    .where(and(eq(messages.inquiryId, p('inquiryId')), eq(messages.externalId, p('externalId'))))
    .prepare();
  const insertEvent = db.$client.prepare(
    `INSERT INTO events (inquiry_id, type, actor_id, actor_name, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  // The unique index on key turns a second insert into nothing, which `changes` reports.
  const insertKeyedEvent = db.$client.prepare(
    `INSERT INTO events (inquiry_id, type, actor_id, actor_name, data, created_at, key)
     VALUES (?, ?, 'system', 'koe', ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  return {
    insertMessage: (row) => insertMessage.get({ replyState: null, sentAt: null, ...row }) as Message,
    findMessageByExternalId: (inquiryId, externalId) =>
      messageByExternalId.get({ inquiryId, externalId }) as Message | undefined,
    findMessage: (id) => messageById.get({ id }) as Message | undefined,
    updateMessage: (id, patch) =>
      db.update(messages).set(patch).where(eq(messages.id, id)).returning().get() as Message,
    appendEvent: (inquiryId, type, actor, data, nowMs) => {
      insertEvent.run(
        inquiryId,
        type,
        actor?.id ?? null,
        actor?.name ?? null,
        data === null ? null : JSON.stringify(data),
        nowMs,
      );
    },
    appendEventOnce: (inquiryId, type, key, data, nowMs) =>
      insertKeyedEvent.run(inquiryId, type, data === null ? null : JSON.stringify(data), nowMs, key).changes === 1,
  };
}

/** Reactions on mirrors, and the mirror a reacted-to chat message is. */
function reactionRows(db: Db): Pick<StoreTx, 'findMirrorByMessage' | 'addReaction' | 'removeReaction'> {
  const mirrorByMessage = db
    .select()
    .from(mirrors)
    .where(
      and(
        eq(mirrors.platform, p('platform')),
        eq(mirrors.channel, p('channel')),
        eq(mirrors.messageRef, p('messageRef')),
      ),
    )
    .prepare();
  const addReaction = db
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
    .prepare();
  const removeReaction = db
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
    .prepare();
  return {
    findMirrorByMessage: (platform, channel, messageRef) =>
      mirrorByMessage.get({ platform, channel, messageRef }) as Mirror | undefined,
    addReaction: (row) => addReaction.run(row).changes > 0,
    removeReaction: (inquiryId, userId, emoji, nowMs) =>
      removeReaction.run({ inquiryId, userId, emoji, nowMs }).changes > 0,
  };
}
