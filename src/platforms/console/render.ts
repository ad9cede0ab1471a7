import type { InquiryView, Message } from '../../core/inquiries/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import { dueLine } from '../due-line.ts';
import { replyStateLine } from '../replies.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { oneLine, QUOTE, textLines } from './terminal-text.ts';

const BODY_PREVIEW_CHARS = 1_000;

/**
 * Plain-text rendering of a mirror, for the console destination. Customer text never drives the
 * terminal or starts a line: one-line fields have their line breaks and control characters made
 * printable, and each line of the body is quoted (`  │ `) below the heading.
 */
export function renderInquiryText(view: InquiryView, settings: RenderSettings, heading: 'new' | 'updated'): string {
  const { inquiry, customer } = view;
  const w = wordsFor(settings.locale);
  const status = w.status[inquiry.status];
  const who = inquiry.assigneeName ?? inquiry.assigneeId;
  const lines = [
    `── koe #${inquiry.id} ${heading === 'new' ? w.console.newInquiry : w.console.updated} ──`,
    `[${oneLine(reasonLabel(settings.reasons, inquiry.reasonId, settings.locale))}] ${status}${who ? ` · ${oneLine(who)}` : ''}`,
    ...[dueLine(inquiry, settings)].filter((d) => d !== null),
  ];
  const customerText = [customer?.name, customer?.email].filter(Boolean).join(' ');
  if (customerText) lines.push(w.field(w.labels.customer, oneLine(customerText)));
  if (inquiry.subject) lines.push(w.field(w.labels.subject, oneLine(inquiry.subject)));
  const body =
    inquiry.body.length > BODY_PREVIEW_CHARS ? `${inquiry.body.slice(0, BODY_PREVIEW_CHARS)}…` : inquiry.body;
  lines.push(...quoted(body, '  '));
  lines.push(
    w.field(
      w.labels.received,
      `${formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)} · ${oneLine(inquiry.source)}${inquiry.url ? ` · ${oneLine(inquiry.url)}` : ''}`,
    ),
  );
  return lines.join('\n');
}

/**
 * Plain-text rendering of a thread message: its first line after the heading, the rest quoted below.
 * A reply koe sends also says where it stands (queued until a time, sent, failed and why, undone).
 */
export function renderMessageText(view: InquiryView, message: Message, settings: RenderSettings): string {
  const w = wordsFor(settings.locale);
  const kind = w.direction[message.direction];
  const author = message.authorName ?? message.authorId ?? '';
  const [first = '', ...rest] = textLines(message.body);
  const heading = `  ↳ #${view.inquiry.id} ${w.field(author ? w.aside(kind, oneLine(author)) : kind, first)}`;
  const state = message.replyState ? [`    ${oneLine(replyStateLine(message, settings))}`] : [];
  return [heading, ...rest.map((line) => `    ${QUOTE}${line}`), ...state].join('\n');
}

/** Each line of `text`, printable and quoted after `indent`. */
function quoted(text: string, indent: string): string[] {
  return textLines(text).map((line) => `${indent}${QUOTE}${line}`);
}
