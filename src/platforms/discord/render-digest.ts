import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import { asDigest, type Digest, type ReasonCount } from '../../core/digests/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import {
  type DigestRenderSettings,
  digestWords,
  REASON_SLA_LINES,
  sparkline,
  textBar,
  voiceUrl,
} from '../digest-words.ts';
import { DISCORD_LIMITS, embedLength, truncate } from './limits.ts';
import { linkTarget } from './markdown.ts';

/** Reasons drawn with a bar; the rest are summed on one line so 100 reasons still fit. */
export const DISCORD_REASON_LINES = 20;
/**
 * What the digest's embeds may use of Discord's 6000-character total: the sender appends a delivery
 * marker to the last footer (` · d<id>`), so leave it room.
 */
export const DISCORD_DIGEST_BUDGET = DISCORD_LIMITS.embedsTotal - 100;

const BAR_CELLS = 10;
const LABEL_CHARS = 32;
const DIGEST_COLOR = 0x5865f2;

// Markdown that would change how customer text or labels render inside an embed.
const MARKDOWN = /([\\*_~`|>[\]()#-])/g;
const escapeMarkdown = (text: string) => text.replace(MARKDOWN, '\\$1');

function labelOf(r: Pick<ReasonCount, 'id' | 'label'>, settings: DigestRenderSettings): string {
  if (r.id === null || settings.reasons.some((x) => x.id === r.id))
    return reasonLabel(settings.reasons, r.id, settings.locale);
  return r.label;
}

/**
 * A digest as one Discord embed: the tally as a code block of text bars in the description (weekly:
 * a sparkline per reason), then one field per group of KPIs. Pure; within Discord's limits (embed
 * total, description, field count and length) for any number of reasons.
 */
export function renderDigestEmbeds(
  value: unknown,
  settings: DigestRenderSettings,
): { content?: string; embeds: APIEmbed[] } {
  const d: Digest = asDigest(value);
  const w = digestWords(settings.locale);
  const L = DISCORD_LIMITS;

  const shown = d.reasons.slice(0, DISCORD_REASON_LINES);
  const hidden = d.reasons.slice(DISCORD_REASON_LINES);
  const rows = [...shown.filter((r) => r.count > 0 || r.previous > 0)];
  if (d.unclassified.count > 0 || d.unclassified.previous > 0) rows.push(d.unclassified);
  const max = Math.max(0, ...rows.map((r) => r.count));
  const countWidth = Math.max(1, ...rows.map((r) => String(r.count).length));
  const tallyLines = rows.map((r) => {
    const trend = r.trend ? ` ${sparkline(r.trend)}` : '';
    // Inside a code block nothing needs escaping but the fence itself.
    const label = truncate(labelOf(r, settings), LABEL_CHARS).replace(/`/g, "'");
    return `${textBar(r.count, max, BAR_CELLS)} ${String(r.count).padStart(countWidth)} ${label}${trend}\n${' '.repeat(BAR_CELLS + countWidth + 2)}${w.comparisons(r, d)}`;
  });
  const description = [
    escapeMarkdown(w.summary(d)),
    '',
    `**${w.heading.reasons}**`,
    d.total === 0 ? w.noInquiries : '',
    tallyLines.length > 0 ? `\`\`\`\n${tallyLines.join('\n')}\n\`\`\`` : '',
    hidden.length > 0
      ? `*${escapeMarkdown(
          w.moreReasons(
            hidden.length,
            hidden.reduce((n, r) => n + r.count, 0),
          ),
        )}*`
      : '',
    d.period.kind === 'week' && d.total > 0 ? `*${escapeMarkdown(w.heading.trend)}*` : '',
  ]
    .filter((line, i) => line !== '' || i === 1)
    .join('\n');

  const fields = kpiFields(d, w, settings);

  const embed: APIEmbed = {
    title: truncate(`${w.title(d)} · ${w.periodText(d)}`, L.embedTitle),
    description: truncate(description, L.embedDescription),
    color: DIGEST_COLOR,
    fields: fields.slice(0, L.embedFields),
    footer: {
      text: truncate(
        `koe · ${d.period.timezone} · ${formatDateTime(d.generatedAt, settings.timezone, settings.locale)}`,
        200,
      ),
    },
    timestamp: new Date(d.generatedAt).toISOString(),
  };
  fitTotal(embed, DISCORD_DIGEST_BUDGET);
  return { embeds: [embed] };
}

