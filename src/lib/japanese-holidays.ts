/**
 * Japanese national holidays (祝日), from `@holiday-jp/holiday_jp`: the data ships inside the package,
 * so koe never asks the network, and it already lists 振替休日 (substitute holidays) and 国民の休日
 * (a weekday between two holidays), which rules of thumb get wrong. The package only covers the years
 * it was built for; `JAPANESE_HOLIDAY_YEARS` says which, so a later year is a warning, not a silent
 * "no holidays".
 */
import holidayJp from '@holiday-jp/holiday_jp';

const DATES: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays));

function yearsCovered(): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const date of DATES) {
    const year = Number(date.slice(0, 4));
    if (year < first) first = year;
    if (year > last) last = year;
  }
  return { first, last };
}

/** The first and last year the shipped data lists holidays for (both inclusive). */
export const JAPANESE_HOLIDAY_YEARS: Readonly<{ first: number; last: number }> = yearsCovered();

/** Whether local date `YYYY-MM-DD` is a Japanese national holiday, substitute holiday or 国民の休日. */
export function isJapaneseHoliday(date: string): boolean {
  return DATES.has(date);
}

/** The holiday's Japanese name (e.g. `こどもの日 振替休日`), or null on an ordinary day. */
export function japaneseHolidayName(date: string): string | null {
  return (holidayJp.holidays as Record<string, { name: string } | undefined>)[date]?.name ?? null;
}
