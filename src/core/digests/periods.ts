import { addDays, localDate, localDaysRange, mondayOf, type TimeRange } from '../../lib/zoned-time.ts';
import type { DigestPeriod, DigestPeriodKind } from './types.ts';

/** Local days in a period of each kind. */
export const PERIOD_DAYS: Readonly<Record<DigestPeriodKind, number>> = { day: 1, week: 7 };

/**
 * How many periods before this one make the baseline average: a day is compared with the 7 days
 * before it, a week with the 4 weeks before it.
 */
export const BASELINE_PERIODS: Readonly<Record<DigestPeriodKind, number>> = { day: 7, week: 4 };

/** The re-inquiry window: a customer who writes again within 7 days of a resolution returned. */
export const REINQUIRY_WINDOW_DAYS = 7;

/** The first local day of the period of `kind` that contains local day `date` (weeks start on Monday). */
export function periodStartContaining(kind: DigestPeriodKind, date: string): string {
  return kind === 'week' ? mondayOf(date) : date;
}

/**
 * The period a digest fired at `firedAtMs` reports on: the previous local day for a daily digest,
 * the last complete Monday–Sunday week for a weekly one.
 */
export function periodStartDueAt(kind: DigestPeriodKind, firedAtMs: number, timeZone: string): string {
  const today = localDate(firedAtMs, timeZone);
  return kind === 'week' ? mondayOf(addDays(today, -7)) : addDays(today, -1);
}

/** The period of `kind` that begins on (or, for weeks, contains) local day `date`. */
export function digestPeriod(kind: DigestPeriodKind, date: string, timeZone: string): DigestPeriod {
  const start = periodStartContaining(kind, date);
  const days = PERIOD_DAYS[kind];
  const range = localDaysRange(start, days, timeZone);
  return {
    kind,
    start,
    end: addDays(start, days - 1),
    days,
    timezone: timeZone,
    startMs: range.startMs,
    endMs: range.endMs,
  };
}

/** The local days whose tallies a digest needs: the baseline periods, then the period itself. */
export function tallyDates(period: DigestPeriod): string[] {
  const baselineDays = BASELINE_PERIODS[period.kind] * period.days;
  const dates: string[] = [];
  for (let i = -baselineDays; i < period.days; i++) dates.push(addDays(period.start, i));
  return dates;
}

/**
 * The resolutions whose customers make the re-inquiry cohort: the 7 local days that end 7 days
 * before the period ends, so each has had its full window by then.
 */
export function reinquiryCohort(period: DigestPeriod): TimeRange {
  const endExclusive = addDays(period.end, 1);
  return localDaysRange(addDays(endExclusive, -2 * REINQUIRY_WINDOW_DAYS), REINQUIRY_WINDOW_DAYS, period.timezone);
}
