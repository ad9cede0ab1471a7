/**
 * Opening hours as written in the config (`"09:00-12:00"`), as minutes of the local day. A day may
 * have several ranges (split shifts, a lunch break); `24:00` closes at midnight.
 */

/** A half-open range of local minutes `[start, end)`, 0 … 1440. */
export type MinuteRange = readonly [start: number, end: number];

const RANGE_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

const minuteOf = (h: string, m: string): number | null => {
  const hour = Number(h);
  const minute = Number(m);
  if (minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) return null;
  return hour * 60 + minute;
};

/** Parses `HH:MM-HH:MM`; null unless both ends are real times and the range opens before it closes. */
export function parseMinuteRange(text: string): MinuteRange | null {
  const m = RANGE_RE.exec(text.trim());
  if (!m) return null;
  const start = minuteOf(m[1]!, m[2]!);
  const end = minuteOf(m[3]!, m[4]!);
  if (start === null || end === null || start >= end) return null;
  return [start, end];
}

/** The first pair of ranges that overlap (touching is fine: 09:00-12:00 and 12:00-18:00), as indexes. */
export function firstOverlap(ranges: readonly MinuteRange[]): [number, number] | null {
  const order = ranges.map((r, i) => ({ r, i })).sort((a, b) => a.r[0] - b.r[0]);
  for (let k = 1; k < order.length; k++) {
    if (order[k]!.r[0] < order[k - 1]!.r[1]) {
      const pair = [order[k - 1]!.i, order[k]!.i].sort((a, b) => a - b);
      return [pair[0]!, pair[1]!];
    }
  }
  return null;
}

/** `540` → `09:00`. */
export function formatMinute(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}
