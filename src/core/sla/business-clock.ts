/**
 * The business clock: adds a target in business time to an instant, and measures the business time
 * between two instants, in the team's time zone, hours, holidays, closures and extra workdays.
 *
 * - Minutes and hours count open minutes; time outside business hours counts from the next opening.
 * - `Nd` is the same business moment N business days later: as far into that day's open time as the
 *   start was into its own (Fri 17:30 + 2d is Wed 17:30 when Monday is a holiday). A start outside
 *   hours counts from the next opening, so it is due at the close of the (N)th business day; a start
 *   further into its day than the target day is long is due at that day's close.
 * - A due time is the earliest instant the clock reads the target, so it always falls within business
 *   hours, counting a closing time (18:00) as within.
 *
 * Pure: no clock, no I/O. The laid-out calendar is cached per year inside the clock, so build one
 * clock per configuration and keep it.
 */
import { wallTime } from '../../lib/zoned-time.ts';
import { type BusinessCalendarSpec, holidaysUnknownFor, openHoursOf } from './calendar.ts';
import { type BusinessDuration, durationMinutes } from './duration.ts';
import { Timeline } from './timeline.ts';

const MINUTE_MS = 60_000;
/** A calendar with this many years in a row without open time has none: stop looking. */
const MAX_EMPTY_YEARS = 5;

export interface BusinessClock {
  /** The due time: `startMs` plus `duration` in business time. */
  add(startMs: number, duration: BusinessDuration): number;
  /** `startMs` plus `minutes` open minutes (fractions allowed). */
  addMinutes(startMs: number, minutes: number): number;
  /** Open time from `fromMs` to `toMs` in ms (0 when `toMs` is not later). */
  between(fromMs: number, toMs: number): number;
  /** Whether `t` is within business hours (an opening and a closing time both count). */
  isOpen(t: number): boolean;
  /** Local years the clock has laid out whose holidays the data does not know (warn about these). */
  yearsWithoutHolidays(): number[];
}

export function createBusinessClock(spec: BusinessCalendarSpec): BusinessClock {
  const hoursOf = openHoursOf(spec);
  let line: Timeline | null = null;
  const unknownYears = new Set<number>();

  /** The timeline, laid out over `t` (and the years before it already covered). */
  function cover(t: number): Timeline {
    if (line && t >= line.coveredFrom && t < line.coveredTo) return line;
    const year = wallTime(t, spec.timezone).year;
    if (!line || t < line.coveredFrom) {
      // Rebuilt from the earlier year, keeping the later years already laid out.
      const last = line ? line.lastYear : year;
      line = new Timeline(hoursOf, spec.timezone, line ? Math.min(year, line.firstYear) : year);
      while (line.lastYear < last) line.appendYear();
    }
    while (t >= line.coveredTo) line.appendYear();
    for (let y = line.firstYear; y <= line.lastYear; y++) if (holidaysUnknownFor(spec.holidays, y)) unknownYears.add(y);
    return line;
  }

  /** Lays out further years until `ready` holds, or gives up on a calendar with no open time. */
  function extendUntil(tl: Timeline, ready: () => boolean): void {
    let emptyYears = 0;
    while (!ready()) {
      const before = tl.total();
      tl.appendYear();
      if (holidaysUnknownFor(spec.holidays, tl.lastYear)) unknownYears.add(tl.lastYear);
      emptyYears = tl.total() === before ? emptyYears + 1 : 0;
      if (emptyYears >= MAX_EMPTY_YEARS) throw new RangeError('the business calendar has no open hours');
    }
  }

  /** The earliest instant the clock reads position `p` of the timeline. */
  function instantAt(tl: Timeline, p: number): number {
    extendUntil(tl, () => tl.instantAt(p) !== null);
    return tl.instantAt(p)!;
  }

  function addMinutes(startMs: number, minutes: number): number {
    const tl = cover(startMs);
    const p = tl.positionOf(startMs) + Math.round(minutes * MINUTE_MS);
    return instantAt(tl, p);
  }

  function addDays(startMs: number, days: number): number {
    const tl = cover(startMs);
    const p = tl.positionOf(startMs);
    extendUntil(tl, () => tl.dayAt(p) >= 0);
    const k = tl.dayAt(p);
    extendUntil(tl, () => tl.dayOpen.length > k + days);
    const offset = p - tl.dayOpen[k]!;
    const target = k + days;
    return instantAt(tl, Math.min(tl.dayOpen[target]! + offset, tl.dayClose[target]!));
  }

  return {
    add(startMs, duration) {
      const minutes = durationMinutes(duration);
      return minutes === null ? addDays(startMs, duration.amount) : addMinutes(startMs, minutes);
    },
    addMinutes,
    between(fromMs, toMs) {
      if (toMs <= fromMs) return 0;
      cover(fromMs);
      const tl = cover(toMs);
      return tl.positionOf(toMs) - tl.positionOf(fromMs);
    },
    isOpen: (t) => isAtInterval(cover(t), t),
    yearsWithoutHolidays: () => [...unknownYears].sort((a, b) => a - b),
  };
}

/** Whether `t` lies in `[start, end]` of one of the timeline's intervals. */
function isAtInterval(tl: Timeline, t: number): boolean {
  let lo = 0;
  let hi = tl.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tl.starts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i >= 0 && t <= tl.ends[i]!;
}
