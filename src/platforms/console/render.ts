import type { InquiryView, Message } from '../../core/inquiries/types.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import type { RenderSettings } from '../types.ts';

const STATUS = {
  ja: { open: '未対応', claimed: '対応中', resolved: '解決済み' },
  en: { open: 'Open', claimed: 'Claimed', resolved: 'Resolved' },
} as const;

const BODY_PREVIEW_CHARS = 1_000;

/** Plain-text rendering of a mirror, for the console destination. */
export function renderInquiryText(view: InquiryView, settings: RenderSettings, heading: 'new' | 'updated'): string {
  const { inquiry, customer } = view;
  const ja = settings.locale === 'ja';
  const status = STATUS[settings.locale][inquiry.status];
  const who = inquiry.assigneeName ?? inquiry.assigneeId;
  const lines = [
    `── koe #${inquiry.id} ${heading === 'new' ? (ja ? '新しいお問い合わせ' : 'new inquiry') : ja ? '更新' : 'updated'} ──`,
    `[${reasonLabel(settings.reasons, inquiry.reasonId, settings.locale)}] ${status}${who ? ` · ${who}` : ''}`,
  ];
  const customerText = [customer?.name, customer?.email].filter(Boolean).join(' ');
  if (customerText) lines.push(`${ja ? '顧客' : 'Customer'}: ${customerText}`);
  if (inquiry.subject) lines.push(`${ja ? '件名' : 'Subject'}: ${inquiry.subject}`);
  const body =
    inquiry.body.length > BODY_PREVIEW_CHARS ? `${inquiry.body.slice(0, BODY_PREVIEW_CHARS)}…` : inquiry.body;
  lines.push(...body.split('\n').map((l) => `  ${l}`));
  lines.push(
    `${ja ? '受付' : 'Received'}: ${formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)} · ${inquiry.source}${inquiry.url ? ` · ${inquiry.url}` : ''}`,
  );
  return lines.join('\n');
}

/** Plain-text rendering of a thread message. */
export function renderMessageText(view: InquiryView, message: Message, settings: RenderSettings): string {
  const ja = settings.locale === 'ja';
  const kind = {
    inbound: ja ? '顧客から' : 'from customer',
    outbound: ja ? '返信' : 'reply',
    note: ja ? 'メモ' : 'note',
  }[message.direction];
  const author = message.authorName ?? message.authorId ?? '';
  return `  ↳ #${view.inquiry.id} ${kind}${author ? ` (${author})` : ''}: ${message.body}`;
}
