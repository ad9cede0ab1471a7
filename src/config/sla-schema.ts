/**
 * The `sla:` block of koe.config.yaml: business hours, holidays, closures and the targets, in
 * business time. Each mistake is one sentence naming its path, so a typo in a shift or a closure
 * says where it is.
 */
import { z } from 'zod';
import type { BusinessCalendarSpec, DateSpan } from '../core/sla/calendar.ts';
import { type BusinessDuration, parseBusinessDuration } from '../core/sla/duration.ts';
import { firstOverlap, type MinuteRange, parseMinuteRange } from '../core/sla/hours.ts';
import type { SlaSettings } from '../core/sla/policy.ts';
import { isLocalDate } from '../lib/zoned-time.ts';

/** Config keys of the week, Sunday first (the index `Date#getDay` and the calendar use). */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export const DEFAULT_BUSINESS_HOURS: Readonly<Partial<Record<WeekdayKey, string[]>>> = {
  mon: ['09:00-18:00'],
  tue: ['09:00-18:00'],
  wed: ['09:00-18:00'],
  thu: ['09:00-18:00'],
  fri: ['09:00-18:00'],
};

const rangeText = z.string().refine((t) => parseMinuteRange(t) !== null, {
  error: 'expected opening hours as "HH:MM-HH:MM" (e.g. "09:00-12:00"), opening before closing, up to 24:00',
});

const dayRanges = z.array(rangeText).superRefine((ranges, ctx) => {
  const parsed = ranges.map(parseMinuteRange);
  if (parsed.some((r) => r === null)) return;
  const overlap = firstOverlap(parsed as MinuteRange[]);
  if (overlap) {
    const [a, b] = overlap;
    ctx.addIssue({ code: 'custom', path: [b], message: `"${ranges[b]}" overlaps "${ranges[a]}"; list each hour once` });
  }
});

const durationText = z.string().refine((t) => parseBusinessDuration(t) !== null, {
  error: 'expected a target in business time: minutes, hours or business days such as 30m, 2h or 1d',
});

const dateText = z.string().refine(isLocalDate, { error: 'expected a calendar date as YYYY-MM-DD' });

const CLOSURE_RE = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/;
const closureText = z.string().refine(
  (t) => {
    const m = CLOSURE_RE.exec(t.trim());
    return !!m && isLocalDate(m[1]!) && isLocalDate(m[2] ?? m[1]!) && m[1]! <= (m[2] ?? m[1]!);
  },
  { error: 'expected a date or an inclusive range of real dates, first to last: "2026-12-29..2027-01-04"' },
);

/** The old keys (wall-clock minutes and hours): named, so the error says what replaced them. */
const replaced = (by: string) =>
  z
    .any()
    .refine(() => false, { error: `replaced by ${by}, a target in business time such as 2h, 30m or 2d` })
    .optional();

export const slaFileSchema = z
  .object({
    businessHours: z
      .object(Object.fromEntries(WEEKDAY_KEYS.map((k) => [k, dayRanges.optional()])))
      .strict()
      .optional(),
    holidays: z.enum(['jp', 'none']).default('jp'),
    closures: z.array(closureText).default([]),
    workdays: z.array(dateText).default([]),
    firstResponse: durationText.default('2h'),
    resolution: durationText.default('2d'),
    warnAt: z.number().gt(0).lt(1).default(0.75),
    alertChannel: z
      .object({ platform: z.enum(['slack', 'discord']), channel: z.string().min(1) })
      .strict()
      .optional(),
    byReason: z
      .record(
        z.string(),
        z.object({ firstResponse: durationText.optional(), resolution: durationText.optional() }).strict(),
      )
      .default({}),
    firstResponseMinutes: replaced('sla.firstResponse'),
    resolutionHours: replaced('sla.resolution'),
  })
  .strict()
  // Parsed through, so an absent block gets every default above.
  .prefault({});

export type SlaFileConfig = z.infer<typeof slaFileSchema>;

function closureSpan(text: string): DateSpan {
  const [from, to] = text.trim().split('..');
  return { from: from!, to: to ?? from! };
}

const duration = (text: string): BusinessDuration => parseBusinessDuration(text)!;

/** The validated block as the core takes it. */
export function slaSettingsOf(file: SlaFileConfig, timezone: string): SlaSettings {
  const week = (file.businessHours ?? DEFAULT_BUSINESS_HOURS) as Partial<Record<WeekdayKey, string[]>>;
  const calendar: BusinessCalendarSpec = {
    timezone,
    hours: WEEKDAY_KEYS.map((k) =>
      (week[k] ?? []).map((t) => parseMinuteRange(t)!).sort((a: MinuteRange, b: MinuteRange) => a[0] - b[0]),
    ),
    holidays: file.holidays,
    closures: file.closures.map(closureSpan),
    workdays: file.workdays,
  };
  return {
    calendar,
    firstResponse: duration(file.firstResponse),
    resolution: duration(file.resolution),
    warnAt: file.warnAt,
    ...(file.alertChannel && { alertChannel: file.alertChannel }),
    byReason: Object.fromEntries(
      Object.entries(file.byReason).map(([id, t]) => [
        id,
        {
          ...(t.firstResponse && { firstResponse: duration(t.firstResponse) }),
          ...(t.resolution && { resolution: duration(t.resolution) }),
        },
      ]),
    ),
  };
}

/** What koe promises when `sla:` is left out: Mon–Fri 09:00–18:00, Japanese holidays, 2h and 2d. */
export function defaultSlaSettings(timezone: string): SlaSettings {
  return slaSettingsOf(slaFileSchema.parse(undefined), timezone);
}
