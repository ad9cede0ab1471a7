import { reasonLabel, type Locale, type Reason } from '../reasons/taxonomy.ts';
import { formatBusinessDuration } from '../sla/duration.ts';
import type { SlaPolicy } from '../sla/policy.ts';
import type { DigestRows, ReasonTallyRow, UnnamedRow } from './digest-source.ts';
import { BASELINE_PERIODS, REINQUIRY_WINDOW_DAYS } from './periods.ts';
import { responseKpis } from './sla-kpis.ts';
import { findTopics, type Topic } from './topics.ts';
import type {
  Backlog,
  Digest,
  DigestPeriod,
  Participation,
  PhaseNote,
  ReasonCount,
  Reinquiry,
  Voice,
} from './types.ts';

const MINUTE_MS = 60_000;

export { nearestRank } from './sla-kpis.ts';

/** Below ~30 inquiries a day everyone can answer; above ~100 a dedicated team with KPIs pays off. */
export const PHASE_EVERYONE_BELOW_PER_DAY = 30;
export const PHASE_DEDICATED_ABOVE_PER_DAY = 100;

/** How many people, breaches and voices a digest lists by name. */
export const TOP_PARTICIPANTS = 5;
export const VOICE_LIMIT = 5;
export const VOICE_TITLE_CHARS = 140;

