import type { Locale } from './locale.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsOf(epochMs: number, timeZone: string, locale: Locale): Record<string, string> {
  const key = `${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
      timeZone,
      weekday: 'short',
      month: locale === 'ja' ? 'numeric' : 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return parts;
}

/**
 * A due time as a team reads it, with the weekday (a promise is kept on a business day):
 * `12/4（金）12:00` in Japanese (full-width brackets, as the glossary has it), `Fri, Dec 4, 12:00` in English, in the team's zone. The year is left
 * out: a due time is days away, not years.
 */
export function formatDueTime(epochMs: number, timeZone: string, locale: Locale): string {
  const p = partsOf(epochMs, timeZone, locale);
  const time = `${p.hour}:${p.minute}`;
  if (locale === 'ja') return `${p.month}/${p.day}（${p.weekday}）${time}`;
  return `${p.weekday}, ${p.month} ${p.day}, ${time}`;
}
