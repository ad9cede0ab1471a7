import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Customer, Inquiry, InquiryView } from '../core/inquiries/types.ts';
import type { Db } from './db.ts';
import { customers, inquiries, messages, reactions } from './schema/index.ts';

/** Loads what a renderer needs to draw inquiry `id`, or undefined when it does not exist. */
export function loadInquiryView(db: Db, id: number): InquiryView | undefined {
  const inquiry = db.select().from(inquiries).where(eq(inquiries.id, id)).get() as Inquiry | undefined;
  if (!inquiry) return undefined;
  const customer =
    inquiry.customerId === null
      ? null
      : ((db.select().from(customers).where(eq(customers.id, inquiry.customerId)).get() as Customer | undefined) ?? null);
  const messageCount =
    db.select({ n: sql<number>`count(*)` }).from(messages).where(eq(messages.inquiryId, id)).get()?.n ?? 0;
  const reactionCounts: Record<string, number> = {};
  const rows = db
    .select({ emoji: reactions.emoji, n: sql<number>`count(*)` })
    .from(reactions)
    .where(and(eq(reactions.inquiryId, id), isNull(reactions.removedAt)))
    .groupBy(reactions.emoji)
    .all();
  for (const row of rows) reactionCounts[row.emoji] = row.n;
  return { inquiry, customer, messageCount, reactionCounts };
}
