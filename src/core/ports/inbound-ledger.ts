/**
 * Inbound platform events already handled (`slack:Ev0123`, `discord:<snowflake>`), so a platform's
 * retry or re-delivery is a no-op even after a restart. One ledger for every platform, on one clock
 * of its own: retries happen in real time, whatever clock the core is given.
 */
export interface InboundLedger {
  /** Whether `key` was recorded as handled. */
  has(key: string): boolean;
  /** Records `key` as handled; false when it already was (this is a re-delivery to skip). */
  claim(key: string): boolean;
  /** Forgets a key whose handling failed, so a re-delivery may try again. */
  release(key: string): void;
  /** Drops keys starting with `prefix` recorded more than `keepMs` ago; returns how many. */
  prune(prefix: string, keepMs: number): number;
}
