import type { BusinessCalendarSpec } from '../../src/core/sla/calendar.ts';
import type { MinuteRange } from '../../src/core/sla/hours.ts';
import { createSlaPolicy, type SlaPolicy, type SlaSettings } from '../../src/core/sla/policy.ts';

export const NINE_TO_SIX: readonly MinuteRange[] = [[540, 1080]];
export const SPLIT_SHIFT: readonly MinuteRange[] = [
  [540, 720],
  [780, 1080],
];

/** A calendar open `hours` Monday to Friday, in `timezone`, with whatever else the test sets. */
export function weekdayCalendar(
  hours: readonly MinuteRange[] = NINE_TO_SIX,
  extra: Partial<BusinessCalendarSpec> = {},
): BusinessCalendarSpec {
  return {
    timezone: 'Asia/Tokyo',
    hours: [[], hours, hours, hours, hours, hours, []],
    holidays: 'jp',
    closures: [],
    workdays: [],
    ...extra,
  };
}

/** Open every minute of every day, no holidays: business time equals wall-clock time. */
export function roundTheClock(timezone = 'Asia/Tokyo'): BusinessCalendarSpec {
  const all: readonly MinuteRange[] = [[0, 1440]];
  return { timezone, hours: [all, all, all, all, all, all, all], holidays: 'none', closures: [], workdays: [] };
}

/** The default promise: 2h to a first response, 2d to resolution, warned at 75 %. */
export function testSlaSettings(extra: Partial<SlaSettings> = {}): SlaSettings {
  return {
    calendar: weekdayCalendar(),
    firstResponse: { unit: 'h', amount: 2 },
    resolution: { unit: 'd', amount: 2 },
    warnAt: 0.75,
    byReason: {},
    ...extra,
  };
}

export const testSlaPolicy = (extra: Partial<SlaSettings> = {}): SlaPolicy => createSlaPolicy(testSlaSettings(extra));

/** An instant from a Tokyo wall-clock time, `2026-01-09 17:30`. */
export const tokyo = (text: string): number => Date.parse(`${text.replace(' ', 'T')}:00+09:00`);
