/**
 * The business calendar laid out as instants: every open interval of a span of local years, with the
 * business time elapsed before each, so that "where is this instant on the business clock" and "when
 * does the clock read P" are two binary searches. Built a year at a time and kept: one inquiry's due
 * time then costs no time-zone arithmetic at all. Positions are whole milliseconds of open time
 * counted from the start of the span; they are only meaningful within one call, since a span that
 * grows backwards is rebuilt.
 */
import { addDays, offsetMs, parseLocalDate, startOfLocalDay, zonedTimeToEpoch } from '../../lib/zoned-time.ts';
import type { MinuteRange } from './hours.ts';

const HOUR_MS = 3_600_000;

/** The epoch ms of local minute `minute` (0 … 1440) of `date`; DST-exact, fast on ordinary days. */
function localInstant(date: string, minute: number, timeZone: string, steadyOffset: number | null): number {
  if (minute === 1440) return startOfLocalDay(addDays(date, 1), timeZone);
  const { year, month, day } = parseLocalDate(date);
  const wanted = Date.UTC(year, month - 1, day, 0, minute);
  if (steadyOffset !== null) return wanted - steadyOffset;
  return zonedTimeToEpoch(date, Math.floor(minute / 60), minute % 60, timeZone);
}

/**
 * The zone's offset when it holds all day long (no transition within the day, with a margin), else
 * null: then each time goes through the exact, slower conversion.
 */
function steadyOffsetOf(date: string, timeZone: string): number | null {
  const { year, month, day } = parseLocalDate(date);
  const noonUtc = Date.UTC(year, month - 1, day, 12);
  const before = offsetMs(noonUtc - 26 * HOUR_MS, timeZone);
  return before === offsetMs(noonUtc + 26 * HOUR_MS, timeZone) ? before : null;
}

export class Timeline {
  /** Open intervals `[starts[i], ends[i])`, in order; `cum[i]` is the open time before interval i. */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly cum: number[] = [];
  /** Open time up to the end of interval i: `cum[i] + ends[i] − starts[i]`. */
  readonly cumEnd: number[] = [];
  /** Business days (days with any open time): the position each opens at and closes at. */
  readonly dayOpen: number[] = [];
  readonly dayClose: number[] = [];
  /** The instants the span covers, `[coveredFrom, coveredTo)`, and its local years. */
  coveredFrom: number;
  coveredTo: number;
  readonly firstYear: number;
  lastYear: number;

  constructor(
    private readonly hoursOf: (date: string) => readonly MinuteRange[],
    private readonly timeZone: string,
    firstYear: number,
  ) {
    this.firstYear = firstYear;
    this.lastYear = firstYear - 1;
    this.coveredFrom = startOfLocalDay(`${String(firstYear).padStart(4, '0')}-01-01`, timeZone);
    this.coveredTo = this.coveredFrom;
    this.appendYear();
  }

  /** Lays out one more local year at the end of the span. */
  appendYear(): void {
    const year = this.lastYear + 1;
    const from = `${String(year).padStart(4, '0')}-01-01`;
    const to = `${String(year + 1).padStart(4, '0')}-01-01`;
    for (let date = from; date < to; date = addDays(date, 1)) this.appendDay(date);
    this.lastYear = year;
    this.coveredTo = startOfLocalDay(to, this.timeZone);
  }

  private appendDay(date: string): void {
    const ranges = this.hoursOf(date);
    if (ranges.length === 0) return;
    const steady = steadyOffsetOf(date, this.timeZone);
    const opensAt = this.total();
    for (const [startMinute, endMinute] of ranges) {
      const start = localInstant(date, startMinute, this.timeZone, steady);
      const end = localInstant(date, endMinute, this.timeZone, steady);
      // A range inside a spring-forward gap (02:00-03:00 that night) has no instants at all.
      if (end <= start) continue;
      const before = this.total();
      this.starts.push(start);
      this.ends.push(end);
      this.cum.push(before);
      this.cumEnd.push(before + end - start);
    }
    if (this.total() > opensAt) {
      this.dayOpen.push(opensAt);
      this.dayClose.push(this.total());
    }
  }

  /** Open time in the whole span. */
  total(): number {
    const n = this.cumEnd.length;
    return n === 0 ? 0 : this.cumEnd[n - 1]!;
  }

  /** Where `t` (inside the span) is on the business clock; closed time reads as the last opening's end. */
  positionOf(t: number): number {
    const i = lastAtOrBefore(this.starts, t);
    if (i < 0) return 0;
    return this.cum[i]! + Math.min(t, this.ends[i]!) - this.starts[i]!;
  }

  /**
   * The earliest instant the clock reads `p`, or null when the span ends first. Earliest: a position
   * that is both a close and the next opening is the close (09:00 + 9h is 18:00 that day, not 09:00
   * the next morning).
   */
  instantAt(p: number): number | null {
    const i = firstAtOrAfter(this.cumEnd, p);
    if (i >= this.cumEnd.length) return null;
    return this.starts[i]! + Math.max(0, p - this.cum[i]!);
  }

  /** The business day whose open time holds position `p` (a close belongs to the next day), or −1. */
  dayAt(p: number): number {
    const k = lastAtOrBefore(this.dayOpen, p);
    if (k < 0) return this.dayOpen.length > 0 ? 0 : -1;
    // Business days touch on the clock (a day closes at the position the next one opens), so p at a
    // close already found the next day; only past the last day is there none.
    return p < this.dayClose[k]! ? k : -1;
  }
}

/** The last index whose value is ≤ `x` in an ascending array, or −1. */
function lastAtOrBefore(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The first index whose value is ≥ `x` in an ascending array, or the length. */
function firstAtOrAfter(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
