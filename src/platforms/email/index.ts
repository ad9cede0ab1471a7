import type { EmailConfig } from '../../config/email-config.ts';
import { inquirySla } from '../../core/sla/inquiry-sla.ts';
import type { PlatformDeps } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { mailOptions, replySubject } from './compose.ts';
import { takeInMail } from './intake.ts';
import { createMailboxReader, type MailboxReader } from './mailbox.ts';
import { readMail, type IncomingMail } from './read-mail.ts';
import { createEmailReplySender, type EmailReplySender } from './reply-sender.ts';
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
    ? createEmailReplySender({ email, read: deps.read, locale: deps.render.locale, log })
    : undefined;
  const acks = new Set<Promise<void>>();

  async function takeIn(source: Buffer, arrivedAt: number | null): Promise<void> {
    const mail = await readMail(source);
    const outcome = takeInMail(deps, email, mail, arrivedAt);
    // Ids and reasons only: addresses and text are the customer's.
    if (outcome.kind === 'ignored') log.info({ why: outcome.why }, 'email: a mail left alone');
    else log.info({ ...outcome }, 'email: mail taken in');
    if (outcome.kind === 'inquiry' && outcome.created && email.acknowledge && replies) {
      const sending = acknowledge(deps, email, replies, mail, outcome.inquiryId).finally(() => acks.delete(sending));
      acks.add(sending);
    }
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
      await Promise.allSettled(acks);
      replies?.close();
    },
  };
}

/**
 * The acknowledgement of a new inquiry: its number and the promised answer time, by return. At most
 * once per inquiry and once an hour per address (the inbound ledger records it before it is sent, so
 * a crash loses one rather than sending two), marked Auto-Submitted so the customer's autoresponder
 * does not answer it. It does not go through the outbox, which has no kind for it yet, and it is no
 * response: first-response time is untouched.
 */
async function acknowledge(
  deps: PlatformDeps,
  email: EmailConfig,
  replies: EmailReplySender,
  mail: IncomingMail,
  inquiryId: number,
): Promise<void> {
  const to = mail.replyTo;
  // Once per inquiry, and once an hour per address: a sender that writes in a loop gets one.
  const hour = Math.floor(deps.ctx.now() / 3_600_000);
  if (!to || !deps.ledger.claim(`email-ack:${inquiryId}`)) return;
  deps.ledger.prune('email-ack-to:', 2 * 3_600_000);
  if (!deps.ledger.claim(`email-ack-to:${to.toLowerCase()}:${hour}`)) return;
  const words = wordsFor(deps.render.locale).mail;
  const subject = words.acknowledgementSubject({
    id: inquiryId,
    subject: replySubject(mail.subject, inquiryId, deps.render.locale)
      .replace(/^Re: /, '')
      .replace(/ \[#\d+\]$/, ''),
  });
  const customer = mail.from?.name ?? mail.from?.address ?? '';
  const due = promisedBy(deps, inquiryId);
  try {
    await replies.sendMail(
      mailOptions({
        email,
        to,
        subject,
        text: `${words.acknowledgementBody({ id: inquiryId, customer, due })}\n`,
        messageId: `<koe.ack.${inquiryId}.${deps.ctx.now().toString(36)}@${email.messageIdDomain}>`,
        thread: { inReplyTo: mail.messageId, references: [mail.messageId] },
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    deps.log.info({ inquiryId }, 'email: acknowledgement sent');
  } catch (error) {
    deps.log.warn({ err: error, inquiryId }, 'email: could not send the acknowledgement');
  }
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
