import type { Locale } from './locale.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2026/11/23 09:05` in the given IANA zone; formatters are cached since building one is slow. */
export function formatDateTime(epochMs: number, timeZone: string, locale: Locale): string {
  const key = `${timeZone}|${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f.format(new Date(epochMs)).replace(',', '');
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** `09:05:30` in the given IANA zone: when a reply leaves (an undo window is seconds long). */
export function formatTime(epochMs: number, timeZone: string, locale: Locale): string {
  const key = `${timeZone}|${locale}`;
  let f = timeFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-CA', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    timeFormatters.set(key, f);
  }
  return f.format(new Date(epochMs));
}
