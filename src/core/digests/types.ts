import type { Topic } from './topics.ts';

export type { Topic } from './topics.ts';

/**
 * The Digest model: the numbers a daily or weekly digest shows, computed by the core and drawn by
 * each platform. It is plain JSON (it travels as the outbox payload), so every instant is epoch ms
 * and every duration is in minutes (wall-clock, or business minutes where the name says so); a rate is 0…1, or null when there was nothing to divide by.
 */

export type DigestPeriodKind = 'day' | 'week';

export interface DigestPeriod {
  kind: DigestPeriodKind;
  /** First local day, YYYY-MM-DD in `timezone`. */
  start: string;
  /** Last local day (inclusive), YYYY-MM-DD. */
  end: string;
  days: number;
  timezone: string;
  /** The same period as instants: [startMs, endMs). A local day may last 23 or 25 hours. */
  startMs: number;
  endMs: number;
}

/** One contact reason's count in the period, with its comparisons. */
export interface ReasonCount {
  /** The reason id; `null` only in `Digest.unclassified`. */
  id: string | null;
  /** In the configured locale at build time; renderers may relabel from the taxonomy. */
  label: string;
  count: number;
  /** Share of the period's inquiries, 0…1 (null on an empty period). */
  share: number | null;
  /** Count in the period just before (the day before, or the week before). */
  previous: number;
  /** count − previous. */
  change: number;
  /** Mean count per period over the baseline (the 7 days before a day; the 4 weeks before a week). */
  baselineAverage: number;
  /** count − baselineAverage. */
  changeVsBaseline: number;
  /** Weekly digests: the count on each local day of the week, Monday first. */
  trend?: number[];
}

export interface Backlog {
  /** When the snapshot was taken: the backlog is what is waiting now, not at the period's end. */
  asOf: number;
  /** Not resolved (open or claimed). */
  unresolved: number;
  /** Open and nobody has claimed it. */
  unclaimed: number;
  claimed: number;
  oldestUnclaimed: { inquiryId: number; receivedAt: number; ageMinutes: number } | null;
  /** Unresolved and past its resolution due time (in business time, per its reason's target). */
  overdue: number;
  /** The default resolution target as configured (`2d`); `byReason` may hold others. */
  resolutionTarget: string;
}

/**
 * Time to a target (first response or resolution) over the inquiries received in the period, on
 * the wall clock and in business time side by side. Each inquiry is held to its own reason's target.
 */
export interface TargetKpi {
  /** The default target as configured (`2h`, `2d`); `byReason` may hold others. */
  target: string;
  /** Inquiries that reached it (replied to, or resolved). */
  done: number;
  /** Inquiries still waiting. */
  waiting: number;
  /** Nearest-rank percentiles of the time taken among `done`, in minutes; null when none. */
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** The same in business minutes: open time only. */
  businessMedianMinutes: number | null;
  businessP90Minutes: number | null;
  /** Done by the due time. */
  withinTarget: number;
  /**
   * withinTarget over the inquiries whose target is decided (met, or missed); one still inside its
   * time is neither and is left out until it is, so nine fresh inquiries do not read as 10% in time.
   */
  withinTargetRate: number | null;
}

export interface SlaBreach {
  inquiryId: number;
  reasonId: string | null;
  receivedAt: number;
  /** Which promise was broken. */
  kind: 'first_response' | 'resolution';
  dueAt: number;
  /** Business minutes past the due time: to the reply or resolution, or until the digest was built. */
  overMinutes: number;
  /** True when the reply or resolution came (late); false when it is still awaited. */
  done: boolean;
  /** Who holds it (claimed or assigned), or null when nobody does. */
  owner: { id: string; name: string | null } | null;
}

export interface SlaSummary {
  /** Inquiries of the period that broke either promise. */
  breaches: number;
  /** Replied, but after the first-response due time. */
  late: number;
  /** No reply yet, and already past it. */
  unanswered: number;
  /** Resolved after the resolution due time. */
  resolvedLate: number;
  /** Not resolved, and already past it. */
  unresolved: number;
  /** The worst few, furthest past due first. */
  worst: SlaBreach[];
}

