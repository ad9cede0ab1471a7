/**
 * Which hours a local calendar day is open, before any time zone: the weekly hours, minus national
 * holidays and the company's closures, plus extra workdays. Pure and zone-free, so it can be checked
 * day by day; `timeline.ts` turns the answer into instants.
 */
import { isJapaneseHoliday, JAPANESE_HOLIDAY_YEARS } from '../../lib/japanese-holidays.ts';
import { weekday } from '../../lib/zoned-time.ts';
import type { MinuteRange } from './hours.ts';

export type HolidaySet = 'jp' | 'none';

/** An inclusive span of local days, `YYYY-MM-DD`. */
export interface DateSpan {
  from: string;
  to: string;
}

/** Everything the business clock needs to know about the team's week. */
export interface BusinessCalendarSpec {
  timezone: string;
  /** Index 0 = Sunday … 6 = Saturday; each day's ranges, sorted, not overlapping. */
  hours: ReadonlyArray<readonly MinuteRange[]>;
  holidays: HolidaySet;
  /** Company days off (年末年始, お盆), inclusive. */
  closures: readonly DateSpan[];
  /** Extra working days, e.g. a Saturday event; they open even on a holiday or in a closure. */
  workdays: readonly string[];
}

const NONE: readonly MinuteRange[] = [];

/**
 * The hours an extra workday keeps: its own weekday's, if that weekday is ever open (a holiday
 * Monday made a workday opens as Mondays do); otherwise those of the first open day from Monday on,
 * the team's ordinary day (a Saturday event works a normal weekday).
 */
function workdayHours(spec: BusinessCalendarSpec, day: number): readonly MinuteRange[] {
  if (spec.hours[day]!.length > 0) return spec.hours[day]!;
  for (const d of [1, 2, 3, 4, 5, 6, 0]) if (spec.hours[d]!.length > 0) return spec.hours[d]!;
  return NONE;
}

/** Builds the per-day question once per spec: the sets are looked up for every day the clock builds. */
export function openHoursOf(spec: BusinessCalendarSpec): (date: string) => readonly MinuteRange[] {
  const workdays = new Set(spec.workdays);
  const closures = [...spec.closures];
  return (date) => {
    const day = weekday(date);
    if (workdays.has(date)) return workdayHours(spec, day);
    if (spec.holidays === 'jp' && isJapaneseHoliday(date)) return NONE;
    // YYYY-MM-DD compares as text in calendar order.
    if (closures.some((c) => c.from <= date && date <= c.to)) return NONE;
    return spec.hours[day]!;
  };
}

/** Whether `year` lies outside the holiday data the calendar relies on (always false for `none`). */
export function holidaysUnknownFor(holidays: HolidaySet, year: number): boolean {
  return holidays === 'jp' && (year < JAPANESE_HOLIDAY_YEARS.first || year > JAPANESE_HOLIDAY_YEARS.last);
}
