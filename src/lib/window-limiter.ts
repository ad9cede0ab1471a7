/**
 * Counts events per key (a client address) in fixed windows and says when one key has had its
 * share. Memory is bounded: at most `maxKeys` keys are kept. Keys are kept in the order their
 * window opened, so the expired ones are at the front and are swept first; when every kept key is
 * still counting, the oldest is forgotten. Forgetting lets that key start afresh, which only
 * someone holding more than `maxKeys` addresses can force, and a per-address limit was never the
 * defence against that.
 */
export interface WindowLimiter {
  /** Counts one event for `key`; refused (with how long until the window ends) once the key has had `max`. */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterMs: number };
  /** How many keys are kept now (for tests of the bound). */
  size(): number;
}

export interface WindowLimiterOptions {
  max: number;
  windowMs: number;
  maxKeys?: number;
}

export const DEFAULT_MAX_KEYS = 10_000;

export function createWindowLimiter({
  max,
  windowMs,
  maxKeys = DEFAULT_MAX_KEYS,
}: WindowLimiterOptions): WindowLimiter {
  const windows = new Map<string, { start: number; count: number }>();

  const makeRoom = (nowMs: number) => {
    for (const [key, w] of windows) {
      if (windows.size < maxKeys) return;
      if (nowMs - w.start >= windowMs) windows.delete(key);
      else break; // in window order: the rest are newer still
    }
    while (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
  };

  return {
    take(key, nowMs) {
      let w = windows.get(key);
      if (w && nowMs - w.start >= windowMs) {
        windows.delete(key); // re-inserted below, at the back: its new window is the newest
        w = undefined;
      }
      if (!w) {
        makeRoom(nowMs);
        w = { start: nowMs, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= max) return { ok: false, retryAfterMs: w.start + windowMs - nowMs };
      w.count += 1;
      return { ok: true };
    },
    size: () => windows.size,
  };
}

/** A limiter that never refuses: the per-address limit set `off` (behind a reverse proxy). */
export const NO_LIMIT: WindowLimiter = { take: () => ({ ok: true }), size: () => 0 };