export interface Resolution {
  /** Inquiries received in the period. */
  received: number;
  /** Of those, resolved by the time the digest was built. */
  resolved: number;
  rate: number | null;
}

/** One reason's share within target (weekly digests). */
export interface ReasonSla {
  id: string | null;
  label: string;
  received: number;
  firstResponseRate: number | null;
  resolutionRate: number | null;
}

/**
 * Re-inquiry rate. The cohort is the distinct known customers with an inquiry resolved in
 * `[cohortStartMs, cohortEndMs)`, the 7 days that end 7 days before the period ends, so that every
 * resolution in it has had its full 7-day window by the period's end. A customer returned when a
 * new inquiry of theirs was received within 7 days after one of those resolutions.
 */
export interface Reinquiry {
  windowDays: number;
  cohortStartMs: number;
  cohortEndMs: number;
  customers: number;
  returned: number;
  rate: number | null;
}

export interface Participant {
  id: string;
  name: string | null;
  reactions: number;
  claims: number;
  replies: number;
  total: number;
}

export interface Participation {
  /** Distinct people who reacted, claimed or replied (or wrote a thread note) during the period. */
  people: number;
  top: Participant[];
}

export interface MirrorRef {
  platform: string;
  channel: string;
  messageRef: string;
}

/** A bug report or feature request the team reacted to most. */
export interface Voice {
  inquiryId: number;
  reasonId: string;
  label: string;
  /** The subject, or the start of the body. */
  title: string;
  /** Live reactions on its mirrors. */
  reactions: number;
  /** The customer-facing link given at intake (e.g. a form entry or ticket). */
  url: string | null;
  mirrors: MirrorRef[];
}

/** Where the company stands by daily volume (weekly digests). */
export interface PhaseNote {
  averagePerDay: number;
  /** everyone: under 30/day everyone answers; transition: 30–100; dedicated: over 100/day a support team with KPIs. */
  stage: 'everyone' | 'transition' | 'dedicated';
  everyoneBelow: number;
  dedicatedAbove: number;
}

/** Everything a digest shows; `version` lets a renderer reject a payload it does not know. */
export interface Digest {
  /** 2: first response and resolution in business time (1 measured wall-clock minutes only). */
  version: 2;
  /** Config name of the digest (e.g. `daily-slack-C0123`), or `adhoc` for `koe digest`. */
  name: string;
  period: DigestPeriod;
  generatedAt: number;
  total: number;
  previousTotal: number;
  baselineAverageTotal: number;
  /** Classified reasons with any count in the period or its comparisons, largest first. */
  reasons: ReasonCount[];
  unclassified: ReasonCount;
  backlog: Backlog;
  firstResponse: TargetKpi;
  sla: SlaSummary;
  resolution: Resolution;
  resolutionTime: TargetKpi;
  /** Weekly digests: the share within target per reason, largest first; null on a daily digest. */
  reasonSla: ReasonSla[] | null;
  reinquiry: Reinquiry;
  participation: Participation;
  voices: Voice[];
  phase: PhaseNote | null;
  /**
   * Weekly digests: up to 3 topics that grew among the inquiries left unclassified or in `other`
   * (empty when none did); null on a daily digest. Added within version 2: a digest queued before it
   * has no `topics`, and renderers draw it without the section.
   */
  topics?: Topic[] | null;
}

/** Accepts a value as a Digest after the checks a renderer relies on (it came through JSON). */
export function asDigest(value: unknown): Digest {
  const d = value as Partial<Digest> | null;
  if (!d || typeof d !== 'object' || d.version !== 2 || !d.period || !Array.isArray(d.reasons)) {
    throw new TypeError('not a koe digest (version 2)');
  }
  return d as Digest;
}
