/**
 * Targets in business time, as people write them: `30m`, `2h`, `1d`. Minutes and hours count open
 * business minutes; a day is a business day (the same business moment N business days later), which
 * is not a fixed number of minutes when days differ in length, so it stays its own unit.
 */

export type BusinessDuration = { unit: 'm' | 'h'; amount: number } | { unit: 'd'; amount: number };

const DURATION_RE = /^([1-9]\d{0,5})(m|h|d)$/;

/** The longest target koe accepts in each unit (a year of business days, or its hours and minutes). */
export const MAX_DURATION: Readonly<Record<BusinessDuration['unit'], number>> = { m: 525_600, h: 8_760, d: 365 };

/** Parses `30m`, `2h` or `1d`; null when the text is none of these (or zero, or absurdly long). */
export function parseBusinessDuration(text: string): BusinessDuration | null {
  const m = DURATION_RE.exec(text.trim());
  if (!m) return null;
  const amount = Number(m[1]);
  const unit = m[2] as BusinessDuration['unit'];
  return amount <= MAX_DURATION[unit] ? { unit, amount } : null;
}

/** The duration as it was written: `2h`. */
export function formatBusinessDuration(d: BusinessDuration): string {
  return `${d.amount}${d.unit}`;
}

/** Business minutes of a minute or hour duration; null for business days (their length varies). */
export function durationMinutes(d: BusinessDuration): number | null {
  if (d.unit === 'm') return d.amount;
  if (d.unit === 'h') return d.amount * 60;
  return null;
}
