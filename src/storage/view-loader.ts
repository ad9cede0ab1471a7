import type { Customer, InquiryView } from '../core/inquiries/types.ts';
import type { Db } from './db.ts';
import { INQUIRY_COLUMNS, toInquiry, type InquiryRow } from './inquiry-columns.ts';

/**
 * Builds a loader of what a renderer needs to draw an inquiry. The outbox worker calls it for every
 * mirror it posts or updates, so its statements are raw and prepared once.
 */
export function createViewLoader(db: Db): (id: number) => InquiryView | undefined {
  const sqlite = db.$client;
  const inquiry = sqlite.prepare<[number], InquiryRow>(`SELECT ${INQUIRY_COLUMNS} FROM inquiries WHERE id = ?`);
  const customer = sqlite.prepare<[number], Customer>(
    `SELECT id, source, key, name, email FROM customers WHERE id = ?`,
  );
  const messageCount = sqlite.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM messages WHERE inquiry_id = ?`,
  );
  const reactionCounts = sqlite.prepare<[number], { emoji: string; n: number }>(
    `SELECT emoji, count(*) AS n FROM reactions WHERE inquiry_id = ? AND removed_at IS NULL GROUP BY emoji`,
  );
  return (id) => {
    const row = toInquiry(inquiry.get(id));
    if (!row) return undefined;
    const counts: Record<string, number> = {};
    for (const r of reactionCounts.all(id)) counts[r.emoji] = r.n;
    return {
      inquiry: row,
      customer: row.customerId === null ? null : (customer.get(row.customerId) ?? null),
      messageCount: messageCount.get(id)?.n ?? 0,
      reactionCounts: counts,
    };
  };
}
