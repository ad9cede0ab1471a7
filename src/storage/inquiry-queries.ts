import { and, asc, desc, eq, gte, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type {
  Customer,
  Inquiry,
  InquiryEvent,
  InquiryStatus,
  Message,
  Mirror,
  Reaction,
} from '../core/inquiries/types.ts';
import type { Db } from './db.ts';
import { customers, events, inquiries, messages, mirrors, reactions } from './schema/index.ts';

export interface InquiryDetail {
  inquiry: Inquiry;
  customer: Customer | null;
  messages: Message[];
  events: InquiryEvent[];
  mirrors: Mirror[];
  reactions: Reaction[];
}

/** An inquiry with everything that hangs off it, for the API's GET and `/koe show`. */
export function getInquiryDetail(db: Db, id: number): InquiryDetail | undefined {
  const inquiry = db.select().from(inquiries).where(eq(inquiries.id, id)).get() as Inquiry | undefined;
  if (!inquiry) return undefined;
  return {
    inquiry,
    customer:
      inquiry.customerId === null
        ? null
        : ((db.select().from(customers).where(eq(customers.id, inquiry.customerId)).get() as Customer) ?? null),
    messages: db.select().from(messages).where(eq(messages.inquiryId, id)).orderBy(asc(messages.id)).all() as Message[],
    events: db.select().from(events).where(eq(events.inquiryId, id)).orderBy(asc(events.id)).all() as InquiryEvent[],
    mirrors: db
      .select({
        id: mirrors.id,
        inquiryId: mirrors.inquiryId,
        destination: mirrors.destination,
        platform: mirrors.platform,
        channel: mirrors.channel,
        messageRef: mirrors.messageRef,
        threadRef: mirrors.threadRef,
      })
      .from(mirrors)
      .where(eq(mirrors.inquiryId, id))
      .orderBy(asc(mirrors.id))
      .all(),
    reactions: db
      .select()
      .from(reactions)
      .where(eq(reactions.inquiryId, id))
      .orderBy(asc(reactions.id))
      .all() as Reaction[],
  };
}

export interface ListFilter {
  status?: InquiryStatus;
  /** A reason id, or `unclassified`. */
  reason?: string;
  assigneeId?: string;
  sinceMs?: number;
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
  order?: 'newest' | 'oldest';
}

function encodeCursor(row: Inquiry): string {
  return Buffer.from(`${row.receivedAt}:${row.id}`).toString('base64url');
}

/** Parses a cursor; undefined when it is not one this API issued. */
export function decodeCursor(cursor: string): { receivedAt: number; id: number } | undefined {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  return { receivedAt: Number(match[1]), id: Number(match[2]) };
}

/** A page of inquiries, newest first by default, with a cursor for the next page. */
export function listInquiries(db: Db, filter: ListFilter): { items: Inquiry[]; nextCursor: string | null } {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(inquiries.status, filter.status));
  if (filter.reason === 'unclassified') where.push(isNull(inquiries.reasonId));
  else if (filter.reason) where.push(eq(inquiries.reasonId, filter.reason));
  if (filter.assigneeId) where.push(eq(inquiries.assigneeId, filter.assigneeId));
  if (filter.sinceMs !== undefined) where.push(gte(inquiries.receivedAt, filter.sinceMs));
  const newest = (filter.order ?? 'newest') === 'newest';
  const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
  if (after) {
    const cmp = newest ? lt : (a: typeof inquiries.receivedAt | typeof inquiries.id, b: number) => sql`${a} > ${b}`;
    where.push(
      or(
        cmp(inquiries.receivedAt, after.receivedAt),
        and(eq(inquiries.receivedAt, after.receivedAt), cmp(inquiries.id, after.id)),
      )!,
    );
  }
  const order = newest
    ? [desc(inquiries.receivedAt), desc(inquiries.id)]
    : [asc(inquiries.receivedAt), asc(inquiries.id)];
  const rows = db
    .select()
    .from(inquiries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(...order)
    .limit(filter.limit + 1)
    .all() as Inquiry[];
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
}
