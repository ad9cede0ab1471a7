/**
 * Delay before retry number `attempt` (1-based) after a transient failure: exponential from `baseMs`,
 * capped at `capMs`, with "equal jitter" (half fixed, half random) so a recovering platform is not hit
 * by every row at the same instant, yet no retry comes sooner than half the schedule.
 */
export function backoffMs(
  attempt: number,
  { baseMs = 1_000, capMs = 5 * 60_000 }: { baseMs?: number; capMs?: number } = {},
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
