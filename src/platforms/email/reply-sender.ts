import { ImapFlow } from 'imapflow';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { EmailConfig } from '../../config/email-config.ts';
import type { ReadModel } from '../../core/ports/read-model.ts';
import type { Locale } from '../../core/reasons/taxonomy.ts';
import type { Logger } from '../../lib/logger.ts';
import { PermanentDeliveryError } from '../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../types.ts';
import { conversationIds, mailOptions, replyMessageId, replySubject, replyText } from './compose.ts';

/**
 * Replies to mail inquiries and contact-form inquiries, over SMTP (platform `email`; the outbox row's
 * channel is the inquiry). A form inquiry is answered at the address the customer typed in the form.
 *
 * A 5xx answer is the server refusing this mail for good (an address that does not exist, a
 * message it will not take): the reply fails at once with the server's words, shown in the
 * mirror's thread. A 4xx answer (greylisting, a full queue) and a network failure are retried.
 *
 * Exactly once: each reply's Message-ID is fixed by its delivery (compose.ts). After an attempt that
 * may have landed (koe was killed while the server held the answer), `findSentReply` looks for that
 * Message-ID in the Sent folder over IMAP (`email.sent.folder`): Gmail files what its SMTP accepted
 * there itself, and with `email.sent.save` koe appends a copy once the server accepted the mail.
 * Without a Sent folder koe sends again, with the same Message-ID, which mail clients show once.
 */

export interface EmailReplySender extends ReplySender {
  /** Logs in to the SMTP server (at start): throws what nodemailer threw. */
  verify(): Promise<void>;
  close(): void;
  /** Sends a mail koe writes on its own (the acknowledgement), with the same refusals as a reply. */
  sendMail(options: SendMailOptions): Promise<void>;
}

/** How much of a server's refusal becomes the reply's error (shown to staff). */
const REASON_CHARS = 300;

export function createEmailReplySender(options: {
  email: EmailConfig;
  read: ReadModel;
  locale: Locale;
  log: Logger;
}): EmailReplySender {
  const { email, read, locale, log } = options;
  const smtp = email.smtp!;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: { user: smtp.user, pass: smtp.password.reveal() },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  const messageIdOf = (req: ReplyDelivery) =>
    replyMessageId(email, req.deliveryId, req.message.id, req.message.createdAt);

  async function send(mail: SendMailOptions): Promise<Buffer> {
    const raw = await new MailComposer(mail).compile().build();
    const to = String(mail.to);
    try {
      await transport.sendMail({ envelope: { from: email.from!.address, to }, raw });
    } catch (error) {
      throw smtpFailure(error);
    }
    if (email.sent?.save) {
      // After the server took it: a copy that failed to save only costs the look-up after a crash.
      await appendToSent(email, raw).catch((error) =>
        log.warn({ err: error, folder: email.sent?.folder }, 'email: could not save a copy in the Sent folder'),
      );
    }
    return raw;
  }

  return {
    // Each inquiry is its own channel and servers publish no per-recipient pace: no gap is kept.
    paceMs: () => 0,
    verify: async () => {
      await transport.verify();
    },
    close: () => transport.close(),
    sendMail: async (mail) => {
      await send(mail);
    },
    async sendReply(req): Promise<PostedMessage> {
      const to = replyAddress(req);
      if (!to) throw new PermanentDeliveryError('the inquiry has no address to answer (its mail had no From)');
      const detail = read.inquiryDetail(req.view.inquiry.id);
      const messageId = messageIdOf(req);
      // An inquiry from the contact form has no mail to answer until the customer writes back: the
      // first reply is a new mail (no In-Reply-To, no `Re:`), which the subject's token threads.
      const thread = conversationIds(detail ?? { inquiry: req.view.inquiry, messages: [] });
      const { subject, id } = req.view.inquiry;
      const mail = mailOptions({
        email,
        to,
        subject: replySubject(subject, id, locale, thread.inReplyTo !== null),
        text: replyText(req.message.body, email, locale),
        messageId,
        thread,
        headers: { 'X-Koe-Delivery': String(req.deliveryId) },
      });
      // Ids only: the body is the customer's conversation.
      log.debug({ deliveryId: req.deliveryId, inquiryId: req.view.inquiry.id }, 'email: sending a reply');
      await send(mail);
      return { messageRef: messageId };
    },
    async findSentReply(req) {
      if (!email.sent) return null;
      const messageId = messageIdOf(req);
      return (await inSentFolder(email, messageId)) ? { messageRef: messageId } : null;
    },
  };
}

/** Where the customer asked answers to go (Reply-To, kept in the inquiry's metadata), else their From. */
function replyAddress(req: ReplyDelivery): string | null {
  const meta = req.view.inquiry.metadata?.email as { replyTo?: unknown } | undefined;
  if (typeof meta?.replyTo === 'string' && meta.replyTo) return meta.replyTo;
  return req.view.customer?.email ?? null;
}

/** A 5xx answer fails the reply for good with the server's words; anything else is retried. */
export function smtpFailure(error: unknown): Error {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const said = (e.response ?? e.message ?? String(error)).replace(/\s+/g, ' ').trim().slice(0, REASON_CHARS);
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return new PermanentDeliveryError(`the mail server refused the reply: ${said}`);
  }
  if (e.code === 'EENVELOPE' && e.responseCode === undefined) {
    return new PermanentDeliveryError(`the reply has no valid recipient: ${said}`);
  }
  if (typeof e.responseCode === 'number') return new Error(`the mail server answered ${said}; trying again`);
  return new Error(`the mail server could not be reached (${e.code ?? said})`);
}

async function withImap<T>(email: EmailConfig, use: (imap: ImapFlow) => Promise<T>): Promise<T> {
  const imap = new ImapFlow({
    host: email.imap.host,
    port: email.imap.port,
    secure: email.imap.secure,
    auth: { user: email.imap.user, pass: email.imap.password.reveal() },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
  });
  imap.on('error', () => {});
  await imap.connect();
  try {
    return await use(imap);
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}

/** Whether a mail with `messageId` is in the Sent folder. Throws when the server cannot be asked (retried). */
export async function inSentFolder(email: EmailConfig, messageId: string): Promise<boolean> {
  return withImap(email, async (imap) => {
    await imap.mailboxOpen(email.sent!.folder, { readOnly: true });
    const found = await imap.search({ header: { 'message-id': messageId } }, { uid: true });
    return Array.isArray(found) && found.length > 0;
  });
}

async function appendToSent(email: EmailConfig, raw: Buffer): Promise<void> {
  await withImap(email, async (imap) => {
    await imap.append(email.sent!.folder, raw, ['\\Seen']);
  });
}
