import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBusinessClock } from '../../../src/core/sla/business-clock.ts';
import type { BusinessCalendarSpec } from '../../../src/core/sla/calendar.ts';
import type { BusinessDuration } from '../../../src/core/sla/duration.ts';
import { addDays, localDate, wallTime, weekday, zonedTimeToEpoch } from '../../../src/lib/zoned-time.ts';
import { NINE_TO_SIX, SPLIT_SHIFT, weekdayCalendar } from '../../helpers/sla.ts';

const MINUTE = 60_000;
const FROM = Date.parse('2025-06-01T00:00:00Z');
const TO = Date.parse('2028-06-01T00:00:00Z');

const instant = fc.integer({ min: FROM, max: TO });
const minutes = fc.integer({ min: 1, max: 5_000 });
const duration: fc.Arbitrary<BusinessDuration> = fc.oneof(
  minutes.map((amount) => ({ unit: 'm' as const, amount })),
  fc.integer({ min: 1, max: 60 }).map((amount) => ({ unit: 'h' as const, amount })),
  fc.integer({ min: 1, max: 15 }).map((amount) => ({ unit: 'd' as const, amount })),
);

// A few calendars, laid out once each: the clock caches per year, as it does in koe.
const CALENDARS: Record<string, BusinessCalendarSpec> = {
  tokyo: weekdayCalendar(undefined, { closures: [{ from: '2026-12-29', to: '2027-01-04' }], workdays: ['2027-01-09'] }),
  split: weekdayCalendar(SPLIT_SHIFT),
  // Friday closes at 15:00, so a day target from late Thursday lands on a shorter day (clamped to its close).
  shortFriday: {
    ...weekdayCalendar(SPLIT_SHIFT),
    hours: [
      [],
      SPLIT_SHIFT,
      SPLIT_SHIFT,
      SPLIT_SHIFT,
      SPLIT_SHIFT,
      [
        [540, 720],
        [780, 900],
      ],
      [],
    ],
  },
  newYork: weekdayCalendar(NINE_TO_SIX, { timezone: 'America/New_York', holidays: 'none' }),
  berlin: weekdayCalendar(NINE_TO_SIX, { timezone: 'Europe/Berlin', holidays: 'none' }),
};
const clocks = Object.fromEntries(Object.entries(CALENDARS).map(([k, spec]) => [k, createBusinessClock(spec)]));
const calendar = fc.constantFrom(...Object.keys(CALENDARS));

describe('the business clock, for any start and target', () => {
  it('never makes a due time fall outside business hours, nor before the start', () => {
    fc.assert(
      fc.property(calendar, instant, duration, (name, start, d) => {
        const due = clocks[name]!.add(start, d);
        expect(due).toBeGreaterThan(start);
        expect(clocks[name]!.isOpen(due)).toBe(true);
      }),
    );
  });

  it('adds a then b as it adds a + b (minutes)', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (name, start, a, b) => {
        const clock = clocks[name]!;
        expect(clock.addMinutes(clock.addMinutes(start, a), b)).toBe(clock.addMinutes(start, a + b));
      }),
    );
  });

  it('measures back exactly the minutes it added', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (name, start, m) => {
        const clock = clocks[name]!;
        expect(clock.between(start, clock.addMinutes(start, m))).toBe(m * MINUTE);
      }),
    );
  });

  it('is monotonic in the start and in the target', () => {
    fc.assert(
      fc.property(calendar, instant, instant, duration, fc.integer({ min: 0, max: 500 }), (name, s1, s2, d, more) => {
        const clock = clocks[name]!;
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        expect(clock.add(early, d)).toBeLessThanOrEqual(clock.add(late, d));
        expect(clock.add(early, d)).toBeLessThanOrEqual(clock.add(early, { ...d, amount: d.amount + more }));
      }),
    );
  });
});

/**
 * A plain reference: walk the local days one by one, turning 09:00 and 18:00 into instants with
 * zonedTimeToEpoch, and spend the minutes. No cache, no prefix sums: what the clock must agree with.
 */
function referenceAdd(start: number, minutesToSpend: number, timeZone: string): number {
  let left = minutesToSpend * MINUTE;
  for (let date = localDate(start, timeZone); ; date = addDays(date, 1)) {
    const wd = weekday(date);
    if (wd === 0 || wd === 6) continue;
    const open = Math.max(start, zonedTimeToEpoch(date, 9, 0, timeZone));
    const close = zonedTimeToEpoch(date, 18, 0, timeZone);
    if (open >= close) continue;
    if (close - open >= left) return open + left;
    left -= close - open;
  }
}

describe('DST zones keep the wall-clock meaning of hours', () => {
  for (const [name, zone] of [
    ['newYork', 'America/New_York'],
    ['berlin', 'Europe/Berlin'],
  ] as const) {
    it(`${zone}: agrees with a day-by-day walk in local time, and dues read 09:00–18:00 on the wall`, () => {
      fc.assert(
        fc.property(instant, minutes, (start, m) => {
          const due = clocks[name]!.addMinutes(start, m);
          expect(due).toBe(referenceAdd(start, m, zone));
          const w = wallTime(due, zone);
          const minuteOfDay = w.hour * 60 + w.minute;
          expect(minuteOfDay).toBeGreaterThanOrEqual(9 * 60);
          expect(minuteOfDay).toBeLessThanOrEqual(18 * 60);
        }),
      );
    });

    it(`${zone}: a business day later is the same wall-clock time`, () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: 1, max: 10 }), (start, days) => {
          const clock = clocks[name]!;
          fc.pre(clock.isOpen(start) && clock.isOpen(start + MINUTE)); // inside hours, not at the close
          const before = wallTime(start, zone);
          const after = wallTime(clock.add(start, { unit: 'd', amount: days }), zone);
          expect([after.hour, after.minute]).toEqual([before.hour, before.minute]);
        }),
      );
    });
  }

  it('spends the hour before spring-forward and fall-back weekends at the same local times', () => {
    const ny = clocks.newYork!;
    // Fri 2026-03-06 16:30 EST + 1h: 30 min Friday, then Mon 09:00 EDT + 30 min.
    expect(ny.addMinutes(Date.parse('2026-03-06T16:30:00-05:00'), 150)).toBe(Date.parse('2026-03-09T10:00:00-04:00'));
    const berlin = clocks.berlin!;
    expect(berlin.addMinutes(Date.parse('2026-10-23T17:30:00+02:00'), 60)).toBe(
      Date.parse('2026-10-26T09:30:00+01:00'),
    );
  });
});
