import { and, asc, count, desc, eq, gte, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Customer, Inquiry, InquiryEvent, Message, Reaction } from '../core/inquiries/types.ts';
import type { InquiryDetail, InquiryHint, InquiryStats, ListFilter, ReadModel } from '../core/ports/read-model.ts';
import type { Db } from './db.ts';
import { customers, events, inquiries, messages, mirrors, reactions } from './schema/index.ts';

/** The read model over koe's SQLite database: every read an adapter makes, written once. */
export function createReadModel(db: Db): ReadModel {
  const sqlite = db.$client;
  const mirrorByRef = sqlite.prepare<{ platform: string; ref: string }, { id: number }>(
    `SELECT inquiry_id AS id FROM mirrors WHERE platform = @platform AND (message_ref = @ref OR thread_ref = @ref)
     ORDER BY id LIMIT 1`,
  );
  const mirrorInChannel = sqlite.prepare<{ platform: string; channel: string; ref: string }, { id: number }>(
    `SELECT inquiry_id AS id FROM mirrors WHERE platform = @platform AND channel = @channel
       AND (message_ref = @ref OR thread_ref = @ref) ORDER BY id LIMIT 1`,
  );
  const openedBy = sqlite.prepare<{ source: string; id: string }, { id: number }>(
    `SELECT id FROM inquiries WHERE source = @source AND external_id = @id LIMIT 1`,
  );
  const joinedBy = sqlite.prepare<{ source: string; id: string }, { id: number }>(
    `SELECT m.inquiry_id AS id FROM messages m JOIN inquiries i ON i.id = m.inquiry_id
     WHERE m.external_id = @id AND i.source = @source AND m.direction != 'note' ORDER BY m.id LIMIT 1`,
  );
  const matching = sqlite.prepare<{ like: string; idPrefix: string; limit: number }, InquiryHint>(
    `SELECT id, subject, substr(body, 1, 200) AS body, status FROM inquiries
     WHERE status IN ('open', 'claimed')
       AND (@like = '' OR CAST(id AS TEXT) LIKE @idPrefix OR subject LIKE @like OR substr(body, 1, 500) LIKE @like)
     ORDER BY received_at DESC, id DESC LIMIT @limit`,
  );
  const stats = statsStatements(db);
  return {
    listInquiries: (filter) => listInquiries(db, filter),
    isCursor: (cursor) => decodeCursor(cursor) !== undefined,
    inquiryDetail: (id) => inquiryDetail(db, id),
    stats,
    inquiryForMirror(platform, ref) {
      const row =
        ref.channel === undefined
          ? mirrorByRef.get({ platform, ref: ref.messageRef })
          : mirrorInChannel.get({ platform, channel: ref.channel, ref: ref.messageRef });
      return row?.id ?? null;
    },
    inquiryForSourceMessage(source, externalId) {
      return openedBy.get({ source, id: externalId })?.id ?? joinedBy.get({ source, id: externalId })?.id ?? null;
    },
    unresolvedMatching(typed, limit) {
      // LIKE's wildcards typed by a user are dropped rather than escaped: they are never meant.
      const t = typed.trim().replace(/^#/, '').replace(/[%_]/g, '');
      return matching.all({ like: t ? `%${t}%` : '', idPrefix: `${t}%`, limit });
    },
  };
}

function statsStatements(db: Db): ReadModel['stats'] {
  const sqlite = db.$client;
  type Window = { startMs: number; endMs: number };
  const counts = sqlite.prepare<Window, { received: number; resolved: number }>(
    `SELECT (SELECT count(*) FROM inquiries WHERE received_at >= @startMs AND received_at < @endMs) AS received,
            (SELECT count(*) FROM inquiries WHERE resolved_at >= @startMs AND resolved_at < @endMs) AS resolved`,
  );
  const now = sqlite.prepare<[], { open: number; claimed: number }>(
    `SELECT coalesce(sum(status = 'open'), 0) AS open, coalesce(sum(status = 'claimed'), 0) AS claimed
     FROM inquiries WHERE status IN ('open', 'claimed')`,
  );
  const byReason = sqlite.prepare<Window, { reasonId: string | null; count: number }>(
    `SELECT reason_id AS reasonId, count(*) AS count FROM inquiries
     WHERE received_at >= @startMs AND received_at < @endMs GROUP BY reason_id ORDER BY count DESC, reason_id LIMIT 10`,
  );
  const firstResponses = sqlite.prepare<Window, { minutes: number }>(
    `SELECT (first_response_at - received_at) / 60000.0 AS minutes FROM inquiries
     WHERE received_at >= @startMs AND received_at < @endMs AND first_response_at IS NOT NULL ORDER BY minutes`,
  );
  return ({ sinceMs, untilMs }): InquiryStats => {
    const window = { startMs: sinceMs, endMs: untilMs };
    const c = counts.get(window) ?? { received: 0, resolved: 0 };
    const n = now.get() ?? { open: 0, claimed: 0 };
    const minutes = firstResponses.all(window).map((r) => r.minutes);
    return {
      received: c.received,
      resolved: c.resolved,
      openNow: n.open,
      claimedNow: n.claimed,
      medianFirstResponseMinutes: minutes.length === 0 ? null : (minutes[Math.ceil(minutes.length / 2) - 1] ?? null),
      byReason: byReason.all(window),
    };
  };
}

function inquiryDetail(db: Db, id: number): InquiryDetail | undefined {
  const inquiry = db.select().from(inquiries).where(eq(inquiries.id, id)).get() as Inquiry | undefined;
  if (!inquiry) return undefined;
  const customer =
    inquiry.customerId === null
      ? undefined
      : (db.select().from(customers).where(eq(customers.id, inquiry.customerId)).get() as Customer | undefined);
  return {
    inquiry,
    customer: customer ?? null,
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

function encodeCursor(row: Inquiry): string {
  return Buffer.from(`${row.receivedAt}:${row.id}`).toString('base64url');
}

/** Parses a cursor; undefined when it is not one this API issued. */
function decodeCursor(cursor: string): { receivedAt: number; id: number } | undefined {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  return { receivedAt: Number(match[1]), id: Number(match[2]) };
}

function filterConditions(filter: ListFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(inquiries.status, filter.status));
  if (filter.reason === 'unclassified') where.push(isNull(inquiries.reasonId));
  else if (filter.reason) where.push(eq(inquiries.reasonId, filter.reason));
  if (filter.assigneeId) where.push(eq(inquiries.assigneeId, filter.assigneeId));
  if (filter.sinceMs !== undefined) where.push(gte(inquiries.receivedAt, filter.sinceMs));
  return where;
}

/** A page of inquiries, newest first by default, with a cursor for the next page and the true total. */
function listInquiries(db: Db, filter: ListFilter) {
  const where = filterConditions(filter);
  const total =
    db
      .select({ n: count() })
      .from(inquiries)
      .where(and(...where))
      .get()?.n ?? 0;
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
    .where(and(...where))
    .orderBy(...order)
    .limit(filter.limit + 1)
    .all() as Inquiry[];
  const items = rows.slice(0, filter.limit);
  const last = items[items.length - 1];
  return { items, total, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
}