export interface BuildOptions {
  name: string;
  period: DigestPeriod;
  reasons: readonly Reason[];
  locale: Locale;
  /** The promises, on the business clock; build it once per digest (it caches the calendar). */
  sla: SlaPolicy;
  /** When the digest is built: the backlog snapshot and "still waiting" are measured at this instant. */
  nowMs: number;
  /** The re-inquiry cohort the rows were collected for. */
  reinquiryCohort: { startMs: number; endMs: number };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

function tallyMap(rows: readonly ReasonTallyRow[]): Map<string | null, number> {
  const map = new Map<string | null, number>();
  for (const r of rows) map.set(r.reasonId, (map.get(r.reasonId) ?? 0) + r.count);
  return map;
}

/** Turns a period's rows into the Digest model. Pure: the same rows and options give the same digest. */
export function buildDigest(rows: DigestRows, options: BuildOptions): Digest {
  const { period } = options;
  const days = period.days;
  const baselinePeriods = BASELINE_PERIODS[period.kind];
  const expectedDays = (baselinePeriods + 1) * days;
  if (rows.dailyTallies.length !== expectedDays) {
    throw new RangeError(
      `expected ${expectedDays} daily tallies for a ${period.kind}, got ${rows.dailyTallies.length}`,
    );
  }
  const maps = rows.dailyTallies.map((d) => tallyMap(d.rows));
  // Period index 0 is the oldest baseline period; the last is the digest's own period.
  const sumPeriod = (index: number, id: string | null) => {
    let n = 0;
    for (let d = index * days; d < (index + 1) * days; d++) n += maps[d]!.get(id) ?? 0;
    return n;
  };
  const current = baselinePeriods;

  const ids = new Set<string | null>();
  for (const m of maps) for (const [id, n] of m) if (n > 0) ids.add(id);
  ids.delete(null);

  const total = rows.dailyTallies
    .slice(current * days)
    .reduce((n, d) => n + d.rows.reduce((s, r) => s + r.count, 0), 0);
  const totalOf = (index: number) =>
    rows.dailyTallies
      .slice(index * days, (index + 1) * days)
      .reduce((n, d) => n + d.rows.reduce((s, r) => s + r.count, 0), 0);

  const countFor = (id: string | null): ReasonCount => {
    const count = sumPeriod(current, id);
    const previous = sumPeriod(current - 1, id);
    let baselineSum = 0;
    for (let p = 0; p < baselinePeriods; p++) baselineSum += sumPeriod(p, id);
    const baselineAverage = baselineSum / baselinePeriods;
    const entry: ReasonCount = {
      id,
      label: reasonLabel(options.reasons, id, options.locale),
      count,
      share: ratio(count, total),
      previous,
      change: count - previous,
      baselineAverage: round1(baselineAverage),
      changeVsBaseline: round1(count - baselineAverage),
    };
    if (period.kind === 'week') entry.trend = maps.slice(current * days).map((m) => m.get(id) ?? 0);
    return entry;
  };

  const order = new Map(options.reasons.map((r, i) => [r.id, i]));
  const reasons = [...ids]
    .map((id) => countFor(id))
    .sort(
      (a, b) =>
        b.count - a.count ||
        b.previous - a.previous ||
        (order.get(a.id!) ?? Infinity) - (order.get(b.id!) ?? Infinity) ||
        a.id!.localeCompare(b.id!),
    );

  let baselineTotal = 0;
  for (let p = 0; p < baselinePeriods; p++) baselineTotal += totalOf(p);

  const kpis = responseKpis(rows.received, options.sla, options, options.nowMs);

  return {
    version: 2,
    name: options.name,
    period,
    generatedAt: options.nowMs,
    total,
    previousTotal: totalOf(current - 1),
    baselineAverageTotal: round1(baselineTotal / baselinePeriods),
    reasons,
    unclassified: countFor(null),
    backlog: backlogOf(rows, options),
    firstResponse: kpis.firstResponse,
    sla: kpis.sla,
    resolution: kpis.resolution,
    resolutionTime: kpis.resolutionTime,
    reasonSla: period.kind === 'week' ? kpis.reasonSla : null,
    reinquiry: reinquiryOf(rows, options),
    participation: participationOf(rows),
    voices: voicesOf(rows, options),
    phase: period.kind === 'week' ? phaseOf(total / days) : null,
    topics: period.kind === 'week' ? topicsOf(rows.unnamed ?? [], options) : null,
  };
}

/** The week's growing topics among the unnamed inquiries, against the 4 weeks before it. */
function topicsOf(unnamed: readonly UnnamedRow[], options: BuildOptions): Topic[] {
  const { startMs, endMs, kind } = options.period;
  const inquiries = unnamed.map((u) => ({
    receivedAt: u.receivedAt,
    text: u.subject?.trim() ? `${u.subject.trim()}\n${u.body}` : u.body,
  }));
  return findTopics(inquiries, { startMs, endMs, baselineWeeks: BASELINE_PERIODS[kind], reasons: options.reasons });
}

function backlogOf(rows: DigestRows, options: BuildOptions): Backlog {
  const b = rows.backlog;
  return {
    asOf: options.nowMs,
    unresolved: b.unresolved,
    unclaimed: b.unclaimed,
    claimed: b.claimed,
    oldestUnclaimed: b.oldestUnclaimed && {
      inquiryId: b.oldestUnclaimed.inquiryId,
      receivedAt: b.oldestUnclaimed.receivedAt,
      ageMinutes: Math.max(0, Math.round((options.nowMs - b.oldestUnclaimed.receivedAt) / MINUTE_MS)),
    },
    overdue: b.overdue,
    resolutionTarget: formatBusinessDuration(options.sla.settings.resolution),
  };
}

function reinquiryOf(rows: DigestRows, options: BuildOptions): Reinquiry {
  return {
    windowDays: REINQUIRY_WINDOW_DAYS,
    cohortStartMs: options.reinquiryCohort.startMs,
    cohortEndMs: options.reinquiryCohort.endMs,
    customers: rows.reinquiry.customers,
    returned: rows.reinquiry.returned,
    rate: ratio(rows.reinquiry.returned, rows.reinquiry.customers),
  };
}

function participationOf(rows: DigestRows): Participation {
  const people = rows.participation
    .map((p) => ({ ...p, total: p.reactions + p.claims + p.replies }))
    .filter((p) => p.total > 0)
    .sort((a, b) => b.total - a.total || b.replies - a.replies || (a.name ?? a.id).localeCompare(b.name ?? b.id));
  return { people: people.length, top: people.slice(0, TOP_PARTICIPANTS) };
}

function voicesOf(rows: DigestRows, options: BuildOptions): Voice[] {
  return rows.voices.slice(0, VOICE_LIMIT).map((v) => {
    const raw = (v.subject?.trim() || v.bodyStart.trim().split('\n')[0] || '').trim();
    const chars = Array.from(raw); // by code point, so an emoji is never cut in half
    const title = chars.length > VOICE_TITLE_CHARS ? `${chars.slice(0, VOICE_TITLE_CHARS - 1).join('')}…` : raw;
    return {
      inquiryId: v.inquiryId,
      reasonId: v.reasonId,
      label: reasonLabel(options.reasons, v.reasonId, options.locale),
      title,
      reactions: v.reactions,
      url: v.url,
      mirrors: v.mirrors,
    };
  });
}

/** Where a company with `averagePerDay` inquiries stands. */
export function phaseOf(averagePerDay: number): PhaseNote {
  const stage =
    averagePerDay < PHASE_EVERYONE_BELOW_PER_DAY
      ? 'everyone'
      : averagePerDay > PHASE_DEDICATED_ABOVE_PER_DAY
        ? 'dedicated'
        : 'transition';
  return {
    averagePerDay: round1(averagePerDay),
    stage,
    everyoneBelow: PHASE_EVERYONE_BELOW_PER_DAY,
    dedicatedAbove: PHASE_DEDICATED_ABOVE_PER_DAY,
  };
}
