import type { IntercomConfig } from '../../../config/connectors.ts';
import { PermanentDeliveryError } from '../../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../../types.ts';
import { messageKey } from '../kit/events.ts';
import { htmlToText, textToHtml } from '../kit/html-text.ts';
import { arr, obj, str } from '../kit/read.ts';
import { callTool } from '../kit/tool-api.ts';

/**
 * Replies through Intercom's REST API (developers.intercom.com, "Conversations" > "Reply to a
 * conversation" and "Retrieve a conversation"):
 *
 * - `POST /conversations/{id}/reply` with `{message_type: "comment", type: "admin", admin_id, body}`,
 *   a bearer access token and an `Intercom-Version` header; the answer is the conversation, whose
 *   last part is the reply. The body is HTML, so the reply's text is escaped into paragraphs.
 * - Intercom takes no idempotency key on a reply. After an attempt that may have landed,
 *   `findSentReply` reads the conversation (`GET /conversations/{id}`) for a comment by koe's admin,
 *   made since the attempt began, with the reply's text: that is the reply, and it is not sent again.
 */

export const INTERCOM_VERSION = '2.11';
/** Clocks differ: a part Intercom stamps up to this long before koe's attempt began still counts. */
const CLOCK_SKEW_MS = 60_000;

export function intercomReplySender(config: IntercomConfig): ReplySender {
  const headers = () => ({
    authorization: `Bearer ${config.accessToken.reveal()}`,
    'intercom-version': INTERCOM_VERSION,
  });
  const conversationUrl = (id: string) => `${config.apiUrl}/conversations/${encodeURIComponent(id)}`;
  return {
    paceMs: () => 0,
    async sendReply(req: ReplyDelivery): Promise<PostedMessage> {
      if (!req.channel) throw new PermanentDeliveryError('the inquiry has no Intercom conversation id');
      const answer = await callTool({
        tool: 'Intercom',
        method: 'POST',
        url: `${conversationUrl(req.channel)}/reply`,
        headers: headers(),
        json: { message_type: 'comment', type: 'admin', admin_id: config.adminId, body: textToHtml(req.message.body) },
      });
      const part = adminParts(answer, config.adminId).at(-1);
      const id = part && str(part.id);
      return { messageRef: id ? messageKey(`part:${id}`) : `intercom-delivery:${req.deliveryId}` };
    },
    async findSentReply(req): Promise<PostedMessage | null> {
      const answer = await callTool({
        tool: 'Intercom',
        method: 'GET',
        url: conversationUrl(req.channel),
        headers: headers(),
      });
      const since = req.sinceMs - CLOCK_SKEW_MS;
      const wanted = normalise(req.message.body);
      const found = adminParts(answer, config.adminId).find(
        (p) => Number(p.created_at) * 1000 >= since && normalise(htmlToText(str(p.body) ?? '')) === wanted,
      );
      const id = found && str(found.id);
      return id ? { messageRef: messageKey(`part:${id}`) } : null;
    },
  };
}

/** The conversation's comments by koe's admin, oldest first. */
function adminParts(conversation: unknown, adminId: string): Array<Record<string, unknown>> {
  return arr(obj(obj(conversation).conversation_parts).conversation_parts)
    .map(obj)
    .filter((p) => str(p.part_type) === 'comment' && str(obj(p.author).id) === adminId);
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
