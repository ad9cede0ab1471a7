/**
 * The `sla:` checks that need more than one key: per-reason targets name known reasons, the alert
 * channel is an id, the week has some open hours, and the Japanese holiday data covers the years
 * koe is about to count in.
 */
import { JAPANESE_HOLIDAY_YEARS } from '../lib/japanese-holidays.ts';
import type { SlaSettings } from '../core/sla/policy.ts';
import { wallTime } from '../lib/zoned-time.ts';
import { channelIdProblem } from './channel-id.ts';
import type { FileConfig } from './schema.ts';
import { slaSettingsOf } from './sla-schema.ts';

export function checkSla(
  file: FileConfig,
  reasonIds: ReadonlySet<string>,
  problems: string[],
  notices: string[],
  nowMs: number = Date.now(),
): SlaSettings {
  const sla = slaSettingsOf(file.sla, file.timezone);
  for (const id of Object.keys(file.sla.byReason)) {
    if (!reasonIds.has(id)) {
      const known = [...reasonIds].map((r) => `"${r}"`).join(' | ');
      problems.push(`sla.byReason.${id}: expected a reason id in your reasons list (${known}), got "${id}"`);
    }
  }
  const alert = file.sla.alertChannel;
  const alertProblem = alert && channelIdProblem(alert.platform, alert.channel);
  if (alertProblem) problems.push(`sla.alertChannel.channel: ${alertProblem}`);
  if (sla.calendar.hours.every((day) => day.length === 0)) {
    problems.push('sla.businessHours: no day has any hours; list at least one, e.g. mon: ["09:00-18:00"]');
  }
  const notice = holidayCoverageNotice(sla, nowMs);
  if (notice) notices.push(notice);
  return sla;
}

/**
 * A warning when this year or the next lies past the shipped holiday data: due times there would
 * treat holidays as workdays, so say so at start rather than answer wrong in silence.
 */
export function holidayCoverageNotice(sla: SlaSettings, nowMs: number): string | null {
  if (sla.calendar.holidays !== 'jp') return null;
  let thisYear: number;
  try {
    thisYear = wallTime(nowMs, sla.calendar.timezone).year;
  } catch {
    return null; // an invalid timezone is reported on its own
  }
  const { first, last } = JAPANESE_HOLIDAY_YEARS;
  const missing = [thisYear, thisYear + 1].filter((y) => y < first || y > last);
  if (missing.length === 0) return null;
  return `warning: sla.holidays: the Japanese holiday data covers ${first}–${last}, not ${missing.join(' or ')}; due times then count holidays as workdays until @holiday-jp/holiday_jp is updated (or list them in sla.closures)`;
}
