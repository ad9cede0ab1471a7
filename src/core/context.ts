import type { Platform, ReactionAction } from './surfaces.ts';
import type { Reason, ReasonSource } from './reasons/taxonomy.ts';
import type { Inquiry } from './inquiries/types.ts';
import type { SlaPolicy } from './sla/policy.ts';
import type { Store } from './store.ts';

/** A team channel inquiries are mirrored to, with its optional routing filters. */
export interface Route {
  name: string;
  platform: Platform;
  channel: string;
  reasons?: string[];
  sources?: string[];
}

export interface ReasonGuess {
  reasonId: string;
  source: Extract<ReasonSource, 'rule' | 'classifier'>;
  confidence: number | null;
}

/** Where a reply to an inquiry goes: a customer channel (an outbox platform and channel). */
export interface ReplyTarget {
  /** `slack`, `discord`, `webhook` (later `email`): which reply sender delivers it. */
  platform: string;
  /** The sender's channel: a Slack or Discord source channel, or a webhook's source name. */
  channel: string;
}

/** How replies leave: where each inquiry's customer can be answered, and the undo window. */
export interface ReplySettings {
  /** How long a queued reply waits (with an Undo) before it leaves; 0 sends at once. */
  undoMs: number;
  /** The channel that answers this inquiry's customer, or null when there is no way back. */
  targetOf(inquiry: Inquiry): ReplyTarget | null;
}

/** What every verb needs; built once in the composition root, and explicitly in tests. */
export interface CoreContext {
  store: Store;
  /** Epoch milliseconds. */
  now: () => number;
  reasons: readonly Reason[];
  routes: readonly Route[];
  reactions: Readonly<Record<string, ReactionAction>>;
  /** Rules, then the classifier; null leaves the inquiry unclassified for a human. */
  guessReason: (text: string) => ReasonGuess | null;
  /**
   * Prepares, off the event loop, what `guessReason` will read for `text` (its sentence embedding,
   * made on another thread), so that the guess does not wait for it; see prepareGuess. Absent, or
   * not awaited, the guess does that work itself: the same answer, a little later.
   */
  prepareGuess?: (text: string) => Promise<void>;
  /** Called after a transaction that enqueued deliveries has committed, to wake the worker. */
  onEnqueued: () => void;
  /** Absent: no inquiry can be answered from koe (every reply is refused with NO_WAY_BACK). */
  replies?: ReplySettings;
  /** Called after a human or intake label is stored, so the classifier can learn from it. */
  onLabeled?: (inquiryId: number) => void;
  /**
   * Whether a new inquiry's customer gets an acknowledgement, and through which customer channel;
   * asked inside createInquiry's transaction, so the `acknowledge` row commits with the inquiry.
   * Absent or null: none.
   */
  acknowledge?: (inquiry: Inquiry) => ReplyTarget | null;
  /** The promises in business time; absent, inquiries carry no due times (tests that need none). */
  sla?: SlaPolicy;
}
