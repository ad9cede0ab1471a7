import { z } from 'zod';
import { EMAIL_SOURCE, type EmailConfig } from '../../config/email-config.ts';
import { addMessage, createInquiry, createInquiryInput } from '../../core/inquiries/index.ts';
import type { PlatformDeps } from '../types.ts';
import { isStaffAddress, whyNotAnInquiry } from './guards.ts';
import type { IncomingMail } from './read-mail.ts';
import { stripQuoted } from './strip-quoted.ts';
import { inquiryOfMail } from './threading.ts';

/** What became of one mail; the mailbox reader logs it and moves on either way. */
export type MailOutcome =
  | { kind: 'inquiry'; inquiryId: number; created: boolean }
  | { kind: 'follow-up'; inquiryId: number; direction: 'inbound' | 'outbound' }
  | { kind: 'ignored'; why: string };

const MAX_BODY_CHARS = 100_000;
const DAY_MS = 24 * 3_600_000;
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

/**
 * Takes one mail in, once: a mail whose Message-ID koe already holds (a restart mid-mailbox, a move
 * that did not happen) changes nothing. Threaded mail joins its inquiry (a customer's follow-up
 * inbound, stripped of the quoted history; a staff member's answer from their own client outbound,
 * which counts as the first response). Anything else from a customer opens an inquiry.
 */
export function takeInMail(
  deps: PlatformDeps,
  email: EmailConfig,
  mail: IncomingMail,
  arrivedAt: number | null,
): MailOutcome {
  const why = whyNotAnInquiry(mail, email.messageIdDomain);
  if (why) return { kind: 'ignored', why };
  const known = deps.read.inquiryForSourceMessage(EMAIL_SOURCE, mail.messageId);
  if (known !== null) return { kind: 'ignored', why: 'already taken in' };
  // The team answering from the support address itself (a shared mailbox's web client) is staff too.
  const own = email.from !== null && mail.from?.address.toLowerCase() === email.from.address.toLowerCase();
  const staff = own || isStaffAddress(mail.from?.address, email.staffDomains);
  const at = receivedAt(arrivedAt ?? mail.date, deps.ctx.now());
  const threadId = inquiryOfMail(deps.read, mail, staff);
  if (threadId !== null) {
    const direction = staff ? 'outbound' : 'inbound';
    const body = stripQuoted(mail.text || mail.subject).text;
    const outcome = addMessage(deps.ctx, {
      inquiryId: threadId,
      direction,
      body: withAttachments(body, mail).slice(0, MAX_BODY_CHARS) || '-',
      author: { id: `email:${mail.from?.address ?? 'unknown'}`, name: mail.from?.name ?? mail.from?.address ?? null },
      externalId: mail.messageId,
      at,
    });
    if (!outcome.ok) return { kind: 'ignored', why: `the inquiry refused it (${outcome.code})` };
    return { kind: 'follow-up', inquiryId: threadId, direction };
  }
  // Staff mail that answers nothing koe knows (an internal thread, a newsletter they sent): not an inquiry.
  if (staff) return { kind: 'ignored', why: `from staff (${mail.from?.address}) and in no inquiry's thread` };
  return openInquiry(deps, mail, at);
}

function openInquiry(deps: PlatformDeps, mail: IncomingMail, at: number): MailOutcome {
  const text = withAttachments(mail.text, mail).slice(0, MAX_BODY_CHARS);
  const customer = customerOf(mail);
  const input = createInquiryInput.safeParse({
    source: EMAIL_SOURCE,
    externalId: mail.messageId.slice(0, 500),
    ...(customer && { customer }),
    ...(mail.subject && { subject: mail.subject.slice(0, 1000) }),
    body: text.trim() ? text : mail.subject || '-',
    receivedAt: new Date(at).toISOString(),
    metadata: {
      email: {
        messageId: mail.messageId,
        from: mail.from?.address ?? null,
        replyTo: mail.replyTo,
        to: mail.to.slice(0, 20),
        cc: mail.cc.slice(0, 20),
        attachments: mail.attachments.slice(0, 50),
      },
    },
  });
  if (!input.success) return { kind: 'ignored', why: `not a valid inquiry (${input.error.issues[0]?.message})` };
  const outcome = createInquiry(deps.ctx, input.data);
  if (!outcome.ok) return { kind: 'ignored', why: `the core refused it (${outcome.code})` };
  return { kind: 'inquiry', inquiryId: outcome.inquiry.id, created: outcome.created };
}

/** The customer: their address as the key (what createInquiry keys by), and their decoded name. */
function customerOf(mail: IncomingMail): { email?: string; id?: string; name?: string } | null {
  if (!mail.from) return null;
  const name = mail.from.name?.slice(0, 500) || undefined;
  const email = mail.from.address.toLowerCase();
  // An address zod's check refuses (a quoted local part, say) still identifies the customer.
  const valid = z.email().max(500).safeParse(email).success;
  return valid ? { email, ...(name && { name }) } : { id: `email:${email}`.slice(0, 500), ...(name && { name }) };
}

/** The text, then a line per attachment (`📎 name (type, size)`): staff see what came, nothing is stored. */
function withAttachments(text: string, mail: IncomingMail): string {
  if (mail.attachments.length === 0) return text;
  const lines = mail.attachments.map((a) => `📎 ${a.name || '(unnamed)'} (${a.type}, ${sizeText(a.size)})`);
  return [text, lines.join('\n')].filter(Boolean).join('\n\n');
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** When the mail arrived (the server's date, else the sender's), kept within what the core takes. */
function receivedAt(at: number | null, now: number): number {
  if (at === null || at < EARLIEST || at > now + DAY_MS) return now;
  return at;
}
