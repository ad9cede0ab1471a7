import { describe, expect, it } from 'vitest';
import { createBusinessClock } from '../../../src/core/sla/business-clock.ts';
import { parseBusinessDuration } from '../../../src/core/sla/duration.ts';
import { firstOverlap, parseMinuteRange } from '../../../src/core/sla/hours.ts';
import { SPLIT_SHIFT, tokyo, weekdayCalendar } from '../../helpers/sla.ts';

const d = (text: string) => parseBusinessDuration(text)!;
const MINUTE = 60_000;

describe('business days', () => {
  // 2026-01-09 is a Friday; Monday 2026-01-12 is 成人の日.
  const clock = createBusinessClock(weekdayCalendar());

  it('makes Fri 17:30 + 2d due Wed 17:30 when Monday is a holiday', () => {
    expect(clock.add(tokyo('2026-01-09 17:30'), d('2d'))).toBe(tokyo('2026-01-14 17:30'));
  });

  it('counts a start after hours from the next opening: due at the close of the Nth business day', () => {
    expect(clock.add(tokyo('2026-01-09 19:30'), d('1d'))).toBe(tokyo('2026-01-13 18:00'));
    expect(clock.add(tokyo('2026-01-10 11:00'), d('2d'))).toBe(tokyo('2026-01-14 18:00'));
  });

  it('keeps the same moment of the day, from an opening to the next', () => {
    expect(clock.add(tokyo('2026-01-13 09:00'), d('1d'))).toBe(tokyo('2026-01-13 18:00'));
    expect(clock.add(tokyo('2026-01-13 09:01'), d('1d'))).toBe(tokyo('2026-01-14 09:01'));
  });
});

describe('business minutes and hours', () => {
  const clock = createBusinessClock(weekdayCalendar());

  it('carries the rest of a target over the weekend and a holiday', () => {
    expect(clock.add(tokyo('2026-01-09 17:30'), d('2h'))).toBe(tokyo('2026-01-13 10:30'));
  });

  it('is due at the close, not at the next opening, when the target ends exactly there', () => {
    expect(clock.add(tokyo('2026-01-13 09:00'), d('9h'))).toBe(tokyo('2026-01-13 18:00'));
  });

  it('measures only open time between two instants', () => {
    expect(clock.between(tokyo('2026-01-09 17:30'), tokyo('2026-01-13 10:30'))).toBe(120 * MINUTE);
    expect(clock.between(tokyo('2026-01-10 10:00'), tokyo('2026-01-11 10:00'))).toBe(0);
    expect(clock.between(tokyo('2026-01-13 12:00'), tokyo('2026-01-13 11:00'))).toBe(0);
  });
});

describe('split shifts', () => {
  const clock = createBusinessClock(weekdayCalendar(SPLIT_SHIFT));

  it('skips the lunch break', () => {
    expect(clock.add(tokyo('2026-01-13 11:30'), d('1h'))).toBe(tokyo('2026-01-13 13:30'));
    expect(clock.between(tokyo('2026-01-13 11:00'), tokyo('2026-01-13 14:00'))).toBe(120 * MINUTE);
  });

  it('counts a message at lunch from 13:00, and is due at 12:00 (not 13:00) when the morning ends it', () => {
    expect(clock.add(tokyo('2026-01-13 12:20'), d('30m'))).toBe(tokyo('2026-01-13 13:30'));
    expect(clock.add(tokyo('2026-01-13 11:00'), d('1h'))).toBe(tokyo('2026-01-13 12:00'));
  });

  it('keeps the business moment across a day: Fri 17:30 + 2d is Wed 17:30', () => {
    expect(clock.add(tokyo('2026-01-09 17:30'), d('2d'))).toBe(tokyo('2026-01-14 17:30'));
  });
});

describe('days of different lengths', () => {
  it('is due at the close of a shorter target day when the start was further into its own', () => {
    const short: readonly [number, number][] = [[540, 900]]; // Friday 09:00-15:00
    const clock = createBusinessClock({
      ...weekdayCalendar(),
      hours: [[], ...Array(4).fill([[540, 1080]]), short, []],
    });
    expect(clock.add(tokyo('2026-01-15 17:00'), d('1d'))).toBe(tokyo('2026-01-16 15:00')); // 8h into Thursday
    expect(clock.add(tokyo('2026-01-15 11:00'), d('1d'))).toBe(tokyo('2026-01-16 11:00'));
  });
});

