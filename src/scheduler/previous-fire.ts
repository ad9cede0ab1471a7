import { addDays, localDate, weekday, zonedTimeToEpoch } from '../lib/zoned-time.ts';

/** How far back catch-up looks for a missed run: a little over a week, so a weekly digest is found. */
export const CATCH_UP_LOOKBACK_DAYS = 8;

/** A cron schedule as catch-up needs it: its expanded fields (node-cron's `parse`) and its matcher. */
export interface CronSchedule {
  fields: {
    second: number[];
    minute: number[];
    hour: number[];
    dayOfMonth: (number | string)[];
    month: number[];
    dayOfWeek: (number | string)[];
  };
  /** The live schedule's own test (node-cron's `task.match`), in its timezone. */
  matches(date: Date): boolean;
}

// A day can only hold a fire when its month, day of month and weekday are allowed. Tokens such as
// `L` or `2#1` are strings; for those, leave the decision to the matcher.
export function dayMayMatch(fields: CronSchedule['fields'], date: string): boolean {
  const [, month, day] = date.split('-').map(Number) as [number, number, number];
  if (!fields.month.includes(month)) return false;
  const domOk = fields.dayOfMonth.some((v) => typeof v === 'string' || v === day);
  const dowOk = fields.dayOfWeek.some(
    (v) => typeof v === 'string' || v === weekday(date) || (v === 7 && weekday(date) === 0),
  );
  return domOk && dowOk;
}

/**
 * The latest instant at or before `nowMs` at which the schedule fires, looking back at most
 * `lookbackDays` local days in `timeZone`; null if none. Walks candidate wall-clock times newest
 * first (days, then the schedule's hours, minutes and seconds) and lets the live matcher confirm
 * each, so DST gaps and overlaps are judged exactly as the running schedule judges them.
 */
export function previousFireTime(
  schedule: CronSchedule,
  nowMs: number,
  timeZone: string,
  lookbackDays: number = CATCH_UP_LOOKBACK_DAYS,
): number | null {
  const desc = (xs: readonly number[]) => [...xs].sort((a, b) => b - a);
  const hours = desc(schedule.fields.hour);
  const minutes = desc(schedule.fields.minute);
  const seconds = desc(schedule.fields.second);
  const today = localDate(nowMs, timeZone);
  for (let back = 0; back <= lookbackDays; back++) {
    const date = addDays(today, -back);
    if (!dayMayMatch(schedule.fields, date)) continue;
    for (const h of hours) {
      for (const m of minutes) {
        const minuteStart = zonedTimeToEpoch(date, h, m, timeZone);
        if (minuteStart > nowMs) continue;
        for (const s of seconds) {
          const t = minuteStart + s * 1000;
          if (t <= nowMs && localDate(t, timeZone) === date && schedule.matches(new Date(t))) return t;
        }
      }
    }
  }
  return null;
}
