import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  isLocalDate,
  localDate,
  localDaysRange,
  mondayOf,
  offsetMs,
  startOfLocalDay,
  weekday,
  zonedTimeToEpoch,
} from '../../src/lib/zoned-time.ts';

const HOUR = 3_600_000;
const iso = (s: string) => Date.parse(s);

describe('local days in Asia/Tokyo (no DST)', () => {
  it('puts 23:30 JST on that JST day, although it is 14:30 UTC', () => {
    expect(localDate(iso('2026-11-20T14:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-20');
    expect(localDate(iso('2026-11-20T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-21'); // 00:00 JST
    expect(localDate(iso('2026-11-20T14:59:59.999Z'), 'Asia/Tokyo')).toBe('2026-11-20');
  });

  it('starts a JST day at 15:00 UTC the day before, and every day lasts 24 hours', () => {
    expect(startOfLocalDay('2026-11-20', 'Asia/Tokyo')).toBe(iso('2026-11-19T15:00:00Z'));
    const r = localDaysRange('2026-11-20', 1, 'Asia/Tokyo');
    expect(r.endMs - r.startMs).toBe(24 * HOUR);
    expect(offsetMs(r.startMs, 'Asia/Tokyo')).toBe(9 * HOUR);
  });
});

describe('local days in America/New_York (DST)', () => {
  it('has a 23-hour day when clocks spring forward (2026-03-08)', () => {
    const r = localDaysRange('2026-03-08', 1, 'America/New_York');
    expect(r.startMs).toBe(iso('2026-03-08T05:00:00Z')); // 00:00 EST
    expect(r.endMs).toBe(iso('2026-03-09T04:00:00Z')); // 00:00 EDT
    expect(r.endMs - r.startMs).toBe(23 * HOUR);
  });

  it('has a 25-hour day when clocks fall back (2026-11-01)', () => {
    const r = localDaysRange('2026-11-01', 1, 'America/New_York');
    expect(r.startMs).toBe(iso('2026-11-01T04:00:00Z'));
    expect(r.endMs).toBe(iso('2026-11-02T05:00:00Z'));
    expect(r.endMs - r.startMs).toBe(25 * HOUR);
    // Both 01:30s of that night belong to Nov 1.
    expect(localDate(iso('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01');
    expect(localDate(iso('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01');
  });

  it('reads a wall time in a gap as the time after the jump, and an ambiguous one as the first', () => {
    expect(zonedTimeToEpoch('2026-03-08', 2, 30, 'America/New_York')).toBe(iso('2026-03-08T07:30:00Z')); // 03:30 EDT
    expect(zonedTimeToEpoch('2026-11-01', 1, 30, 'America/New_York')).toBe(iso('2026-11-01T05:30:00Z')); // 01:30 EDT
    expect(zonedTimeToEpoch('2026-11-20', 9, 0, 'Asia/Tokyo')).toBe(iso('2026-11-20T00:00:00Z'));
  });
});

describe('a zone whose clocks jump over midnight (America/Santiago)', () => {
  it('starts the day at the jump when 00:00 does not exist (2026-09-06 begins at 01:00)', () => {
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(start).toBe(iso('2026-09-06T04:00:00Z'));
    expect(localDate(start - 1, 'America/Santiago')).toBe('2026-09-05');
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDaysRange('2026-09-06', 1, 'America/Santiago').endMs - start).toBe(23 * HOUR);
  });
});

describe('calendar arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-11-20', -7)).toBe('2026-11-13');
    expect(daysBetween('2026-11-13', '2026-11-20')).toBe(7);
  });

  it('finds the Monday of a week (weeks run Monday to Sunday)', () => {
    expect(weekday('2026-11-22')).toBe(0); // Sunday
    expect(mondayOf('2026-11-22')).toBe('2026-11-16');
    expect(mondayOf('2026-11-16')).toBe('2026-11-16');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
  });

  it('accepts only real calendar dates', () => {
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-1-5')).toBe(false);
    expect(isLocalDate('yesterday')).toBe(false);
  });
});
