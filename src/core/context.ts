import type { Platform, ReactionAction } from './surfaces.ts';
import type { Reason, ReasonSource } from './reasons/taxonomy.ts';
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
  /** Called after a transaction that enqueued deliveries has committed, to wake the worker. */
  onEnqueued: () => void;
  /** Called after a human or intake label is stored, so the classifier can learn from it. */
  onLabeled?: (inquiryId: number) => void;
}
