import { addDays, localDaysRange } from '../../lib/zoned-time.ts';
import type { Locale, Reason } from '../reasons/taxonomy.ts';
import { resolutionOverdueCutoffs } from '../sla/overdue.ts';
import { createSlaPolicy, type SlaPolicy, type SlaSettings } from '../sla/policy.ts';
import { buildDigest, VOICE_LIMIT } from './build-digest.ts';
import type { DigestQueries, DigestRows, UnnamedRow } from './digest-source.ts';
import { BASELINE_PERIODS, digestPeriod, REINQUIRY_WINDOW_DAYS, reinquiryCohort, tallyDates } from './periods.ts';
import type { Digest, DigestPeriod, DigestPeriodKind } from './types.ts';

const DAY_MS = 86_400_000;

/** The reasons whose inquiries are "voices of the customer". */
export const VOICE_REASON_IDS: readonly string[] = ['bug', 'feature_request'];

/** Topics read at most this many unnamed inquiries per week (the newest), so a flood stays fast. */
export const UNNAMED_PER_WEEK = 2000;

export interface DigestRequest {
  name: string;
  kind: DigestPeriodKind;
  /** Any local day in the period (a week is the Monday–Sunday week that contains it). */
  date: string;
  timezone: string;
  locale: Locale;
  reasons: readonly Reason[];
  sla: SlaSettings;
  nowMs: number;
}

/** Reads everything the period's digest needs through the port. */
export function collectDigestRows(
  queries: DigestQueries,
  period: DigestPeriod,
  nowMs: number,
  sla: SlaPolicy,
): DigestRows {
  const range = { startMs: period.startMs, endMs: period.endMs };
  return {
    dailyTallies: tallyDates(period).map((date) => ({
      date,
      rows: queries.reasonTally(localDaysRange(date, 1, period.timezone)),
    })),
    received: queries.receivedInquiries(range),
    backlog: queries.backlog(nowMs, resolutionOverdueCutoffs(sla, nowMs)),
    reinquiry: queries.reinquiry(reinquiryCohort(period), REINQUIRY_WINDOW_DAYS * DAY_MS),
    participation: queries.participation(range),
    voices: queries.voices(range, VOICE_REASON_IDS, VOICE_LIMIT),
    ...(period.kind === 'week' ? { unnamed: unnamedRows(queries, period) } : {}),
  };
}

/** The unnamed inquiries of the week and of each baseline week, oldest week first. */
function unnamedRows(queries: DigestQueries, period: DigestPeriod): UnnamedRow[] {
  const weeks = BASELINE_PERIODS.week;
  const rows: UnnamedRow[] = [];
  for (let k = weeks; k >= 0; k--) {
    const week = localDaysRange(addDays(period.start, -7 * k), 7, period.timezone);
    rows.push(...queries.unnamedInquiries(week, UNNAMED_PER_WEEK));
  }
  return rows;
}

/** The digest of the period containing `request.date`: collect through `queries`, then build. */
export function makeDigest(queries: DigestQueries, request: DigestRequest): Digest {
  const period = digestPeriod(request.kind, request.date, request.timezone);
  // One business clock for the whole digest: it lays out the calendar once.
  const sla = createSlaPolicy(request.sla);
  const rows = collectDigestRows(queries, period, request.nowMs, sla);
  return buildDigest(rows, {
    name: request.name,
    period,
    reasons: request.reasons,
    locale: request.locale,
    sla,
    nowMs: request.nowMs,
    reinquiryCohort: reinquiryCohort(period),
  });
}
