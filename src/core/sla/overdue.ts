/**
 * "Past its due time" as a receipt-time cutoff, so SQL can count overdue inquiries without computing
 * each one's due time: a due time never moves earlier when the receipt is later, so the inquiries
 * already overdue at `nowMs` are exactly those received before one instant per target.
 */
import type { BusinessDuration } from './duration.ts';
import type { SlaPolicy } from './policy.ts';

const DAY_MS = 86_400_000;

/** The earliest receipt time whose due time (receipt + `target`) is not yet past at `nowMs`. */
export function overdueBefore(policy: SlaPolicy, target: BusinessDuration, nowMs: number): number {
  const overdue = (receivedAt: number) => policy.clock.add(receivedAt, target) < nowMs;
  if (!overdue(nowMs - 1)) {
    // Widen the window until its start is overdue, then search within it.
    let gap = 30 * DAY_MS;
    while (!overdue(nowMs - gap)) gap *= 2;
    return firstNotOverdue(overdue, nowMs - gap, nowMs - 1);
  }
  return nowMs; // cannot happen for a positive target: kept total for safety
}

/** The first instant in `(lo, hi]` that is not overdue, given `lo` is and `hi` is not. */
function firstNotOverdue(overdue: (t: number) => boolean, lo: number, hi: number): number {
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (overdue(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Per-reason cutoffs for the resolution target, with the default for every reason not listed. */
export interface OverdueCutoffs {
  beforeMs: number;
  byReason: Record<string, number>;
}

export function resolutionOverdueCutoffs(policy: SlaPolicy, nowMs: number): OverdueCutoffs {
  const byReason: Record<string, number> = {};
  for (const [id, own] of Object.entries(policy.settings.byReason)) {
    if (own.resolution) byReason[id] = overdueBefore(policy, own.resolution, nowMs);
  }
  return { beforeMs: overdueBefore(policy, policy.settings.resolution, nowMs), byReason };
}
