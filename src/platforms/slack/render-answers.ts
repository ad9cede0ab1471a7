/**
 * What `/koe show`, `/koe open` and `/koe mine` answer on Slack: the inquiry in full, paged to fit
 * Slack's message limits, and the lists. The mirror and its thread are drawn in render.ts.
 */

import type { Inquiry, InquiryView } from '../../core/inquiries/types.ts';
import type { InquiryDetail } from '../../core/ports/read-model.ts';
import { type Locale, reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import { dueLine } from '../due-line.ts';
import { formatAge, listWords } from '../replies.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import {
  customerLine,
  FALLBACK_CHARS,
  formatActor,
  headerText,
  type KnownBlock,
  LIMITS,
  reasonText,
  type SlackMessage,
  verbatim,
  words,
} from './render.ts';
import { chunk, jsonBytes, mrkdwnLink, mrkdwnLiteral, mrkdwnText, plainText, sanitize, truncate } from './text.ts';

/** One page of `/koe show`, in bytes of JSON: a page's blocks and the details above the first stay within Slack's budget. */
const SHOW_PAGE_BYTES = 8_500;

/**
 * `/koe show`: the details, then the whole body in pages that each fit one message (the body may be
 * 100,000 characters; one message carries about 12,000). The caller sends as many pages as it can.
 */
export function renderInquiryDetail(detail: InquiryDetail, settings: RenderSettings): SlackMessage[] {
  const { inquiry } = detail;
  const w = words(settings.locale);
  const view: InquiryView = {
    inquiry,
    customer: detail.customer,
    messageCount: detail.messages.length,
    reactionCounts: {},
  };
  const assignee = inquiry.assigneeId ? formatActor(inquiry.assigneeId, inquiry.assigneeName) : w.unassigned;
  const lines = [
    `*${w.customer}:* ${customerLine(view, settings.locale)}`,
    `*${w.assignee}:* ${assignee}`,
    `*${w.reason}:* ${reasonText(inquiry, settings)}`,
    ...(inquiry.subject ? [`*${w.subject}:* ${mrkdwnLiteral(inquiry.subject, 500)}`] : []),
    `*${w.received}:* ${formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)} · ${w.source} ${mrkdwnLiteral(inquiry.source, 200)}${
      inquiry.url ? ` · ${mrkdwnLink(truncate(inquiry.url, LIMITS.url - 100, { suffix: '' }).text, w.original)}` : ''
    }`,
    ...[dueLine(inquiry, settings)].filter((d) => d !== null),
  ];
  const body = sanitize(inquiry.body).trim() || '-';
  const detailBlocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText(inquiry, settings), emoji: true } },
    { type: 'section', text: verbatim(truncate(lines.join('\n'), LIMITS.sectionText).text) },
  ];
  // The first page carries the details too, so it holds less of the body.
  const firstRoom = Math.max(1_000, SHOW_PAGE_BYTES - jsonBytes(JSON.stringify(detailBlocks)));
  const first = chunk(body, firstRoom, jsonBytes)[0] ?? body;
  const rest = body.slice(first.length);
  const pieces = [first, ...(rest ? chunk(rest, SHOW_PAGE_BYTES, jsonBytes) : [])];
  const pages: SlackMessage[] = pieces.map((piece, i) => {
    const blocks: KnownBlock[] = i === 0 ? [...detailBlocks] : [];
    if (pieces.length > 1) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `*${w.body}* ${i + 1}/${pieces.length}` }],
      });
    }
    for (const part of chunk(piece, LIMITS.sectionText)) {
      blocks.push({
        type: 'section',
        text: { type: 'plain_text', text: plainText(part, LIMITS.sectionText), emoji: false },
      });
    }
    return { text: mrkdwnText(`#${inquiry.id} ${i + 1}/${pieces.length}`, FALLBACK_CHARS), blocks };
  });

  if (detail.messages.length > 0) {
    const recent = detail.messages.slice(-10);
    const text = recent
      .map((m) => {
        const who = m.authorId || m.authorName ? ` · ${formatActor(m.authorId, m.authorName)}` : '';
        const when = formatDateTime(m.createdAt, settings.timezone, settings.locale);
        return `*${w.direction[m.direction]}*${who} · ${when}\n${mrkdwnLiteral(m.body.replace(/\s+/g, ' '), 250)}`;
      })
      .join('\n');
    pages.push({
      text: mrkdwnText(`#${inquiry.id} ${w.conversation}`, FALLBACK_CHARS),
      blocks: [
        { type: 'context', elements: [{ type: 'mrkdwn', text: `*${w.conversation}* (${detail.messages.length})` }] },
        { type: 'section', text: verbatim(truncate(text, LIMITS.sectionText).text) },
      ],
    });
  }
  return pages;
}

/** `/koe open` and `/koe mine`: one line per inquiry, in the order given (open: soonest due first), with its due line. */
export function renderInquiryList(
  items: readonly Inquiry[],
  total: number,
  settings: RenderSettings,
  kind: 'open' | 'mine',
  nowMs: number,
): SlackMessage {
  const lw = listWords(settings.locale);
  const title = kind === 'open' ? lw.openTitle(total) : lw.mineTitle(total);
  if (items.length === 0) {
    const empty = kind === 'open' ? lw.openEmpty : lw.mineEmpty;
    return { text: empty, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: empty } }] };
  }
  const line = (i: Inquiry) => {
    const reason = reasonLabel(settings.reasons, i.reasonId, settings.locale);
    const gist = (i.subject ?? i.body).replace(/\s+/g, ' ').trim();
    const age = formatAge((nowMs - i.receivedAt) / 60_000, settings.locale);
    const due = dueLine(i, settings);
    return `• *#${i.id}* ${mrkdwnText(reason, 60)} · ${age}${due ? ` · ${due}` : ''} · ${mrkdwnLiteral(gist, 120)}`;
  };
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: title } }];
  for (let start = 0; start < items.length; start += 10) {
    blocks.push({
      type: 'section',
      text: verbatim(
        items
          .slice(start, start + 10)
          .map(line)
          .join('\n'),
      ),
    });
  }
  if (total > items.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: lw.more(total - items.length) }] });
  return { text: title.replace(/\*/g, ''), blocks };
}

/** Shown by `/koe show` when there are more pages than can be sent. */
export function morePagesNotice(locale: Locale, sent: number, total: number, id: number): string {
  return wordsFor(locale).slack.morePages(sent, total, id);
}
