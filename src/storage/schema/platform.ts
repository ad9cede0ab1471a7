import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Inbound platform events already handled (e.g. `slack:Ev0123`), so retries are no-ops even after a restart. */
export const inboundEvents = sqliteTable('inbound_events', {
  key: text('key').primaryKey(),
  receivedAt: integer('received_at').notNull(),
});

/** Display names looked up once per user, for mirrors and digests. */
export const userDirectory = sqliteTable(
  'user_directory',
  {
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    name: text('name').notNull(),
    fetchedAt: integer('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.userId] })],
);
