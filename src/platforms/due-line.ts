import type { Inquiry } from '../core/inquiries/types.ts';
import type { ShownDue } from '../core/sla/shown-due.ts';
import { formatDueTime } from '../lib/due-time.ts';
import type { RenderSettings } from './types.ts';
import { wordsFor } from './words/index.ts';

const MARK: Record<ShownDue['state'], string> = { on_track: '🕒', due_soon: '⏰', breached: '🚨' };

/**
 * The due line every surface draws the same way (mirrors, `/koe show`, `/koe open`):
 * 「🕒 初回返信期限 12/4（金）12:00 · 期限内」, in the team's zone and locale. koe's own words and
 * digits only, so no platform needs to escape it. Null when nothing is due.
 */
export function dueLine(inquiry: Inquiry, settings: RenderSettings): string | null {
  const due = settings.dueOf?.(inquiry) ?? null;
  if (!due) return null;
  const w = wordsFor(settings.locale).sla;
  const at = formatDueTime(due.dueAt, settings.timezone, settings.locale);
  return `${MARK[due.state]} ${w.due[due.target](at)} · ${w.state[due.state]}`;
}
