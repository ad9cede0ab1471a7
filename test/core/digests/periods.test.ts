import { describe, expect, it } from 'vitest';
import { digestPeriod, periodStartDueAt, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';

describe('which period a digest reports on', () => {
  it('reports the previous JST day when the daily digest fires at 09:00 JST', () => {
    expect(periodStartDueAt('day', Date.parse('2026-11-21T00:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-20');
    // 00:10 JST on the 21st is still 11-20 in UTC, but the local day is what counts.
    expect(periodStartDueAt('day', Date.parse('2026-11-20T15:10:00Z'), 'Asia/Tokyo')).toBe('2026-11-20');
  });

  it('reports the last complete Monday–Sunday week for the weekly digest', () => {
    expect(periodStartDueAt('week', Date.parse('2026-11-23T00:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-16'); // Mon 09:00 JST
    expect(periodStartDueAt('week', Date.parse('2026-11-27T00:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-16'); // a Friday schedule
  });

  it('spans 23 hours on the New York spring-forward day', () => {
    const p = digestPeriod('day', '2026-03-08', 'America/New_York');
    expect((p.endMs - p.startMs) / 3_600_000).toBe(23);
    expect([p.start, p.end, p.days]).toEqual(['2026-03-08', '2026-03-08', 1]);
  });

  it('needs 8 daily tallies for a day and 35 for a week', () => {
    expect(tallyDates(digestPeriod('day', '2026-11-20', 'Asia/Tokyo'))).toEqual([
      '2026-11-13',
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
    ]);
    const week = tallyDates(digestPeriod('week', '2026-11-18', 'Asia/Tokyo'));
    expect([week.length, week[0], week[34]]).toEqual([35, '2026-10-19', '2026-11-22']);
  });

  it('takes the re-inquiry cohort from the 7 days that end a week before the period ends', () => {
    const c = reinquiryCohort(digestPeriod('week', '2026-11-16', 'Asia/Tokyo'));
    expect(c).toEqual({ startMs: Date.parse('2026-11-08T15:00:00Z'), endMs: Date.parse('2026-11-15T15:00:00Z') });
  });
});
