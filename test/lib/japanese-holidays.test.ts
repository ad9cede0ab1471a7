import { describe, expect, it } from 'vitest';
import { isJapaneseHoliday, JAPANESE_HOLIDAY_YEARS, japaneseHolidayName } from '../../src/lib/japanese-holidays.ts';
import { addDays } from '../../src/lib/zoned-time.ts';

// The Cabinet Office's list (内閣府「国民の祝日について」), written out by hand for 2026 and 2027.
const CABINET_OFFICE: Record<string, string[]> = {
  '2026':
    '01-01 01-12 02-11 02-23 03-20 04-29 05-03 05-04 05-05 05-06 07-20 08-11 09-21 09-22 09-23 10-12 11-03 11-23'.split(
      ' ',
    ),
  '2027': '01-01 01-11 02-11 02-23 03-21 03-22 04-29 05-03 05-04 05-05 07-19 08-11 09-20 09-23 10-11 11-03 11-23'.split(
    ' ',
  ),
};

function holidaysOf(year: string): string[] {
  const out: string[] = [];
  for (let date = `${year}-01-01`; date.startsWith(year); date = addDays(date, 1))
    if (isJapaneseHoliday(date)) out.push(date.slice(5));
  return out;
}

describe('Japanese holidays', () => {
  it('match the Cabinet Office list for 2026 and 2027, day for day', () => {
    expect(holidaysOf('2026')).toEqual(CABINET_OFFICE['2026']);
    expect(holidaysOf('2027')).toEqual(CABINET_OFFICE['2027']);
  });

  it('name 元日, 成人の日, 振替休日 and 国民の休日', () => {
    expect(japaneseHolidayName('2026-01-01')).toBe('元日');
    expect(japaneseHolidayName('2026-01-12')).toBe('成人の日');
    expect(japaneseHolidayName('2026-05-06')).toMatch(/振替休日/); // こどもの日 is a Tuesday; 5/3 a Sunday
    expect(japaneseHolidayName('2027-03-22')).toMatch(/振替休日/); // 春分の日 on a Sunday
    expect(japaneseHolidayName('2026-09-22')).toBe('休日'); // 国民の休日 between 敬老の日 and 秋分の日
    expect(japaneseHolidayName('2026-09-24')).toBeNull();
  });

  it('say which years the shipped data covers', () => {
    expect(JAPANESE_HOLIDAY_YEARS.first).toBeLessThanOrEqual(2000);
    expect(JAPANESE_HOLIDAY_YEARS.last).toBeGreaterThanOrEqual(2027);
  });
});
