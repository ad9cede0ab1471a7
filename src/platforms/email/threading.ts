import { EMAIL_SOURCE } from '../../config/email-config.ts';
import type { ReadModel } from '../../core/ports/read-model.ts';
import { CONTACT_FORM_SOURCE } from '../../core/surfaces.ts';
import type { IncomingMail } from './read-mail.ts';

/**
 * The sources whose inquiries are answered by mail, so whose conversation a mail can continue: mail,
 * and the contact form (koe's first answer to it is a new mail the customer may reply to).
 */
const BY_MAIL: readonly string[] = [EMAIL_SOURCE, CONTACT_FORM_SOURCE];

/** `[#123]` in a subject: the token koe puts in every reply's subject. */
const SUBJECT_TOKEN = /\[#(\d{1,9})\]/;

/**
 * The inquiry a mail continues, or null for a new one. First by its headers: In-Reply-To and
 * References name a Message-ID koe knows (the mail that opened an inquiry, a follow-up, or a reply
 * koe sent, whose Message-ID it recorded). Else by a `[#123]` token in the subject, for a customer
 * who wrote a new mail and kept the number; but only into a mail or form inquiry of the same customer (or
 * from staff), since anyone can type a number into a subject.
 */
export function inquiryOfMail(read: ReadModel, mail: IncomingMail, staff: boolean): number | null {
  for (const id of mail.answers) {
    for (const source of BY_MAIL) {
      const hit = read.inquiryForSourceMessage(source, id);
      if (hit !== null) return hit;
    }
  }
  const token = SUBJECT_TOKEN.exec(mail.subject);
  if (!token) return null;
  const detail = read.inquiryDetail(Number(token[1]));
  if (!detail || !BY_MAIL.includes(detail.inquiry.source)) return null;
  const sender = mail.from?.address.toLowerCase();
  const customer = detail.customer?.email?.toLowerCase() ?? detail.customer?.key.replace(/^email:/, '');
  return staff || (sender !== undefined && sender === customer) ? detail.inquiry.id : null;
}
