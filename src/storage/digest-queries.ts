import type {
  BacklogRow,
  DigestQueries,
  ParticipationRow,
  ReasonTallyRow,
  ReceivedRow,
  ReinquiryRow,
  UnnamedRow,
  VoiceRow,
} from '../core/digests/digest-source.ts';
import type { MirrorRef } from '../core/digests/types.ts';
import type { TimeRange } from '../lib/zoned-time.ts';
import type { Db } from './db.ts';

/** How much of an unnamed inquiry's body topics read: enough for what it is about. */
export const UNNAMED_BODY_CHARS = 1000;

/**
 * The SQL behind a digest, one prepared statement per question. Every range is half-open on epoch
 * ms, so each query is an index range scan (see `explainDigestQueries` and `bench/digest.ts`).
 */
export const DIGEST_SQL = {
  // The heart of the digest; with inquiries_received_at_reason it reads the index alone.
  reasonTally: `
    SELECT reason_id AS reasonId, count(*) AS count
    FROM inquiries
    WHERE received_at >= @startMs AND received_at < @endMs
    GROUP BY reason_id`,
  receivedInquiries: `
    SELECT id, reason_id AS reasonId, received_at AS receivedAt,
           first_response_at AS firstResponseAt, resolved_at AS resolvedAt,
           assignee_id AS assigneeId, assignee_name AS assigneeName
    FROM inquiries
    WHERE received_at >= @startMs AND received_at < @endMs
    ORDER BY received_at, id`,
  backlog: `
    SELECT count(*) AS unresolved,
           coalesce(sum(status = 'open'), 0) AS unclaimed,
           coalesce(sum(status = 'claimed'), 0) AS claimed,
           -- Each reason's own cutoff (sla.byReason), else the default; ids are [a-z0-9_-], safe in a path.
           coalesce(sum(received_at < coalesce(json_extract(@byReason, '$."' || reason_id || '"'), @overdueBeforeMs)), 0)
             AS overdue
    FROM inquiries
    WHERE status IN ('open', 'claimed') AND received_at < @asOfMs`,
  oldestUnclaimed: `
    SELECT id AS inquiryId, received_at AS receivedAt
    FROM inquiries
    WHERE status = 'open' AND received_at < @asOfMs
    ORDER BY received_at, id
    LIMIT 1`,
  // A customer returned when any of their resolutions in the cohort was followed, within the
  // window, by a newer inquiry of theirs. Inquiries without a known customer cannot be followed.
  reinquiry: `
    SELECT count(*) AS customers, coalesce(sum(returned), 0) AS returned
    FROM (
      SELECT r.customer_id, max(EXISTS (
               SELECT 1 FROM inquiries n
               WHERE n.customer_id = r.customer_id
                 AND n.received_at > r.resolved_at
                 AND n.received_at <= r.resolved_at + @windowMs
             )) AS returned
      FROM inquiries r
      WHERE r.resolved_at >= @startMs AND r.resolved_at < @endMs AND r.customer_id IS NOT NULL
      GROUP BY r.customer_id
    )`,
  // Reacted (even if later removed), claimed or was assigned, or wrote a reply or thread note. The
  // API names people as typed (api:Sato, api:sato): one person whatever the case.
  participation: `
    SELECT CASE WHEN id LIKE 'api:%' THEN lower(id) ELSE id END AS id, max(name) AS name,
           sum(kind = 'reaction') AS reactions, sum(kind = 'claim') AS claims, sum(kind = 'reply') AS replies
    FROM (
      SELECT user_id AS id, user_name AS name, 'reaction' AS kind
      FROM reactions WHERE created_at >= @startMs AND created_at < @endMs
      UNION ALL
      SELECT actor_id, actor_name, 'claim'
      FROM events WHERE created_at >= @startMs AND created_at < @endMs AND type IN ('claimed', 'assigned') AND actor_id IS NOT NULL
      UNION ALL
      SELECT author_id, author_name, 'reply'
      FROM messages WHERE created_at >= @startMs AND created_at < @endMs AND direction IN ('outbound', 'note') AND author_id IS NOT NULL
    )
    WHERE id != 'system'
    GROUP BY CASE WHEN id LIKE 'api:%' THEN lower(id) ELSE id END`,
  voices: `
    SELECT i.id AS inquiryId, i.reason_id AS reasonId, i.subject, substr(i.body, 1, 300) AS bodyStart, i.url,
           (SELECT count(*) FROM reactions r WHERE r.inquiry_id = i.id AND r.removed_at IS NULL) AS reactions
    FROM inquiries i
    WHERE i.reason_id IN (SELECT value FROM json_each(@reasonIds))
      AND i.received_at >= @startMs AND i.received_at < @endMs
    ORDER BY reactions DESC, i.received_at, i.id
    LIMIT @limit`,
  voiceMirrors: `
    SELECT inquiry_id AS inquiryId, platform, channel, message_ref AS messageRef
    FROM mirrors
    WHERE inquiry_id IN (SELECT value FROM json_each(@inquiryIds))
    ORDER BY id`,
  // Topics: the newest unnamed inquiries of a week, bounded. The range on received_at reads
  // inquiries_received_at_reason, which also holds reason_id, so only the rows kept are fetched.
  unnamedInquiries: `
    SELECT id, subject, substr(body, 1, ${UNNAMED_BODY_CHARS}) AS body, received_at AS receivedAt
    FROM inquiries
    WHERE received_at >= @startMs AND received_at < @endMs AND (reason_id IS NULL OR reason_id = 'other')
    ORDER BY received_at DESC, id DESC
    LIMIT @limit`,
} as const;

