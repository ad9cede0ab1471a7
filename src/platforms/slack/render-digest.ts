import type { KnownBlock } from '@slack/types';
import { asDigest, type Digest, type ReasonCount } from '../../core/digests/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import {
  type DigestRenderSettings,
  type DigestWords,
  digestWords,
  REASON_SLA_LINES,
  sparkline,
  textBar,
  voiceUrl,
} from '../digest-words.ts';
import { escapeMrkdwn, mrkdwnLink, mrkdwnLiteral, mrkdwnText, plainText } from './text.ts';

/** Block Kit limits a digest must stay within (see shared/PLATFORM-FACTS.md). */
export const SLACK_DIGEST_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  contextElements: 10,
  /** The notification fallback: Slack truncates at 40,000, but it is read in a notification. */
  fallbackText: 300,
  /** `msg_blocks_too_long` has been seen near 13k characters in total (bolt-js #2509); stay well under. */
  totalChars: 11_000,
} as const;

/** Reasons drawn with a bar; the rest are summed on one line so 100 reasons still fit. */
export const SLACK_REASON_LINES = 20;
const BAR_CELLS = 10;
const LABEL_CHARS = 40;
const TITLE_CHARS = 100;

function labelOf(r: Pick<ReasonCount, 'id' | 'label'>, settings: DigestRenderSettings): string {
  if (r.id === null || settings.reasons.some((x) => x.id === r.id))
    return reasonLabel(settings.reasons, r.id, settings.locale);
  return r.label;
}

/** Packs lines into section texts of at most `max` characters each. */
function packSections(lines: string[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    const safe = line.length > max ? `${line.slice(0, max - 1)}…` : line;
    if (current && current.length + 1 + safe.length > max) {
      out.push(current);
      current = safe;
    } else current = current ? `${current}\n${safe}` : safe;
  }
  if (current) out.push(current);
  return out;
}

/**
 * A section of mrkdwn. `verbatim` because sections carry text others wrote (reason labels from the
 * config or the database, customers' subjects, people's names, all through `mrkdwnLiteral`): Slack
 * then turns no bare word into a mention or link, while koe's own `<url|label>` links still work.
 */
const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });

/** Weekly: each growing topic and its two examples; labels and examples are customers' words, so literal. */
function topicLines(d: Digest, w: DigestWords): string[] {
  return (d.topics ?? []).flatMap((t) => [
    `• ${mrkdwnLiteral(w.topic(t), 200)}`,
    ...t.examples.map((e) => `    ${mrkdwnLiteral(w.topicExample(e), 200)}`),
  ]);
}

/**
 * A digest as Block Kit: a header, the tally with text bars (weekly: a sparkline per reason), then
 * one section per group of KPIs. Pure; within Slack's limits for any number of reasons. koe's own
 * words are escaped (`escapeMrkdwn`, `mrkdwnText`); every line that carries someone else's text (a
 * reason label, a customer's subject, a person's name) goes through `mrkdwnLiteral`, as the mirror's
 * do: shown as typed, no formatting, no mention, no link.
 */
