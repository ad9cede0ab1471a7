import type { Customer, Inquiry, InquiryEvent, InquiryStatus, Message, Mirror, Reaction } from '../inquiries/types.ts';

/** An inquiry with everything that hangs off it, for the API's GET and `/koe show`. */
export interface InquiryDetail {
  inquiry: Inquiry;
  customer: Customer | null;
  messages: Message[];
  events: InquiryEvent[];
  mirrors: Mirror[];
  reactions: Reaction[];
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
  /** Each item's body cut to its first this many characters (`bodyTruncated` says so); whole without it. */
  bodyChars?: number;
  /** Whether items carry their metadata (null when not); they do without it. */
  metadata?: boolean;
  /** Only these inquiries (e.g. those an `?sla=` filter picked); any order, duplicates harmless. */
  ids?: readonly number[];
  /**
   * Ends the page early, before its items' stored text passes this many bytes (one item is always
   * given); `nextCursor` then goes on after the last item. Rows past the budget are never loaded.
   */
  maxBytes?: number;
}

/**
 * An inquiry in a list: as stored, but for the body cut by `bodyChars` and metadata left out, with
 * its customer (null when koe knows none).
 */
export type ListedInquiry = Inquiry & { bodyTruncated: boolean; customer: Customer | null };

/** One page of a list; `total` counts every inquiry the filter matches, not just this page. */
export interface InquiryPage {
  items: ListedInquiry[];
  total: number;
  nextCursor: string | null;
}

/** The numbers behind `/koe stats`, for inquiries received in `[sinceMs, untilMs)`. */
export interface InquiryStats {
  received: number;
  /** Resolved within the window, whenever they were received. */
  resolved: number;
  openNow: number;
  claimedNow: number;
  /** Nearest-rank median over inquiries received in the window that have a first response. */
  medianFirstResponseMinutes: number | null;
  /** The ten most frequent reasons (null: unclassified), most first, ties by id. */
  byReason: Array<{ reasonId: string | null; count: number }>;
}

/** What an unresolved inquiry's SLA clocks need, for `?sla=` filters. */
export interface SlaClockRow {
  id: number;
  /** Open or claimed: `/koe open` ranks the open ones by due time. */
  status: InquiryStatus;
  reasonId: string | null;
  receivedAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

/** A short line per unresolved inquiry, for autocomplete. */
export interface InquiryHint {
  id: number;
  subject: string | null;
  body: string;
  status: InquiryStatus;
}

/**
 * What adapters read, implemented once in `storage/`. Adapters never hold the database: they read
 * through this port and write through the core's actions.
 */
export interface ReadModel {
  listInquiries(filter: ListFilter): InquiryPage;
  /** Whether `cursor` is one `listInquiries` issued (so an edge can refuse a forged one with a 4xx). */
  isCursor(cursor: string): boolean;
  inquiryDetail(id: number): InquiryDetail | undefined;
  stats(window: { sinceMs: number; untilMs: number }): InquiryStats;
  /** The inquiry shown by a mirror message, or whose mirror thread is `ref` (a Slack ts or a Discord id). */
  inquiryForMirror(platform: string, ref: { channel?: string; messageRef: string }): number | null;
  /** The same look-up, with the destination the mirror belongs to (a note typed in its thread needs no copy there). */
  mirrorAt(
    platform: string,
    ref: { channel?: string; messageRef: string },
  ): { inquiryId: number; destination: string } | null;
  /**
   * The inquiry a message in a customer-facing source belongs to: the one it opened, or the one it (or
   * koe's answer with that id) joined. Internal notes never count: they are written in team channels.
   */
  inquiryForSourceMessage(source: string, externalId: string): number | null;
  /** Every unresolved inquiry's clock inputs: the set an `?sla=` filter looks through. */
  unresolvedClocks(): SlaClockRow[];
  /** The once-only event keys (`events.key`) recorded on unresolved inquiries: the SLA warnings already given. */
  unresolvedEventKeys(): string[];
  /** Unresolved inquiries, newest first, whose id starts with `typed` or whose text contains it. */
  unresolvedMatching(typed: string, limit: number): InquiryHint[];
}