/** The DigestQueries port over a SQLite database. */
export function createDigestQueries(db: Db): DigestQueries {
  const sqlite = db.$client;
  const tally = sqlite.prepare<TimeRange, ReasonTallyRow>(DIGEST_SQL.reasonTally);
  const received = sqlite.prepare<TimeRange, ReceivedRow>(DIGEST_SQL.receivedInquiries);
  const backlog = sqlite.prepare<
    { asOfMs: number; overdueBeforeMs: number; byReason: string },
    Omit<BacklogRow, 'oldestUnclaimed'>
  >(DIGEST_SQL.backlog);
  const oldest = sqlite.prepare<{ asOfMs: number }, { inquiryId: number; receivedAt: number }>(
    DIGEST_SQL.oldestUnclaimed,
  );
  const reinquiry = sqlite.prepare<TimeRange & { windowMs: number }, ReinquiryRow>(DIGEST_SQL.reinquiry);
  const participation = sqlite.prepare<TimeRange, ParticipationRow>(DIGEST_SQL.participation);
  const voices = sqlite.prepare<TimeRange & { reasonIds: string; limit: number }, Omit<VoiceRow, 'mirrors'>>(
    DIGEST_SQL.voices,
  );
  const voiceMirrors = sqlite.prepare<{ inquiryIds: string }, MirrorRef & { inquiryId: number }>(
    DIGEST_SQL.voiceMirrors,
  );
  const unnamed = sqlite.prepare<TimeRange & { limit: number }, UnnamedRow>(DIGEST_SQL.unnamedInquiries);
  const range = (r: TimeRange): TimeRange => ({ startMs: r.startMs, endMs: r.endMs });

  return {
    reasonTally: (r) => tally.all(range(r)),
    receivedInquiries: (r) => received.all(range(r)),
    backlog: (asOfMs, overdue) => {
      const row = backlog.get({
        asOfMs,
        overdueBeforeMs: overdue.beforeMs,
        byReason: JSON.stringify(overdue.byReason),
      })!;
      return { ...row, oldestUnclaimed: oldest.get({ asOfMs }) ?? null };
    },
    reinquiry: (cohort, windowMs) => reinquiry.get({ ...range(cohort), windowMs })!,
    participation: (r) => participation.all(range(r)),
    voices: (r, reasonIds, limit) => {
      const rows = voices.all({ ...range(r), reasonIds: JSON.stringify(reasonIds), limit });
      if (rows.length === 0) return [];
      const byInquiry = new Map<number, MirrorRef[]>(rows.map((v) => [v.inquiryId, []]));
      for (const m of voiceMirrors.all({ inquiryIds: JSON.stringify(rows.map((v) => v.inquiryId)) })) {
        byInquiry.get(m.inquiryId)?.push({ platform: m.platform, channel: m.channel, messageRef: m.messageRef });
      }
      return rows.map((v) => ({ ...v, mirrors: byInquiry.get(v.inquiryId) ?? [] }));
    },
    unnamedInquiries: (r, limit) => unnamed.all({ ...range(r), limit }),
  };
}

/** `EXPLAIN QUERY PLAN` of each digest statement, for the bench and for anyone tuning indexes. */
export function explainDigestQueries(db: Db): Record<keyof typeof DIGEST_SQL, string[]> {
  const params: Record<string, unknown> = {
    startMs: 0,
    endMs: 1,
    asOfMs: 1,
    overdueBeforeMs: 0,
    byReason: '{}',
    windowMs: 1,
    reasonIds: '[]',
    inquiryIds: '[]',
    limit: 1,
  };
  const out = {} as Record<keyof typeof DIGEST_SQL, string[]>;
  for (const [name, sql] of Object.entries(DIGEST_SQL) as [keyof typeof DIGEST_SQL, string][]) {
    const stmt = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const wanted = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`@${k}`)));
    out[name] = (stmt.all(wanted) as { id: number; parent: number; detail: string }[]).map((r) => r.detail);
  }
  return out;
}
