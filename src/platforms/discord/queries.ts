import type { Locale, Reason } from '../../core/reasons/taxonomy.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { localDate, startOfLocalDay } from '../../lib/zoned-time.ts';
import type { Db } from '../../storage/db.ts';
import type { StatsNumbers } from '../replies.ts';

/**
 * The reads the Discord adapter makes besides the core verbs: which inquiry a Discord message
 * belongs to, candidates for autocomplete, `/koe stats` numbers, and the inbound-event ledger that
 * makes gateway re-deliveries no-ops. Each is one prepared statement, cached per database.
 */
export interface DiscordQueries {
  /** The inquiry a Discord message id belongs to in `source`: as its first message, or as a follow-up. */
  inquiryForMessage(source: string, messageId: string): number | null;
  /** The inquiry whose Discord mirror thread (or mirror message) is `channelOrMessageId`. */
  inquiryForMirror(channelOrMessageId: string): number | null;
  /** Unresolved inquiries for autocomplete, newest first, matching a typed id prefix or text. */
  autocompleteInquiries(
    typed: string,
    limit: number,
  ): Array<{ id: number; subject: string | null; body: string; status: string }>;
  stats(
    period: StatsNumbers['period'],
    nowMs: number,
    timezone: string,
    reasons: readonly Reason[],
    locale: Locale,
  ): StatsNumbers;
  /**
   * Records an inbound event key (`discord:<snowflake>`); false when it was already recorded, i.e.
   * this is a re-delivery to skip.
   */
  claimEvent(key: string, nowMs: number): boolean;
  /** Forgets a key whose handling failed, so a re-delivery may try again. */
  releaseEvent(key: string): void;
  /** Drops Discord keys recorded before `beforeMs` (re-deliveries come within minutes, not days). */
  pruneEvents(beforeMs: number): number;
}

const DAY_MS = 86_400_000;

/** The Discord adapter's queries over `db`. */
export function createDiscordQueries(db: Db): DiscordQueries {
  const sqlite = db.$client;
  const byExternal = sqlite.prepare<{ source: string; id: string }, { id: number }>(
    `SELECT id FROM inquiries WHERE source = @source AND external_id = @id LIMIT 1`,
  );
  const byMessage = sqlite.prepare<{ source: string; id: string }, { id: number }>(
    `SELECT m.inquiry_id AS id FROM messages m JOIN inquiries i ON i.id = m.inquiry_id
     WHERE m.external_id = @id AND i.source = @source ORDER BY m.id LIMIT 1`,
  );
  const byMirror = sqlite.prepare<{ ref: string }, { id: number }>(
    `SELECT inquiry_id AS id FROM mirrors WHERE platform = 'discord' AND (thread_ref = @ref OR message_ref = @ref) LIMIT 1`,
  );
  const recent = sqlite.prepare<
    { like: string; idPrefix: string; limit: number },
    { id: number; subject: string | null; body: string; status: string }
  >(
    `SELECT id, subject, substr(body, 1, 200) AS body, status FROM inquiries
     WHERE status IN ('open', 'claimed')
       AND (@like = '' OR CAST(id AS TEXT) LIKE @idPrefix OR subject LIKE @like OR substr(body, 1, 500) LIKE @like)
     ORDER BY received_at DESC, id DESC LIMIT @limit`,
  );
  const counts = sqlite.prepare<{ startMs: number; endMs: number }, { received: number; resolved: number }>(
    `SELECT (SELECT count(*) FROM inquiries WHERE received_at >= @startMs AND received_at < @endMs) AS received,
            (SELECT count(*) FROM inquiries WHERE resolved_at >= @startMs AND resolved_at < @endMs) AS resolved`,
  );
  const now = sqlite.prepare<[], { open: number; claimed: number }>(
    `SELECT coalesce(sum(status = 'open'), 0) AS open, coalesce(sum(status = 'claimed'), 0) AS claimed
     FROM inquiries WHERE status IN ('open', 'claimed')`,
  );
  const byReason = sqlite.prepare<{ startMs: number; endMs: number }, { reasonId: string | null; count: number }>(
    `SELECT reason_id AS reasonId, count(*) AS count FROM inquiries
     WHERE received_at >= @startMs AND received_at < @endMs GROUP BY reason_id ORDER BY count DESC, reason_id LIMIT 10`,
  );
  const firstResponses = sqlite.prepare<{ startMs: number; endMs: number }, { minutes: number }>(
    `SELECT (first_response_at - received_at) / 60000.0 AS minutes FROM inquiries
     WHERE received_at >= @startMs AND received_at < @endMs AND first_response_at IS NOT NULL ORDER BY minutes`,
  );
  const insertEvent = sqlite.prepare<{ key: string; at: number }>(
    `INSERT OR IGNORE INTO inbound_events (key, received_at) VALUES (@key, @at)`,
  );
  const deleteEvent = sqlite.prepare<{ key: string }>(`DELETE FROM inbound_events WHERE key = @key`);
  const pruneOld = sqlite.prepare<{ before: number }>(
    `DELETE FROM inbound_events WHERE key LIKE 'discord:%' AND received_at < @before`,
  );
  return {
    inquiryForMessage(source, messageId) {
      return byExternal.get({ source, id: messageId })?.id ?? byMessage.get({ source, id: messageId })?.id ?? null;
    },
    inquiryForMirror(ref) {
      return byMirror.get({ ref })?.id ?? null;
    },
    autocompleteInquiries(typed, limit) {
      const t = typed.trim().replace(/^#/, '');
      const escaped = t.replace(/[%_]/g, '');
      return recent.all({ like: escaped ? `%${escaped}%` : '', idPrefix: `${escaped}%`, limit });
    },
    stats(period, nowMs, timezone, reasons, locale) {
      const today = localDate(nowMs, timezone);
      const startMs =
        period === 'today' ? startOfLocalDay(today, timezone) : nowMs - (period === '7d' ? 7 : 30) * DAY_MS;
      const range = { startMs, endMs: nowMs + 1 };
      const c = counts.get(range) ?? { received: 0, resolved: 0 };
      const n = now.get() ?? { open: 0, claimed: 0 };
      const minutes = firstResponses.all(range).map((r) => r.minutes);
      const median = minutes.length === 0 ? null : (minutes[Math.ceil(minutes.length / 2) - 1] ?? null);
      return {
        period,
        received: c.received,
        resolved: c.resolved,
        openNow: n.open,
        claimedNow: n.claimed,
        medianFirstResponseMinutes: median,
        byReason: byReason.all(range).map((r) => ({ label: reasonLabel(reasons, r.reasonId, locale), count: r.count })),
      };
    },
    claimEvent(key, nowMs) {
      return insertEvent.run({ key, at: nowMs }).changes > 0;
    },
    releaseEvent(key) {
      deleteEvent.run({ key });
    },
    pruneEvents(beforeMs) {
      return pruneOld.run({ before: beforeMs }).changes;
    },
  };
}
