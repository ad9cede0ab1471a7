import type Mail from 'nodemailer/lib/mailer/index.js';
import type { EmailConfig } from '../../config/email-config.ts';
import type { InquiryDetail } from '../../core/ports/read-model.ts';
import type { Locale } from '../../core/reasons/taxonomy.ts';
import { wordsFor } from '../words/index.ts';
import { REPLY_PREFIX } from '../words/mail-patterns.ts';

/**
 * A reply as a mail, built purely from the inquiry and the reply. The Message-ID is a function of
 * the delivery (its id, the reply's id and creation time), so a reply sent again after a crash
 * carries the same one: koe finds it in the Sent folder by it, and mail clients and Gmail show two
 * copies with one Message-ID as one. Threading: In-Reply-To the customer's latest mail, References
 * every Message-ID of the conversation (the first, then the newest, within the usual limits), and
 * `Re: <subject> [#id]`, whose token threads a customer's new mail when their client drops headers.
 */

/** How many Message-IDs References carries at most (the first one, then the newest). */
const MAX_REFERENCES = 20;
const TOKEN = /\s*\[#\d{1,9}\]/g;

export function replyMessageId(email: EmailConfig, deliveryId: number, messageId: number, createdAt: number): string {
  return `<koe.${deliveryId}.${messageId}.${createdAt.toString(36)}@${email.messageIdDomain}>`;
}

/**
 * `Re: <the customer's subject, without earlier Re: or token> [#id]`. Without `answering` (the first
 * mail to a customer who wrote through the contact form: there is no mail of theirs to answer) the
 * subject is theirs with the token and no `Re:`.
 */
export function replySubject(subject: string | null, inquiryId: number, locale: Locale, answering = true): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').replace(TOKEN, '').trim();
  return `${answering ? 'Re: ' : ''}${base || wordsFor(locale).mail.noSubject} [#${inquiryId}]`;
}

/** The conversation's Message-IDs, oldest first: the inquiry's mail, follow-ups, answers (koe's and staff's). */
export function conversationIds(detail: Pick<InquiryDetail, 'inquiry' | 'messages'>): {
  inReplyTo: string | null;
  references: string[];
} {
  const isId = (id: string | null): id is string => id !== null && /^<[^<>\s]+>$/.test(id);
  const first = isId(detail.inquiry.externalId) ? [detail.inquiry.externalId] : [];
  const later = detail.messages.filter((m) => m.direction !== 'note' && isId(m.externalId));
  const all = [...new Set([...first, ...later.map((m) => m.externalId!)])];
  const references = all.length > MAX_REFERENCES ? [all[0]!, ...all.slice(-(MAX_REFERENCES - 1))] : all;
  const lastInbound = [...later].reverse().find((m) => m.direction === 'inbound')?.externalId ?? first[0] ?? null;
  return { inReplyTo: lastInbound, references };
}

/** The reply's text: what the person wrote, then the signature for koe's locale. */
export function replyText(body: string, email: EmailConfig, locale: Locale): string {
  const signature = email.signature[locale].trim();
  const text = body.replace(/\r\n?/g, '\n').trimEnd();
  return signature ? `${text}\n\n${signature}\n` : `${text}\n`;
}

/** nodemailer's options for one mail koe sends: UTF-8 plain text, threaded. */
export function mailOptions(input: {
  email: EmailConfig;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  thread: { inReplyTo: string | null; references: string[] };
  headers?: Record<string, string>;
}): Mail.Options {
  const from = input.email.from!;
  return {
    from: from.name ? { name: from.name, address: from.address } : from.address,
    to: input.to,
    subject: input.subject,
    text: input.text,
    textEncoding: 'base64',
    messageId: input.messageId,
    ...(input.thread.inReplyTo && { inReplyTo: input.thread.inReplyTo }),
    ...(input.thread.references.length > 0 && { references: input.thread.references }),
    headers: { ...input.headers },
  };
}
