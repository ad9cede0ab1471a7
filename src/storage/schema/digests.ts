import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per digest and period: the insert is the lock that makes posting exactly-once. */
export const digestRuns = sqliteTable(
  'digest_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    digestName: text('digest_name').notNull(),
    period: text('period', { enum: ['day', 'week'] }).notNull(),
    /** First local day of the period, YYYY-MM-DD in the configured timezone. */
    periodStart: text('period_start').notNull(),
    deliveryId: integer('delivery_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('digest_runs_digest_period').on(t.digestName, t.periodStart)],
);