/** One field per group of KPIs, the weekly "within target by reason" among them, then the phase. */
function kpiFields(d: Digest, w: ReturnType<typeof digestWords>, settings: DigestRenderSettings): APIEmbedField[] {
  const L = DISCORD_LIMITS;
  const field = (name: string, lines: string[]): APIEmbedField => ({
    name: truncate(name, L.fieldName),
    value: truncate(lines.filter(Boolean).join('\n') || '—', L.fieldValue),
  });
  const fields: APIEmbedField[] = [
    field(w.heading.response, [
      escapeMarkdown(w.firstResponse(d)),
      escapeMarkdown(w.resolutionTime(d)),
      escapeMarkdown(w.sla(d)),
      ...d.sla.worst.map(
        (b) => `• ${escapeMarkdown(w.breach(b, reasonLabel(settings.reasons, b.reasonId, settings.locale)))}`,
      ),
    ]),
    ...(d.reasonSla && d.reasonSla.length > 0
      ? [
          field(
            w.heading.reasonSla,
            d.reasonSla
              .slice(0, REASON_SLA_LINES)
              .map((r) => `• ${escapeMarkdown(w.reasonSla(r, labelOf(r, settings)))}`),
          ),
        ]
      : []),
    field(w.heading.backlog, [escapeMarkdown(w.backlog(d))]),
    field(w.heading.quality, [escapeMarkdown(w.resolution(d)), escapeMarkdown(w.reinquiry(d))]),
    field(w.heading.participation, [
      escapeMarkdown(w.participation(d)),
      ...d.participation.top.map((p) => `• ${escapeMarkdown(w.participant(p.name ?? p.id, p))}`),
    ]),
    field(
      w.heading.voices,
      d.voices.length === 0
        ? [escapeMarkdown(w.noVoices)]
        : d.voices.map((v) => {
            // Each voice gets a fair share of the field, so five long titles cannot crowd out the rest.
            const share = Math.floor(L.fieldValue / d.voices.length) - 1;
            const url = voiceUrl(v, settings);
            const plainRef = w.inquiryRef(v.inquiryId);
            const linked = url ? `[${plainRef}](${linkTarget(url)})` : plainRef;
            const ref = linked.length <= share / 2 ? linked : plainRef; // never cut a link in half
            const label = settings.reasons.some((r) => r.id === v.reasonId)
              ? reasonLabel(settings.reasons, v.reasonId, settings.locale)
              : v.label;
            return `• ${ref} ${truncate(escapeMarkdown(w.voice({ ...v, label })), share - ref.length - 3)}`;
          }),
    ),
  ];
  if (d.topics && d.topics.length > 0)
    fields.push(
      field(
        w.heading.topics,
        d.topics.flatMap((t) => [
          `• ${escapeMarkdown(w.topic(t))}`,
          ...t.examples.map((e) => `\u00a0\u00a0\u00a0${escapeMarkdown(w.topicExample(e))}`),
        ]),
      ),
    );
  const phase = w.phase(d);
  if (phase) fields.push(field(w.heading.phase, [escapeMarkdown(phase)]));
  return fields;
}

/** Shortens the longest text of the embed until its total fits `budget`. */
function fitTotal(embed: APIEmbed, budget: number): void {
  for (let over = embedLength(embed) - budget; over > 0; over = embedLength(embed) - budget) {
    const fields = embed.fields ?? [];
    const longestField = fields.reduce<APIEmbedField | null>(
      (a, f) => (!a || f.value.length > a.value.length ? f : a),
      null,
    );
    const descriptionLength = embed.description?.length ?? 0;
    if (longestField && longestField.value.length >= descriptionLength) {
      longestField.value = truncate(longestField.value, Math.max(1, longestField.value.length - over));
    } else if (embed.description) {
      // Cut the tally at a line end so the code block stays closed.
      const target = Math.max(1, descriptionLength - over - 8); // room for the "…" and closing fence added back
      const cut = embed.description.lastIndexOf('\n', target);
      const head = embed.description.slice(0, cut > 0 ? cut : target);
      const openFences = (head.match(/```/g) ?? []).length % 2 === 1;
      embed.description = openFences ? `${head}\n…\`\`\`` : `${head}\n…`;
    } else break;
  }
}
