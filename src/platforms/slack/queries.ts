import { and, count, eq, gte, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Inquiry } from '../../core/inquiries/types.ts';
import { reasonLabel, type Locale, type Reason } from '../../core/reasons/taxonomy.ts';
import { localDate, startOfLocalDay } from '../../lib/zoned-time.ts';
import type { Db } from '../../storage/db.ts';
import { listInquiries } from '../../storage/inquiry-queries.ts';
import { inquiries, messages } from '../../storage/schema/index.ts';
import type { StatsNumbers } from '../replies.ts';
import type { StatsPeriod } from './command-parser.ts';

/** How many lines `/koe open` and `/koe mine` show. */
export const LIST_LIMIT = 20;

/** Unclaimed inquiries, oldest first, and how many there are in all. */
export function openInquiries(db: Db): { items: Inquiry[]; total: number } {
  const { items } = listInquiries(db, { status: 'open', order: 'oldest', limit: LIST_LIMIT });
  const total = db.select({ n: count() }).from(inquiries).where(eq(inquiries.status, 'open')).get()?.n ?? 0;
  return { items, total };
}

/** Inquiries `actorId` holds (claimed, not resolved), oldest first. */
export function heldInquiries(db: Db, actorId: string): { items: Inquiry[]; total: number } {
  const { items } = listInquiries(db, { status: 'claimed', assigneeId: actorId, order: 'oldest', limit: LIST_LIMIT });
  const total =
    db
      .select({ n: count() })
      .from(inquiries)
      .where(and(eq(inquiries.status, 'claimed'), eq(inquiries.assigneeId, actorId)))
      .get()?.n ?? 0;
  return { items, total };
}

/** The start of a stats period: local midnight today in `timezone`, or 7 / 30 days back. */
export function periodStart(period: StatsPeriod, nowMs: number, timezone: string): number {
  if (period === 'today') return startOfLocalDay(localDate(nowMs, timezone), timezone);
  return nowMs - (period === '7d' ? 7 : 30) * 24 * 3_600_000;
}

/** The numbers behind `/koe stats`. */
export function stats(
  db: Db,
  options: { period: StatsPeriod; nowMs: number; timezone: string; reasons: readonly Reason[]; locale: Locale },
): StatsNumbers {
  const since = periodStart(options.period, options.nowMs, options.timezone);
  const n = (where: SQL | undefined) => db.select({ n: count() }).from(inquiries).where(where).get()?.n ?? 0;
  const received = n(gte(inquiries.receivedAt, since));
  const resolved = n(and(isNotNull(inquiries.resolvedAt), gte(inquiries.resolvedAt, since)));
  const openNow = n(eq(inquiries.status, 'open'));
  const claimedNow = n(eq(inquiries.status, 'claimed'));
  const waits = db
    .select({ minutes: sql<number>`(${inquiries.firstResponseAt} - ${inquiries.receivedAt}) / 60000.0` })
    .from(inquiries)
    .where(and(gte(inquiries.receivedAt, since), isNotNull(inquiries.firstResponseAt)))
    .all()
    .map((r) => r.minutes)
    .sort((a, b) => a - b);
  // Nearest-rank median.
  const median = waits.length === 0 ? null : (waits[Math.ceil(waits.length / 2) - 1] ?? null);
  const byReason = db
    .select({ reasonId: inquiries.reasonId, n: count() })
    .from(inquiries)
    .where(gte(inquiries.receivedAt, since))
    .groupBy(inquiries.reasonId)
    .all()
    .sort((a, b) => b.n - a.n)
    .slice(0, 10)
    .map((r) => ({ label: reasonLabel(options.reasons, r.reasonId, options.locale), count: r.n }));
  return {
    period: options.period,
    received,
    resolved,
    openNow,
    claimedNow,
    medianFirstResponseMinutes: median,
    byReason,
  };
}

/**
 * The inquiry a Slack thread in a source channel belongs to: the inquiry opened by the thread's
 * parent message, or the one that parent was joined into (as an inbound message).
 */
export function inquiryForSourceThread(db: Db, source: string, threadTs: string): number | null {
  const opened = db
    .select({ id: inquiries.id })
    .from(inquiries)
    .where(and(eq(inquiries.source, source), eq(inquiries.externalId, threadTs)))
    .get();
  if (opened) return opened.id;
  const joined = db
    .select({ inquiryId: messages.inquiryId })
    .from(messages)
    .innerJoin(inquiries, eq(inquiries.id, messages.inquiryId))
    .where(and(eq(inquiries.source, source), eq(messages.externalId, threadTs), eq(messages.direction, 'inbound')))
    .get();
  return joined?.inquiryId ?? null;
}
