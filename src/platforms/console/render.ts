import type { InquiryView, Message } from '../../core/inquiries/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';

const BODY_PREVIEW_CHARS = 1_000;

/** Plain-text rendering of a mirror, for the console destination. */
export function renderInquiryText(view: InquiryView, settings: RenderSettings, heading: 'new' | 'updated'): string {
  const { inquiry, customer } = view;
  const w = wordsFor(settings.locale);
  const status = w.status[inquiry.status];
  const who = inquiry.assigneeName ?? inquiry.assigneeId;
  const lines = [
    `── koe #${inquiry.id} ${heading === 'new' ? w.console.newInquiry : w.console.updated} ──`,
    `[${reasonLabel(settings.reasons, inquiry.reasonId, settings.locale)}] ${status}${who ? ` · ${who}` : ''}`,
  ];
  const customerText = [customer?.name, customer?.email].filter(Boolean).join(' ');
  if (customerText) lines.push(`${w.labels.customer}: ${customerText}`);
  if (inquiry.subject) lines.push(`${w.labels.subject}: ${inquiry.subject}`);
  const body =
    inquiry.body.length > BODY_PREVIEW_CHARS ? `${inquiry.body.slice(0, BODY_PREVIEW_CHARS)}…` : inquiry.body;
  lines.push(...body.split('\n').map((l) => `  ${l}`));
  lines.push(
    `${w.labels.received}: ${formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)} · ${inquiry.source}${inquiry.url ? ` · ${inquiry.url}` : ''}`,
  );
  return lines.join('\n');
}

/** Plain-text rendering of a thread message. */
export function renderMessageText(view: InquiryView, message: Message, settings: RenderSettings): string {
  const kind = wordsFor(settings.locale).direction[message.direction];
  const author = message.authorName ?? message.authorId ?? '';
  return `  ↳ #${view.inquiry.id} ${kind}${author ? ` (${author})` : ''}: ${message.body}`;
}
