import type { EmailConfig } from '../../config/email-config.ts';
import { inquirySla } from '../../core/sla/inquiry-sla.ts';
import { PermanentDeliveryError } from '../delivery-errors.ts';
import type { AcknowledgementDelivery, PlatformDeps } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { mailOptions, replySubject } from './compose.ts';
import { takeInMail } from './intake.ts';
import { createMailboxReader, type MailboxReader } from './mailbox.ts';
import { readMail } from './read-mail.ts';
import { createEmailReplySender, type EmailReplySender, inSentFolder } from './reply-sender.ts';
import { smtpRefusal } from './start-errors.ts';

/**
 * Email as a customer channel: the support mailbox read over IMAP (mailbox.ts → intake.ts) and
 * answers sent over SMTP (reply-sender.ts, the `email` ReplySender). Not a team surface: it posts
 * nothing to staff itself; its inquiries are mirrored like any other.
 */
export interface EmailChannel {
  /** Absent without `email.smtp`: the mailbox is read, and replies to it are refused (no way back). */
  replies?: EmailReplySender;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads the mailbox now (tests). */
  check(): Promise<void>;
}

export interface EmailChannelOptions {
  /** Waits between IMAP reconnects, for tests. */
  reconnectDelaysMs?: readonly number[];
}

export function createEmailChannel(deps: PlatformDeps, options: EmailChannelOptions = {}): EmailChannel {
  const email = deps.config.email!;
  const { log } = deps;
  const replies = email.smtp
    ? withAcknowledgements(
        deps,
        email,
        createEmailReplySender({ email, read: deps.read, locale: deps.render.locale, log }),
      )
    : undefined;

  async function takeIn(source: Buffer, arrivedAt: number | null): Promise<void> {
    const mail = await readMail(source);
    const outcome = takeInMail(deps, email, mail, arrivedAt);
    // Ids and reasons only: addresses and text are the customer's.
    if (outcome.kind === 'ignored') log.info({ why: outcome.why }, 'email: a mail left alone');
    else log.info({ ...outcome }, 'email: mail taken in');
  }

  const reader: MailboxReader = createMailboxReader({
    email,
    cursors: deps.cursors,
    log,
    now: deps.ctx.now,
    takeIn,
    ...(options.reconnectDelaysMs && { reconnectDelaysMs: options.reconnectDelaysMs }),
  });

  return {
    ...(replies && { replies }),
    check: () => reader.check(),
    async start() {
      await reader.start();
      if (!replies) return;
      try {
        await replies.verify();
      } catch (error) {
        const refusal = smtpRefusal(error, email);
        if (refusal) {
          await reader.stop();
          throw refusal;
        }
        // Unreachable now is no reason not to read mail; replies wait in the outbox meanwhile.
        log.warn({ err: error, host: email.smtp?.host }, 'email: the SMTP server cannot be reached now; replies wait');
      }
    },
    async stop() {
      await reader.stop();
      replies?.close();
    },
  };
}

/**
 * The acknowledgement of a new inquiry (the outbox's `acknowledge` kind, queued with the inquiry by
 * acknowledge-target.ts): its number and the promised answer time, by return, marked Auto-Submitted
 * so the customer's autoresponder does not answer it. Its Message-ID is fixed by the delivery, so
 * after a crash koe finds it in the Sent folder as it finds replies. It is no response:
 * first-response time is untouched.
 */
function withAcknowledgements(deps: PlatformDeps, email: EmailConfig, replies: EmailReplySender): EmailReplySender {
  const messageIdOf = (req: AcknowledgementDelivery) =>
    `<koe.ack.${req.deliveryId}.${req.view.inquiry.id}@${email.messageIdDomain}>`;
  return {
    ...replies,
    async sendAcknowledgement(req) {
      const { inquiry, customer } = req.view;
      const to = (inquiry.metadata?.email as { replyTo?: unknown } | undefined)?.replyTo;
      if (typeof to !== 'string' || !to) throw new PermanentDeliveryError('the inquiry has no address to acknowledge');
      const words = wordsFor(deps.render.locale).mail;
      const subject = words.acknowledgementSubject({
        id: inquiry.id,
        subject: replySubject(inquiry.subject, inquiry.id, deps.render.locale, false).replace(/ \[#\d+\]$/, ''),
      });
      const due = promisedBy(deps, inquiry.id);
      const name = customer?.name ?? customer?.email ?? to;
      const messageId = messageIdOf(req);
      const first = inquiry.externalId;
      await replies.sendMail(
        mailOptions({
          email,
          to,
          subject,
          text: `${words.acknowledgementBody({ id: inquiry.id, customer: name, due })}\n`,
          messageId,
          thread: first ? { inReplyTo: first, references: [first] } : { inReplyTo: null, references: [] },
          headers: { 'Auto-Submitted': 'auto-replied', 'X-Koe-Delivery': String(req.deliveryId) },
        }),
      );
      deps.log.info({ inquiryId: inquiry.id }, 'email: acknowledgement sent');
      return { messageRef: messageId };
    },
    async findSentAcknowledgement(req) {
      if (!email.sent) return null;
      const messageId = messageIdOf(req);
      return (await inSentFolder(email, messageId)) ? { messageRef: messageId } : null;
    },
  };
}

/** When the team promises a first answer (the SLA's business clock), as the customer reads it; null without an SLA. */
function promisedBy(deps: PlatformDeps, inquiryId: number): string | null {
  const inquiry = deps.read.inquiryDetail(inquiryId)?.inquiry;
  if (!deps.ctx.sla || !inquiry) return null;
  const clock = { ...inquiry, firstResponseAt: null, resolvedAt: null };
  const { firstResponseDueAt } = inquirySla(deps.ctx.sla, clock, deps.ctx.now());
  const { locale, timezone } = deps.render;
  return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    timeZone: timezone,
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(firstResponseDueAt));
}
