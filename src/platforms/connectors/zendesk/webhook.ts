import type { WebhookRequest } from '../kit/connector.ts';
import { obj, str } from '../kit/read.ts';
import { hmacMatches } from '../kit/signatures.ts';

/**
 * Zendesk's webhooks, as its developer docs describe them (developer.zendesk.com, "Webhooks" >
 * "Verifying webhook authenticity"): every request carries `X-Zendesk-Webhook-Signature` and
 * `X-Zendesk-Webhook-Signature-Timestamp`, and the signature is
 * `base64(HMAC-SHA256(signing secret, timestamp + raw body))`. The signing secret is shown in Admin
 * Center on the webhook's page (ZENDESK_WEBHOOK_SECRET).
 *
 * koe's webhook is connected to a trigger (ticket created or updated) whose JSON body names the
 * ticket: `{"ticket_id": "{{ticket.id}}"}` (the README gives it). koe then reads the ticket and its
 * comments through the Tickets API (zendesk/tickets.ts), where each comment carries its id, author and
 * `public` flag: a trigger placeholder cannot say which comment is new, the API can. A webhook from
 * an event subscription (`detail.id` names the ticket) is read the same way.
 */

export function verifyZendesk(request: WebhookRequest, secret: string): string | null {
  const signature = request.headers.get('x-zendesk-webhook-signature');
  const timestamp = request.headers.get('x-zendesk-webhook-signature-timestamp');
  if (!signature) return 'no X-Zendesk-Webhook-Signature header';
  if (!timestamp) return 'no X-Zendesk-Webhook-Signature-Timestamp header';
  const ok = hmacMatches('sha256', secret, [timestamp, request.raw], signature, 'base64');
  return ok ? null : 'X-Zendesk-Webhook-Signature does not match timestamp + body signed with ZENDESK_WEBHOOK_SECRET';
}

/** The ticket a verified webhook is about, or null when it names none. */
export function ticketIdOf(payload: unknown): string | null {
  const body = obj(payload);
  const id = str(body.ticket_id) ?? str(obj(body.ticket).id) ?? str(obj(body.detail).id);
  return id && /^\d+$/.test(id.trim()) ? id.trim() : null;
}
