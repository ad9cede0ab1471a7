import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Inbound platform events already handled (e.g. `slack:Ev0123`), so retries are no-ops even after a restart. */
export const inboundEvents = sqliteTable('inbound_events', {
  key: text('key').primaryKey(),
  receivedAt: integer('received_at').notNull(),
});

/**
 * Users looked up once from their platform: the display name, for mirrors and digests, and where they
 * stood then (their team, and whether a full member, guest, stranger, bot or deleted), so staff can
 * still be told apart while the platform does not answer.
 */
export const userDirectory = sqliteTable(
  'user_directory',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    fetchedAt: integer('fetched_at').notNull(),
    teamId: text('team_id'),
    standing: text('standing'),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] })],
);

/**
 * The newest message koe has seen in each customer-facing source channel, so a restart can read what
 * customers wrote while koe was down (a gateway session too old to resume replays nothing).
 */
export const sourceCursors = sqliteTable(
  'source_cursors',
  {
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    /** The platform's id of the newest message seen (a Discord snowflake). */
    lastMessageId: text('last_message_id').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.channel] })],
);
