import type { IncomingMail } from './read-mail.ts';

/**
 * Mail that is not a person writing to support, so it never becomes an inquiry and never gets an
 * acknowledgement: that is how two robots are kept from answering each other forever. RFC 3834
 * (Auto-Submitted), the Precedence and List-* headers mailing lists and bulk senders set, bounces
 * (from MAILER-DAEMON or postmaster, a delivery-status report, an empty Return-Path), and koe's own
 * mail (a Message-ID in koe's domain) coming back through a copy or a forward.
 */
export function whyNotAnInquiry(mail: IncomingMail, ownMessageIdDomain: string): string | null {
  const header = (name: string) => mail.headers.get(name)?.trim().toLowerCase();
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !/^no\b/.test(autoSubmitted)) return `Auto-Submitted: ${autoSubmitted}`;
  if (header('x-autoreply') || header('x-autorespond')) return 'an autoresponder (X-Autoreply)';
  const precedence = header('precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)\b/.test(precedence)) return `Precedence: ${precedence}`;
  if (mail.headers.has('list-id')) return 'a mailing list (List-Id)';
  if (mail.headers.has('list-unsubscribe')) return 'bulk mail (List-Unsubscribe)';
  const local = mail.from?.address.split('@')[0]?.toLowerCase();
  if (local === 'mailer-daemon' || local === 'postmaster') return `a bounce (from ${mail.from!.address})`;
  if (/multipart\/report/.test(header('content-type') ?? '')) return 'a delivery report (multipart/report)';
  if (header('return-path') === '<>') return 'a bounce (empty Return-Path)';
  if (mail.messageId.toLowerCase().endsWith(`@${ownMessageIdDomain.toLowerCase()}>`)) return "koe's own mail";
  return null;
}

/** Whether `address` is in one of the staff domains (or a subdomain of one). */
export function isStaffAddress(address: string | undefined, staffDomains: readonly string[]): boolean {
  if (!address) return false;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return staffDomains.some((d) => domain === d || domain.endsWith(`.${d}`));
}
