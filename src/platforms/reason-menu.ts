import type { Inquiry } from '../core/inquiries/types.ts';
import type { Reason } from '../core/reasons/taxonomy.ts';
import type { RenderSettings } from './types.ts';

/**
 * Render settings that can also say what koe would guess for an inquiry it left unclassified, best
 * first. Recomputed at render time from the current model (wire.ts), so nothing is stored and the
 * menu follows what koe knows now; absent or empty keeps the taxonomy's order.
 */
export interface SuggestingRenderSettings extends RenderSettings {
  suggestReasons?: (inquiry: Inquiry) => readonly string[];
}

/** How many of koe's guesses lead the reason menu of an unclassified inquiry. */
export const SUGGESTED_REASONS = 3;

/**
 * The reasons of a mirror's reason menu, in the order to show them. When koe left the inquiry
 * unclassified, its top guesses come first, so the person asked to choose usually finds the answer
 * at the top; the rest follow in the taxonomy's order. A classified inquiry keeps the taxonomy's
 * order. A failing suggester costs the order, never the mirror.
 */
export function menuReasons(inquiry: Inquiry, settings: SuggestingRenderSettings): readonly Reason[] {
  const { suggestReasons } = settings;
  if (inquiry.reasonId !== null || !suggestReasons) return settings.reasons;
  let suggested: readonly string[];
  try {
    suggested = suggestReasons(inquiry).slice(0, SUGGESTED_REASONS);
  } catch {
    return settings.reasons;
  }
  const first = suggested
    .map((id) => settings.reasons.find((r) => r.id === id))
    .filter((r): r is Reason => r !== undefined);
  return [...first, ...settings.reasons.filter((r) => !first.includes(r))];
}
