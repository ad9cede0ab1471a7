import type { TimeRange } from '../../lib/zoned-time.ts';
import type { OverdueCutoffs } from '../sla/overdue.ts';
import type { MirrorRef } from './types.ts';

/** One reason's count in a span; `reasonId` null is unclassified. */
export interface ReasonTallyRow {
  reasonId: string | null;
  count: number;
}

/** The few columns of an inquiry received in the period that response and resolution KPIs need. */
export interface ReceivedRow {
  id: number;
  reasonId: string | null;
  receivedAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  /** Who holds it (claimed or assigned), for the breaches list. */
  assigneeId: string | null;
  assigneeName: string | null;
}

export interface BacklogRow {
  unresolved: number;
  unclaimed: number;
  claimed: number;
  overdue: number;
  oldestUnclaimed: { inquiryId: number; receivedAt: number } | null;
}

export interface ReinquiryRow {
  customers: number;
  returned: number;
}

/** What one person did in the period. */
export interface ParticipationRow {
  id: string;
  name: string | null;
  reactions: number;
  claims: number;
  replies: number;
}

export interface VoiceRow {
  inquiryId: number;
  reasonId: string;
  subject: string | null;
  /** The first few hundred characters of the body. */
  bodyStart: string;
  url: string | null;
  reactions: number;
  mirrors: MirrorRef[];
}

/** An inquiry left without a name (reason null or `other`): what topics are found in. */
export interface UnnamedRow {
  id: number;
  subject: string | null;
  /** The body, cut to its first UNNAMED_BODY_CHARS characters. */
  body: string;
  receivedAt: number;
}

/**
 * The port through which the core reads a period's numbers; `src/storage/digest-queries.ts`
 * implements it in SQL. Every range is half-open, in epoch ms.
 */
export interface DigestQueries {
  /** Inquiries received in `range`, counted per reason. */
  reasonTally(range: TimeRange): ReasonTallyRow[];
  receivedInquiries(range: TimeRange): ReceivedRow[];
  /** What is waiting at `asOfMs`; unresolved and received before its reason's cutoff is overdue. */
  backlog(asOfMs: number, overdue: OverdueCutoffs): BacklogRow;
  /** Customers with an inquiry resolved in `cohort`, and how many wrote again within `windowMs` of it. */
  reinquiry(cohort: TimeRange, windowMs: number): ReinquiryRow;
  /** Everyone who reacted, claimed or replied in `range`. */
  participation(range: TimeRange): ParticipationRow[];
  /** Inquiries received in `range` with one of `reasonIds`, most live reactions first. */
  voices(range: TimeRange, reasonIds: readonly string[], limit: number): VoiceRow[];
  /** The `limit` newest inquiries received in `range` with no reason or reason `other`, newest first. */
  unnamedInquiries(range: TimeRange, limit: number): UnnamedRow[];
}

/** Everything `buildDigest` turns into a Digest. */
export interface DigestRows {
  /** One tally per local day, oldest first: the baseline days, then the period's days. */
  dailyTallies: { date: string; rows: ReasonTallyRow[] }[];
  received: ReceivedRow[];
  backlog: BacklogRow;
  reinquiry: ReinquiryRow;
  participation: ParticipationRow[];
  voices: VoiceRow[];
  /** Weekly digests: the unnamed inquiries of the week and the 4 weeks before it (topics). */
  unnamed?: UnnamedRow[];
}
