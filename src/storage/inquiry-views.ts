import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Customer, Inquiry, InquiryView } from '../core/inquiries/types.ts';
import type { Db } from './db.ts';
import { customers, inquiries, messages, reactions } from './schema/index.ts';

const p = sql.placeholder;

/** Builds a loader of what a renderer needs to draw an inquiry; statements are prepared once. */
export function createViewLoader(db: Db): (id: number) => InquiryView | undefined {
  const inquiry = db.select().from(inquiries).where(eq(inquiries.id, p('id'))).prepare();
  const customer = db.select().from(customers).where(eq(customers.id, p('id'))).prepare();
  const messageCount = db.select({ n: sql<number>`count(*)` }).from(messages).where(eq(messages.inquiryId, p('id'))).prepare();
  const reactionCounts = db
    .select({ emoji: reactions.emoji, n: sql<number>`count(*)` })
    .from(reactions)
    .where(and(eq(reactions.inquiryId, p('id')), isNull(reactions.removedAt)))
    .groupBy(reactions.emoji)
    .prepare();
  return (id) => {
    const row = inquiry.get({ id }) as Inquiry | undefined;
    if (!row) return undefined;
    const counts: Record<string, number> = {};
    for (const r of reactionCounts.all({ id })) counts[r.emoji] = r.n;
    return {
      inquiry: row,
      customer: row.customerId === null ? null : ((customer.get({ id: row.customerId }) as Customer | undefined) ?? null),
      messageCount: messageCount.get({ id })?.n ?? 0,
      reactionCounts: counts,
    };
  };
}
