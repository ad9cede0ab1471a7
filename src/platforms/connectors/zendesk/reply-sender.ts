import type { ZendeskConfig } from '../../../config/connectors.ts';
import { PermanentDeliveryError } from '../../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../../types.ts';
import { messageKey } from '../kit/events.ts';
import { arr, obj, str } from '../kit/read.ts';
import { callTool } from '../kit/tool-api.ts';
import { authHeader } from './tickets.ts';

/**
 * Replies through Zendesk's Tickets API (developer.zendesk.com, "Tickets" > "Update ticket",
 * "Setting metadata", and "Ticket Audits" > "List audits for a ticket"):
 *
 * - `PUT /api/v2/tickets/{id}.json` with `{ticket: {comment: {body, public: true}, metadata}}`, basic
 *   auth as `{email}/token:{api token}`; the answer's `audit.events` holds the new `Comment` and its id.
 *   The comment's body is plain text, so the reply goes as typed.
 * - The update's `metadata` is kept on its audit (`audit.metadata.custom`). koe puts its delivery id
 *   there, and after an attempt that may have landed `findSentReply` lists the ticket's audits
 *   (newest first) for it, so a reply is one comment across a kill -9.
 */

export function zendeskReplySender(config: ZendeskConfig): ReplySender {
  const headers = () => ({ authorization: authHeader(config) });
  const ticketUrl = (id: string) => `${config.apiUrl}/api/v2/tickets/${encodeURIComponent(id)}`;
  return {
    paceMs: () => 0,
    async sendReply(req: ReplyDelivery): Promise<PostedMessage> {
      if (!/^\d+$/.test(req.channel)) throw new PermanentDeliveryError(`"${req.channel}" is not a Zendesk ticket id`);
      const answer = await callTool({
        tool: 'Zendesk',
        method: 'PUT',
        url: `${ticketUrl(req.channel)}.json`,
        headers: headers(),
        json: {
          ticket: {
            comment: { body: req.message.body, public: true },
            metadata: { koe_delivery: String(req.deliveryId) },
          },
        },
      });
      const id = commentIdOf(obj(obj(answer).audit));
      return { messageRef: id ? messageKey(id) : `zendesk-delivery:${req.deliveryId}` };
    },
    async findSentReply(req): Promise<PostedMessage | null> {
      if (!/^\d+$/.test(req.channel)) return null;
      const answer = await callTool({
        tool: 'Zendesk',
        method: 'GET',
        url: `${ticketUrl(req.channel)}/audits.json?sort_order=desc`,
        headers: headers(),
      });
      const wanted = String(req.deliveryId);
      const audit = arr(obj(answer).audits)
        .map(obj)
        .find((a) => str(obj(obj(a.metadata).custom).koe_delivery) === wanted);
      const id = audit && commentIdOf(audit);
      return id ? { messageRef: messageKey(id) } : null;
    },
  };
}

/** The id of the comment an audit added. */
function commentIdOf(audit: Record<string, unknown>): string | null {
  const comment = arr(audit.events)
    .map(obj)
    .find((e) => str(e.type) === 'Comment');
  return comment ? str(comment.id) : null;
}
