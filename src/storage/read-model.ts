import { and, asc, count, desc, eq, getTableColumns, gte, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { nearestRank } from '../core/digests/build-digest.ts';
import type { Customer, Inquiry, InquiryEvent, Message, Reaction } from '../core/inquiries/types.ts';
import type {
  InquiryDetail,
  InquiryHint,
  InquiryPage,
  InquiryStats,
  ListedInquiry,
  ListFilter,
  ReadModel,
  SlaClockRow,
} from '../core/ports/read-model.ts';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';
import { customers, events, inquiries, messages, mirrors, reactions } from './schema/index.ts';

/** The read model over koe's SQLite database: every read an adapter makes, written once. */
export function createReadModel(db: Db): ReadModel {
  const sqlite = db.$client;
  type MirrorHit = { id: number; destination: string };
  const mirrorByRef = sqlite.prepare<{ platform: string; ref: string }, MirrorHit>(
    `SELECT inquiry_id AS id, destination FROM mirrors WHERE platform = @platform AND (message_ref = @ref OR thread_ref = @ref)
     ORDER BY id LIMIT 1`,
  );
  const mirrorInChannel = sqlite.prepare<{ platform: string; channel: string; ref: string }, MirrorHit>(
    `SELECT inquiry_id AS id, destination FROM mirrors WHERE platform = @platform AND channel = @channel
       AND (message_ref = @ref OR thread_ref = @ref) ORDER BY id LIMIT 1`,
  );
  const mirrorAt = (platform: string, ref: { channel?: string; messageRef: string }) =>
    ref.channel === undefined
      ? mirrorByRef.get({ platform, ref: ref.messageRef })
      : mirrorInChannel.get({ platform, channel: ref.channel, ref: ref.messageRef });
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
  const clocks = sqlite.prepare<[], SlaClockRow>(
    `SELECT id, status, reason_id AS reasonId, received_at AS receivedAt, first_response_at AS firstResponseAt,
            resolved_at AS resolvedAt
     FROM inquiries WHERE status IN ('open', 'claimed')`,
  );
  // Through the inquiries' status index and events_inquiry, so only unresolved inquiries' events are read.
  const eventKeys = sqlite.prepare<[], { key: string }>(
    `SELECT e.key AS key FROM inquiries i JOIN events e ON e.inquiry_id = i.id
     WHERE i.status IN ('open', 'claimed') AND e.key IS NOT NULL`,
  );
  return {
    listInquiries: (filter) => listInquiries(db, filter),
    isCursor: (cursor) => decodeCursor(cursor) !== undefined,
    inquiryDetail: (id) => inquiryDetail(db, id),
    stats,
    inquiryForMirror(platform, ref) {
      return mirrorAt(platform, ref)?.id ?? null;
    },
    mirrorAt(platform, ref) {
      const row = mirrorAt(platform, ref);
      return row ? { inquiryId: row.id, destination: row.destination } : null;
    },
    inquiryForSourceMessage(source, externalId) {
      return openedBy.get({ source, id: externalId })?.id ?? joinedBy.get({ source, id: externalId })?.id ?? null;
    },
    unresolvedClocks: () => clocks.all(),
    unresolvedEventKeys: () => eventKeys.all().map((r) => r.key),
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
      medianFirstResponseMinutes: nearestRank(minutes, 0.5),
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

function encodeCursor(row: { receivedAt: number; id: number }): string {
  return Buffer.from(`${row.receivedAt}:${row.id}`).toString('base64url');
}

/**
 * Parses a cursor; undefined when it is not one this API issued. Whatever receipt time a row holds
 * (before 1970, so negative; or anything written straight into the database), its cursor reads
 * back: the number must be written exactly as encodeCursor writes it.
 */
function decodeCursor(cursor: string): { receivedAt: number; id: number } | undefined {
  const match = /^([^:]+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const receivedAt = Number(match[1]);
  const id = Number(match[2]);
  if (!Number.isFinite(receivedAt) || String(receivedAt) !== match[1] || !Number.isSafeInteger(id)) return undefined;
  return { receivedAt, id };
}

function filterConditions(filter: ListFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.status) where.push(eq(inquiries.status, filter.status));
  if (filter.reason === 'unclassified') where.push(isNull(inquiries.reasonId));
  else if (filter.reason) where.push(eq(inquiries.reasonId, filter.reason));
  if (filter.assigneeId) where.push(eq(inquiries.assigneeId, filter.assigneeId));
  if (filter.sinceMs !== undefined) where.push(gte(inquiries.receivedAt, filter.sinceMs));
  // One JSON parameter however many ids (an IN list of thousands would pass SQLite's variable limit).
  if (filter.ids) where.push(sql`${inquiries.id} IN (SELECT value FROM json_each(${JSON.stringify(filter.ids)}))`);
  return where;
}

/**
 * The bytes an item of a list takes as stored: its text columns (the body at most as cut, the
 * metadata only when given) and a fixed allowance for its numbers and the JSON around them. An
 * estimate of its size in an answer, made in SQL so that rows over the budget are never loaded.
 */
function storedBytes(filter: ListFilter): SQL<number> {
  const bytes = (column: AnySQLiteColumn) => sql`coalesce(length(CAST(${column} AS BLOB)), 0)`;
  const body =
    filter.bodyChars === undefined
      ? bytes(inquiries.body)
      : sql`min(${bytes(inquiries.body)}, ${headBytes(filter.bodyChars)})`;
  const parts = [
    bytes(inquiries.source),
    bytes(inquiries.externalId),
    bytes(inquiries.subject),
    body,
    bytes(inquiries.url),
    bytes(inquiries.reasonId),
    bytes(inquiries.assigneeId),
    bytes(inquiries.assigneeName),
    ...(filter.metadata === false ? [] : [bytes(inquiries.metadata)]),
  ];
  return sql<number>`${sql.join(parts, sql` + `)} + ${ITEM_OVERHEAD_BYTES}`;
}

/** The bytes that surely hold a text's first `chars` characters: four each, at most, in UTF-8. */
const headBytes = (chars: number) => chars * 4;

/** An item's keys, numbers, dates and punctuation in the API's JSON, generously. */
const ITEM_OVERHEAD_BYTES = 512;

/** A page of inquiries, newest first by default, with a cursor for the next page and the true total. */
function listInquiries(db: Db, filter: ListFilter): InquiryPage {
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
  // First the page's ids and sizes, then only the rows that fit: a page of large rows is never loaded whole.
  const keys = db
    .select({ id: inquiries.id, receivedAt: inquiries.receivedAt, bytes: storedBytes(filter) })
    .from(inquiries)
    .where(and(...where))
    .orderBy(...order)
    .limit(filter.limit + 1)
    .all();
  const taken = withinBudget(keys.slice(0, filter.limit), filter.maxBytes);
  const last = taken[taken.length - 1];
  return {
    items: rowsOf(
      db,
      filter,
      taken.map((k) => k.id),
    ),
    total,
    nextCursor: keys.length > taken.length && last ? encodeCursor(last) : null,
  };
}

/** The first keys whose bytes stay within `maxBytes` together; always the first one. */
function withinBudget<K extends { bytes: number }>(keys: K[], maxBytes: number | undefined): K[] {
  if (maxBytes === undefined) return keys;
  let used = 0;
  let n = 0;
  for (const key of keys) {
    if (n > 0 && used + key.bytes > maxBytes) break;
    used += key.bytes;
    n += 1;
  }
  return keys.slice(0, n);
}

/** The inquiries with these ids, in this order, shaped as `filter` asks (body cut, metadata or not). */
function rowsOf(db: Db, filter: ListFilter, ids: number[]): ListedInquiry[] {
  if (ids.length === 0) return [];
  const { body, metadata, ...rest } = getTableColumns(inquiries);
  const cut = filter.bodyChars;
  // A cut body is read as its first bytes, as a blob: SQLite's substr() and length() stop at a NUL
  // character, which a body may hold.
  const rows = db
    .select({
      ...rest,
      ...(cut === undefined
        ? { body }
        : {
            bodyHead: sql<Buffer>`substr(CAST(${body} AS BLOB), 1, ${headBytes(cut)})`,
            bodyBytes: sql<number>`length(CAST(${body} AS BLOB))`,
          }),
      ...(filter.metadata !== false && { metadata }),
    })
    .from(inquiries)
    .where(inArray(inquiries.id, ids))
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const customerOf = customersOf(db, rows);
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return []; // deleted between the two reads
    const { bodyHead, bodyBytes, ...inquiry } = row as typeof row & { bodyHead?: Buffer; bodyBytes?: number };
    const customer = customerOf(inquiry.customerId);
    if (cut === undefined || bodyHead === undefined)
      return [{ metadata: null, ...inquiry, bodyTruncated: false, customer } as ListedInquiry];
    const shown = firstChars(Buffer.from(bodyHead).toString('utf8'), cut);
    const bodyTruncated = (bodyBytes ?? 0) > Buffer.byteLength(shown);
    return [{ metadata: null, ...inquiry, body: shown, bodyTruncated, customer } as ListedInquiry];
  });
}

/** The customers of a page's rows, in one read: a lookup by customer id (null: none known). */
function customersOf(db: Db, rows: ReadonlyArray<{ customerId: number | null }>) {
  const ids = [...new Set(rows.flatMap((r) => (r.customerId === null ? [] : [r.customerId])))];
  const found =
    ids.length === 0 ? [] : (db.select().from(customers).where(inArray(customers.id, ids)).all() as Customer[]);
  const byId = new Map(found.map((c) => [c.id, c]));
  return (id: number | null): Customer | null => (id === null ? null : (byId.get(id) ?? null));
}

/** The first `n` characters (code points, so a surrogate pair is never split) of `text`. */
function firstChars(text: string, n: number): string {
  let end = 0;
  for (let count = 0; count < n && end < text.length; count++) {
    const code = text.codePointAt(end)!;
    end += code > 0xffff ? 2 : 1;
  }
  return text.slice(0, end);
}
