/**
 * Local calendar days in an IANA time zone, via Intl (no library): which local day an instant falls
 * on, and the instant a local day begins. DST-safe: a local day is whatever lies between two local
 * midnights, so it lasts 23 or 25 hours across a transition. Dates are `YYYY-MM-DD` strings.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a zone (month 1–12, weekday 0 = Sunday). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock time of `epochMs` in `timeZone`. */
export function wallTime(epochMs: number, timeZone: string): WallTime {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochMs));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
  return {
    year: bc ? 1 - get('year') : get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** The zone's offset from UTC at `epochMs`, in ms (Asia/Tokyo: +32_400_000). */
export function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallTime(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; throws on anything that is not a real calendar date. */
export function parseLocalDate(date: string): { year: number; month: number; day: number } {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`expected a date as YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: "${date}"`);
  }
  return { year, month, day };
}

/** Whether `date` is a valid `YYYY-MM-DD` calendar date. */
export function isLocalDate(date: string): boolean {
  try {
    parseLocalDate(date);
    return true;
  } catch {
    return false;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDate(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The local calendar day (`YYYY-MM-DD`) that `epochMs` falls on in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): string {
  const w = wallTime(epochMs, timeZone);
  return formatDate(w.year, w.month, w.day);
}

/** `date` plus `days` calendar days (negative to go back); pure calendar arithmetic, no zone. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseLocalDate(date);
  const d = new Date(Date.UTC(year, month - 1, day) + days * DAY_MS);
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Day of the week of a calendar date: 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const { year, month, day } = parseLocalDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The Monday on or before `date` (weeks run Monday to Sunday, as in ISO 8601). */
export function mondayOf(date: string): string {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/**
 * The first instant of local day `date` in `timeZone`, in epoch ms. Normally local 00:00; in a zone
 * whose clocks jump over midnight (e.g. America/Santiago in spring) the day begins at the jump, the
 * first instant whose local date is `date`. Where midnight happens twice, the first one.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const { year, month, day } = parseLocalDate(date);
  const utcMidnight = Date.UTC(year, month - 1, day);
  // The offsets in force around that midnight: at most two, before and after a transition.
  const offsets = new Set<number>();
  for (let k = -2; k <= 2; k++) offsets.add(offsetMs(utcMidnight + k * 12 * HOUR_MS, timeZone));
  let best: number | null = null;
  for (const offset of offsets) {
    const candidate = utcMidnight - offset;
    const w = wallTime(candidate, timeZone);
    const exact = formatDate(w.year, w.month, w.day) === date && w.hour === 0 && w.minute === 0 && w.second === 0;
    if (exact && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return best;
  // Midnight does not exist that day: binary-search the jump, the first instant on `date`. Offsets
  // lie within −12 h … +14 h, so the day begins within this window.
  let lo = utcMidnight - 15 * HOUR_MS; // local time is still on the day before
  let hi = utcMidnight + 13 * HOUR_MS; // local time is already on `date` (or later)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDate(mid, timeZone) >= date) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A half-open span of time `[startMs, endMs)` in epoch ms. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/** Local days `from` … `from + days − 1` as one half-open range of instants. */
export function localDaysRange(from: string, days: number, timeZone: string): TimeRange {
  return { startMs: startOfLocalDay(from, timeZone), endMs: startOfLocalDay(addDays(from, days), timeZone) };
}

/** Epoch ms of a local wall-clock time in a zone; in a DST gap, the instant the clocks jumped to. */
export function zonedTimeToEpoch(date: string, hour: number, minute: number, timeZone: string): number {
  const dayStart = startOfLocalDay(date, timeZone);
  const { year, month, day } = parseLocalDate(date);
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  // Try each offset in force that day; keep the earliest exact match.
  const offsets = new Set<number>([offsetMs(dayStart, timeZone), offsetMs(dayStart + 25 * HOUR_MS - 1, timeZone)]);
  let best: number | null = null;
  for (const offset of offsets) {
    const candidate = wanted - offset;
    const w = wallTime(candidate, timeZone);
    if (formatDate(w.year, w.month, w.day) === date && w.hour === hour && w.minute === minute) {
      if (best === null || candidate < best) best = candidate;
    }
  }
  if (best !== null) return best;
  // In a gap (e.g. 02:30 on a spring-forward day): the wall time after the jump.
  return wanted - Math.min(...offsets);
}
