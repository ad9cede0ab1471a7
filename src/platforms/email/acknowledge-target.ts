import { EMAIL_SOURCE, type EmailConfig } from '../../config/email-config.ts';
import type { ReplyTarget } from '../../core/context.ts';
import type { Inquiry } from '../../core/inquiries/types.ts';
import type { InboundLedger } from '../../core/ports/inbound-ledger.ts';

const HOUR_MS = 3_600_000;

/**
 * Which new inquiries get an acknowledgement (`email.acknowledge`): the core asks inside
 * createInquiry's transaction, so the `acknowledge` row commits with the inquiry (or not at all) and
 * goes through the outbox, exactly once across a crash. A mail inquiry only, to the address its mail
 * asked answers to go (Reply-To, else From), and once an hour per address: the ledger's claim runs
 * on the same database in the same transaction, so a sender writing in a loop gets one, and a
 * rolled-back inquiry claims nothing. Mail koe must not answer (auto-replies, bounces) never opens
 * an inquiry, so it never gets here.
 */
export function acknowledgementTargetOf(
  email: EmailConfig,
  ledger: InboundLedger,
  now: () => number,
): (inquiry: Inquiry) => ReplyTarget | null {
  return (inquiry) => {
    if (inquiry.source !== EMAIL_SOURCE || !email.acknowledge || !email.smtp) return null;
    const meta = inquiry.metadata?.email as { replyTo?: unknown } | undefined;
    if (typeof meta?.replyTo !== 'string' || !meta.replyTo) return null;
    ledger.prune('email-ack-to:', 2 * HOUR_MS);
    const hour = Math.floor(now() / HOUR_MS);
    if (!ledger.claim(`email-ack-to:${meta.replyTo.toLowerCase()}:${hour}`)) return null;
    return { platform: 'email', channel: String(inquiry.id) };
  };
}