describe('closures and extra workdays', () => {
  it('skips a closure, both ends included (年末年始)', () => {
    const clock = createBusinessClock(
      weekdayCalendar(undefined, { closures: [{ from: '2026-12-29', to: '2027-01-04' }] }),
    );
    // Mon 2026-12-28 17:00 + 2h: one hour that day, then nothing until Tue 2027-01-05.
    expect(clock.add(tokyo('2026-12-28 17:00'), d('2h'))).toBe(tokyo('2027-01-05 10:00'));
    expect(clock.add(tokyo('2026-12-28 17:00'), d('1d'))).toBe(tokyo('2027-01-05 17:00'));
  });

  it('opens an extra workday on a Saturday with the weekday hours', () => {
    const clock = createBusinessClock(weekdayCalendar(undefined, { workdays: ['2027-01-09'] }));
    // Fri 2027-01-08 17:00 + 2h: an hour Friday, then Saturday's event from 09:00.
    expect(clock.add(tokyo('2027-01-08 17:00'), d('2h'))).toBe(tokyo('2027-01-09 10:00'));
    expect(clock.add(tokyo('2027-01-08 17:00'), d('1d'))).toBe(tokyo('2027-01-09 17:00'));
    expect(clock.isOpen(tokyo('2027-01-09 12:00'))).toBe(true);
  });

  it('opens a workday even on a holiday, and `none` keeps holidays open', () => {
    const worked = createBusinessClock(weekdayCalendar(undefined, { workdays: ['2026-01-12'] }));
    expect(worked.isOpen(tokyo('2026-01-12 10:00'))).toBe(true);
    const noHolidays = createBusinessClock(weekdayCalendar(undefined, { holidays: 'none' }));
    expect(noHolidays.add(tokyo('2026-01-09 17:30'), d('2d'))).toBe(tokyo('2026-01-13 17:30'));
  });
});

describe('years the holiday data does not cover', () => {
  it('names them, so koe can warn instead of silently treating holidays as workdays', () => {
    const clock = createBusinessClock(weekdayCalendar());
    clock.add(tokyo('2026-06-01 10:00'), d('2h'));
    expect(clock.yearsWithoutHolidays()).toEqual([]);
    clock.add(tokyo('2051-06-01 10:00'), d('2h'));
    expect(clock.yearsWithoutHolidays()).toEqual([2051]);
  });
});

describe('going backwards in time', () => {
  it('lays out an earlier year after a later one and answers the same', () => {
    const fresh = createBusinessClock(weekdayCalendar());
    const reused = createBusinessClock(weekdayCalendar());
    reused.add(tokyo('2027-03-01 10:00'), d('2h'));
    const start = tokyo('2025-12-26 17:00');
    expect(reused.add(start, d('3d'))).toBe(fresh.add(start, d('3d')));
    expect(reused.between(start, tokyo('2027-03-01 10:00'))).toBe(fresh.between(start, tokyo('2027-03-01 10:00')));
  });
});

describe('a calendar with no open hours', () => {
  it('refuses rather than looping forever', () => {
    const clock = createBusinessClock({ ...weekdayCalendar(), hours: [[], [], [], [], [], [], []] });
    expect(() => clock.add(tokyo('2026-01-13 10:00'), d('1h'))).toThrow(/no open hours/);
  });
});

describe('parsing', () => {
  it('reads durations and ranges as written, and refuses the rest', () => {
    expect(parseBusinessDuration('30m')).toEqual({ unit: 'm', amount: 30 });
    expect(parseBusinessDuration('2d')).toEqual({ unit: 'd', amount: 2 });
    for (const bad of ['0h', '2', 'h', '1.5h', '2 days', '-1d', '366d']) expect(parseBusinessDuration(bad)).toBeNull();
    expect(parseMinuteRange('09:00-12:00')).toEqual([540, 720]);
    expect(parseMinuteRange('13:00-24:00')).toEqual([780, 1440]);
    for (const bad of ['9:00-12:00', '12:00-09:00', '09:00-09:00', '09:60-10:00', '24:30-25:00'])
      expect(parseMinuteRange(bad)).toBeNull();
    expect(
      firstOverlap([
        [540, 720],
        [720, 1080],
      ]),
    ).toBeNull();
    expect(
      firstOverlap([
        [780, 1080],
        [540, 800],
      ]),
    ).toEqual([0, 1]);
  });
});
