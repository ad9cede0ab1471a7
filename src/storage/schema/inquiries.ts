import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Every *_at column holds epoch milliseconds (UTC); day boundaries are computed in the configured timezone.

/** A customer, keyed stably per intake source so re-inquiries can be counted. */
export const customers = sqliteTable(
  'customers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    key: text('key').notNull(),
    name: text('name'),
    email: text('email'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('customers_source_key').on(t.source, t.key)],
);

export const inquiries = sqliteTable(
  'inquiries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Where it came in: "api", "web", "slack:C0CUSTOMERS", "discord:1122…". */
    source: text('source').notNull(),
    externalId: text('external_id'),
    customerId: integer('customer_id').references(() => customers.id),
    subject: text('subject'),
    body: text('body').notNull(),
    url: text('url'),
    reasonId: text('reason_id'),
    /** intake | human | rule | classifier; null while unclassified. */
    reasonSource: text('reason_source'),
    reasonConfidence: real('reason_confidence'),
    status: text('status', { enum: ['open', 'claimed', 'resolved'] })
      .notNull()
      .default('open'),
    assigneeId: text('assignee_id'),
    assigneeName: text('assignee_name'),
    metadata: text('metadata', { mode: 'json' }).$type<Record<string, unknown>>(),
    receivedAt: integer('received_at').notNull(),
    firstResponseAt: integer('first_response_at'),
    resolvedAt: integer('resolved_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('inquiries_source_external_id').on(t.source, t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    // One index for time ranges and reasons: the digest's tally reads it alone, and lists by reason
    // walk it newest first. (A separate reason-first index cost every intake write another b-tree.)
    index('inquiries_received_at_reason').on(t.receivedAt, t.reasonId),
    index('inquiries_status_received_at').on(t.status, t.receivedAt),
    index('inquiries_customer_received_at').on(t.customerId, t.receivedAt),
    // The digest's re-inquiry cohort: inquiries resolved in a window, with their customer (covering).
    index('inquiries_resolved_at_customer').on(t.resolvedAt, t.customerId).where(sql`${t.resolvedAt} IS NOT NULL`),
  ],
);

/** Inbound follow-ups from the customer, outbound replies to them, and internal notes. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inquiryId: integer('inquiry_id')
      .notNull()
      .references(() => inquiries.id),
    direction: text('direction', { enum: ['inbound', 'outbound', 'note'] }).notNull(),
    body: text('body').notNull(),
    authorId: text('author_id'),
    authorName: text('author_name'),
    /** The platform's id for the message (e.g. Slack ts), so a redelivered event adds nothing. */
    externalId: text('external_id'),
    createdAt: integer('created_at').notNull(),
    /**
     * Only for a reply koe sends to the customer (`koe reply`, the modal, the API's replies route):
     * queued (the undo window), sent, failed, or undone. Null for everything else, including an
     * outbound message recorded as sent elsewhere.
     */
    replyState: text('reply_state', { enum: ['queued', 'sent', 'failed', 'undone'] }),
    /** Why the last attempt to send the reply failed, in the channel's words. */
    replyError: text('reply_error'),
    /** When the reply leaves (queued: the end of its undo window) or left (sent); first response counts from the send. */
    sentAt: integer('sent_at'),
  },
  (t) => [
    index('messages_inquiry').on(t.inquiryId, t.id),
    uniqueIndex('messages_inquiry_external_id').on(t.inquiryId, t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    // "Which inquiry is this source message part of" (a reply in a source thread) looks a message up
    // by its platform id alone; without this it read every message.
    index('messages_external_id').on(t.externalId).where(sql`${t.externalId} IS NOT NULL`),
    index('messages_created_at').on(t.createdAt),
  ],
);

/** Append-only: who did what to which inquiry, and when. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inquiryId: integer('inquiry_id')
      .notNull()
      .references(() => inquiries.id),
    type: text('type').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
    /**
     * Set on an event that may happen once only (an SLA warning: `sla:<inquiry>:<target>:<level>`):
     * the unique index makes the insert the lock, so a second sweep or a restart records nothing.
     */
    key: text('key'),
  },
  (t) => [
    index('events_inquiry').on(t.inquiryId, t.id),
    index('events_created_at').on(t.createdAt),
    uniqueIndex('events_key').on(t.key).where(sql`${t.key} IS NOT NULL`),
  ],
);
