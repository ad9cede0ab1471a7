import { formatDateTime } from '../lib/time-format.ts';
import { addDays, localDate, zonedTimeToEpoch } from '../lib/zoned-time.ts';
import { type CronSchedule, dayMayMatch } from './previous-fire.ts';

/** How far ahead to look for the next run: a little over a year, so "29 2 *" style schedules are found. */
const LOOKAHEAD_DAYS = 400;

/**
 * The first instant after `nowMs` at which the schedule fires, or null if none within a year: the
 * mirror of previousFireTime, walking candidate wall-clock times oldest first and letting the live
 * matcher confirm each, so DST is judged as the running schedule judges it.
 */
export function nextFireTime(schedule: CronSchedule, nowMs: number, timeZone: string): number | null {
  const asc = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
  const hours = asc(schedule.fields.hour);
  const minutes = asc(schedule.fields.minute);
  const seconds = asc(schedule.fields.second);
  const today = localDate(nowMs, timeZone);
  for (let ahead = 0; ahead <= LOOKAHEAD_DAYS; ahead++) {
    const date = addDays(today, ahead);
    if (!dayMayMatch(schedule.fields, date)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const minuteStart = zonedTimeToEpoch(date, h, m, timeZone);
        for (const s of seconds) {
          const t = minuteStart + s * 1000;
          if (t > nowMs && localDate(t, timeZone) === date && schedule.matches(new Date(t))) return t;
        }
      }
    }
  }
  return null;
}

/** `2026-11-24 09:00 (Asia/Tokyo)`: a run time as the log and `koe doctor` show it. */
export function formatRunTime(epochMs: number, timeZone: string): string {
  return `${formatDateTime(epochMs, timeZone, 'en')} (${timeZone})`;
}
