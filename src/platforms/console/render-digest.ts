import { asDigest, type Digest } from '../../core/digests/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import { digestWords, REASON_SLA_LINES, sparkline, textBar } from '../digest-words.ts';
import type { RenderSettings } from '../types.ts';
import { oneLine, terminalSafe } from './terminal-text.ts';

const BAR_CELLS = 12;

// East Asian wide and fullwidth characters take two terminal columns; enough ranges for labels.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u;

/** Terminal columns `text` takes (wide characters count two). */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

function padEnd(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}

/** The label of a reason in the reader's locale, falling back to the one stored in the digest. */
function labelOf(id: string | null, stored: string, settings: RenderSettings): string {
  if (id === null) return reasonLabel(settings.reasons, null, settings.locale);
  return oneLine(
    settings.reasons.some((r) => r.id === id) ? reasonLabel(settings.reasons, id, settings.locale) : stored,
  );
}

/**
 * Plain-text digest for the console destination and `koe digest`: every reason, no limits. Names,
 * labels and voices (customer subjects) print on one line each, with no control character, and no
 * line that a JSON-lines reader could take for a log record.
 */
export function renderDigestText(value: unknown, settings: RenderSettings): string {
  const d: Digest = asDigest(value);
  const w = digestWords(settings.locale);
  const lines: string[] = [];
  lines.push(`══ koe ${w.title(d)} · ${w.periodText(d)} ══`);
  lines.push(w.summary(d));
  lines.push('');

  lines.push(`■ ${w.heading.reasons}`);
  const rows = [...d.reasons, ...(d.unclassified.count > 0 || d.unclassified.previous > 0 ? [d.unclassified] : [])];
  if (d.total === 0) lines.push(`  ${w.noInquiries}`);
  const max = Math.max(0, ...rows.map((r) => r.count));
  const labels = rows.map((r) => labelOf(r.id, r.label, settings));
  const labelColumns = Math.min(28, Math.max(0, ...labels.map(displayWidth)));
  const countWidth = Math.max(1, ...rows.map((r) => String(r.count).length));
  rows.forEach((r, i) => {
    const trend = r.trend ? `  ${sparkline(r.trend)}` : '';
    lines.push(
      `  ${padEnd(labels[i]!, labelColumns)}  ${textBar(r.count, max, BAR_CELLS)} ${String(r.count).padStart(countWidth)}  ${w.comparisons(r, d)}${trend}`,
    );
  });
  if (d.period.kind === 'week' && rows.length > 0) lines.push(`  (${w.heading.trend})`);
  lines.push('');

  lines.push(`■ ${w.heading.response}`);
  lines.push(`  ${w.firstResponse(d)}`);
  lines.push(`  ${w.resolutionTime(d)}`);
  lines.push(`  ${w.sla(d)}`);
  for (const b of d.sla.worst)
    lines.push(`    ${w.breach(b, reasonLabel(settings.reasons, b.reasonId, settings.locale))}`);
  lines.push('');

  if (d.reasonSla && d.reasonSla.length > 0) {
    lines.push(`■ ${w.heading.reasonSla}`);
    for (const r of d.reasonSla.slice(0, REASON_SLA_LINES))
      lines.push(`  ${w.reasonSla(r, labelOf(r.id, r.label, settings))}`);
    lines.push('');
  }

  lines.push(`■ ${w.heading.backlog}`);
  lines.push(`  ${w.backlog(d)}`);
  lines.push('');

  lines.push(`■ ${w.heading.quality}`);
  lines.push(`  ${w.resolution(d)}`);
  lines.push(`  ${w.reinquiry(d)}`);
  lines.push('');

  lines.push(`■ ${w.heading.participation}`);
  lines.push(`  ${w.participation(d)}`);
  for (const p of d.participation.top) lines.push(`    ${w.participant(p.name ?? p.id, p)}`);
  lines.push('');

  lines.push(`■ ${w.heading.voices}`);
  if (d.voices.length === 0) lines.push(`  ${w.noVoices}`);
  for (const v of d.voices) {
    const where = [v.url, ...v.mirrors.map((m) => `${m.platform}:${m.channel}/${m.messageRef}`)]
      .filter(Boolean)
      .join(' ');
    lines.push(
      `  ${w.inquiryRef(v.inquiryId)} ${w.voice({ ...v, label: labelOf(v.reasonId, v.label, settings) })}${where ? `  ${where}` : ''}`,
    );
  }

  if (d.topics && d.topics.length > 0) {
    lines.push('');
    lines.push(`■ ${w.heading.topics}`);
    for (const t of d.topics) {
      lines.push(`  ${w.topic(t)}`);
      for (const e of t.examples) lines.push(`    ${w.topicExample(e)}`);
    }
  }

  const phase = w.phase(d);
  if (phase) {
    lines.push('');
    lines.push(`■ ${w.heading.phase}`);
    lines.push(`  ${phase}`);
  }
  lines.push('');
  lines.push(`(${d.period.timezone} · ${formatDateTime(d.generatedAt, settings.timezone, settings.locale)})`);
  return terminalSafe(lines.map(oneLine).join('\n'));
}
