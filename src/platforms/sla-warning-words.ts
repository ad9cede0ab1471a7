import type { SlaWarningWords } from '../core/inquiries/sla-warnings.ts';
import type { Locale } from '../core/reasons/taxonomy.ts';
import { formatDueTime } from '../lib/due-time.ts';
import { wordsFor } from './words/index.ts';

const GIST_CHARS = 80;

/**
 * What koe's SLA warnings say, in the team's locale and zone: the note in each mirror's thread and
 * the alert channel's line. They are written once, when the crossing is recorded, and stored (the
 * note as a message), so every surface and a later `/koe show` read the same words.
 */
export function slaWarningWords(locale: Locale, timezone: string): SlaWarningWords {
  const w = wordsFor(locale).sla;
  return (inquiry, crossing) => {
    const due = formatDueTime(crossing.dueAt, timezone, locale);
    // The owner by name: each platform adds its own mention (only its users' ids make one).
    const owner = inquiry.status === 'claimed' ? (inquiry.assigneeName ?? inquiry.assigneeId) : null;
    const line = (inquiry.subject ?? inquiry.body).replace(/\s+/g, ' ').trim();
    const gist = line.length > GIST_CHARS ? `${line.slice(0, GIST_CHARS - 1)}…` : line;
    const { target, level } = crossing;
    return {
      note: w.warning({ target, level, due, owner }),
      alert: w.alert({ id: inquiry.id, target, level, due, owner, gist }),
    };
  };
}
