import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { inquiries } from './inquiries.ts';

/** Which chat message shows which inquiry in which destination. */
export const mirrors = sqliteTable(
  'mirrors',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inquiryId: integer('inquiry_id')
      .notNull()
      .references(() => inquiries.id),
    destination: text('destination').notNull(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    /** Slack message ts, Discord message id, or a console sequence number. */
    messageRef: text('message_ref').notNull(),
    /** Where follow-ups go: Slack thread_ts (= messageRef) or a Discord thread channel id. */
    threadRef: text('thread_ref'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('mirrors_inquiry_destination').on(t.inquiryId, t.destination),
    uniqueIndex('mirrors_message').on(t.platform, t.channel, t.messageRef),
  ],
);

/** Emoji reactions on mirrors; a removed reaction keeps its row with removed_at set. */
export const reactions = sqliteTable(
  'reactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    inquiryId: integer('inquiry_id')
      .notNull()
      .references(() => inquiries.id),
    mirrorId: integer('mirror_id').references(() => mirrors.id),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name'),
    emoji: text('emoji').notNull(),
    createdAt: integer('created_at').notNull(),
    removedAt: integer('removed_at'),
  },
  (t) => [
    // One live reaction per person, emoji and inquiry: a retried event records nothing new.
    uniqueIndex('reactions_live').on(t.inquiryId, t.userId, t.emoji).where(sql`${t.removedAt} IS NULL`),
    index('reactions_created_at').on(t.createdAt),
  ],
);
