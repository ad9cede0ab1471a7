import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DELIVERY_KINDS } from '../../core/surfaces.ts';

/**
 * The outbox: every call koe must make to a chat API, committed in the same transaction as the change
 * that caused it, then delivered by the worker. Rows are never deleted by the worker, so the table
 * doubles as a delivery log.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: DELIVERY_KINDS }).notNull(),
    inquiryId: integer('inquiry_id'),
    messageId: integer('message_id'),
    /** A configured destination name, or `digest:<name>` for digests. Ordering is per (inquiry, destination). */
    destination: text('destination').notNull(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    payload: text('payload', { mode: 'json' }).$type<unknown>(),
    /** `cancelled`: a reply undone inside its undo window; it never left and holds nothing up. */
    status: text('status', { enum: ['pending', 'in_flight', 'done', 'dead', 'cancelled'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    /** While in flight: the lease. A row in flight past its lease was interrupted (crash) and is uncertain. */
    lockedUntil: integer('locked_until'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    deliveredAt: integer('delivered_at'),
    /** What a delivered row posted (a thread message's ref, so a reply's state can be edited into it later). */
    postedRef: text('posted_ref'),
  },
  (t) => [
    // The worker's queue per channel (status = 'pending', one platform and channel, in id order),
    // its list of channels with work, and its look-up of interrupted (in_flight) rows.
    index('deliveries_channel_queue').on(t.status, t.platform, t.channel, t.id),
    index('deliveries_inquiry_destination').on(t.inquiryId, t.destination, t.id),
    // A reply's own row (undo cancels it) and its thread posts (their refs), by message.
    index('deliveries_message').on(t.messageId, t.kind).where(sql`${t.messageId} IS NOT NULL`),
  ],
);
