/**
 * Inbound platform events already handled (`slack:Ev0123`, `discord:<snowflake>`), so a platform's
 * retry or re-delivery is a no-op even after a restart. One ledger for every platform, one clock.
 */
export interface InboundLedger {
  /** Whether `key` was recorded as handled. */
  has(key: string): boolean;
  /** Records `key` as handled; false when it already was (this is a re-delivery to skip). */
  claim(key: string, nowMs: number): boolean;
  /** Forgets a key whose handling failed, so a re-delivery may try again. */
  release(key: string): void;
  /** Drops keys starting with `prefix` recorded before `beforeMs`; returns how many. */
  prune(prefix: string, beforeMs: number): number;
}