export function renderDigestBlocks(
  value: unknown,
  settings: DigestRenderSettings,
): { text: string; blocks: KnownBlock[] } {
  const d: Digest = asDigest(value);
  const w = digestWords(settings.locale);
  const L = SLACK_DIGEST_LIMITS;
  const blocks: KnownBlock[] = [];

  const title = `${w.title(d)} · ${w.periodText(d)}`;
  blocks.push({ type: 'header', text: { type: 'plain_text', text: plainText(title, L.headerText), emoji: true } });
  blocks.push(section(mrkdwnText(w.summary(d), L.sectionText)));

  // The tally: the top reasons with bars, the rest summed, and unclassified last.
  const tally: string[] = [`*${escapeMrkdwn(w.heading.reasons)}*`];
  if (d.total === 0) tally.push(escapeMrkdwn(w.noInquiries));
  const shown = d.reasons.slice(0, SLACK_REASON_LINES);
  const hidden = d.reasons.slice(SLACK_REASON_LINES);
  const max = Math.max(0, d.unclassified.count, ...d.reasons.map((r) => r.count));
  const line = (r: ReasonCount) => {
    const trend = r.trend ? ` \`${sparkline(r.trend)}\`` : '';
    return `\`${textBar(r.count, max, BAR_CELLS)}\` *${r.count}* ${mrkdwnLiteral(labelOf(r, settings), LABEL_CHARS)}${trend}  _${escapeMrkdwn(w.comparisons(r, d))}_`;
  };
  for (const r of shown) if (r.count > 0 || r.previous > 0) tally.push(line(r));
  if (hidden.length > 0)
    tally.push(
      `_${escapeMrkdwn(
        w.moreReasons(
          hidden.length,
          hidden.reduce((n, r) => n + r.count, 0),
        ),
      )}_`,
    );
  if (d.unclassified.count > 0 || d.unclassified.previous > 0) tally.push(line(d.unclassified));
  if (d.period.kind === 'week' && d.total > 0) tally.push(`_${escapeMrkdwn(w.heading.trend)}_`);
  for (const text of packSections(tally, L.sectionText)) blocks.push(section(text));
  blocks.push({ type: 'divider' });

  const group = (heading: string, lines: string[]) =>
    blocks.push(section(packSections([`*${escapeMrkdwn(heading)}*`, ...lines], L.sectionText)[0]!));
  group(w.heading.response, [
    escapeMrkdwn(w.firstResponse(d)),
    escapeMrkdwn(w.resolutionTime(d)),
    escapeMrkdwn(w.sla(d)),
    ...d.sla.worst.map(
      (b) => `• ${mrkdwnLiteral(w.breach(b, reasonLabel(settings.reasons, b.reasonId, settings.locale)), 200)}`,
    ),
  ]);
  // Names of people and labels from the config: literal, as everywhere else in the digest.
  if (d.reasonSla && d.reasonSla.length > 0)
    group(
      w.heading.reasonSla,
      d.reasonSla
        .slice(0, REASON_SLA_LINES)
        .map((r) => `• ${mrkdwnLiteral(w.reasonSla(r, labelOf(r, settings)), 200)}`),
    );
  group(w.heading.backlog, [escapeMrkdwn(w.backlog(d))]);
  group(w.heading.quality, [escapeMrkdwn(w.resolution(d)), escapeMrkdwn(w.reinquiry(d))]);
  // Names, not <@mentions>: a morning digest should not ping the people it thanks.
  group(w.heading.participation, [
    escapeMrkdwn(w.participation(d)),
    ...d.participation.top.map((p) => `• ${mrkdwnLiteral(w.participant(p.name ?? p.id, p), 200)}`),
  ]);
  group(
    w.heading.voices,
    d.voices.length === 0
      ? [escapeMrkdwn(w.noVoices)]
      : d.voices.map((v) => {
          const url = voiceUrl(v, settings);
          const ref = url ? mrkdwnLink(url, w.inquiryRef(v.inquiryId)) : escapeMrkdwn(w.inquiryRef(v.inquiryId));
          const label = settings.reasons.some((r) => r.id === v.reasonId)
            ? reasonLabel(settings.reasons, v.reasonId, settings.locale)
            : v.label;
          return `• ${ref} ${mrkdwnLiteral(w.voice({ ...v, label, title: v.title.slice(0, TITLE_CHARS) }), 300)}`;
        }),
  );
  const topics = topicLines(d, w);
  if (topics.length > 0) group(w.heading.topics, topics);
  const phase = w.phase(d);
  if (phase) group(w.heading.phase, [escapeMrkdwn(phase)]);
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: escapeMrkdwn(
          `koe · ${d.period.timezone} · ${formatDateTime(d.generatedAt, settings.timezone, settings.locale)}`,
        ),
      },
    ],
  });

  const text = plainText(`${title}: ${w.summary(d)}`, L.fallbackText);
  return { text, blocks: blocks.slice(0, L.blocks) };
}
