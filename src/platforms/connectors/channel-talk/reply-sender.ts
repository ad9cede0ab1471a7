import type { ChannelTalkConfig } from '../../../config/connectors.ts';
import { PermanentDeliveryError } from '../../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../../types.ts';
import { messageKey } from '../kit/events.ts';
import { escapeHtml } from '../kit/html-text.ts';
import { arr, obj, str } from '../kit/read.ts';
import { callTool } from '../kit/tool-api.ts';

/**
 * Replies through Channel Talk's Open API v5 (developers.channel.io, "UserChat" > "Send a message to
 * a UserChat" and "Get a UserChat's messages"):
 *
 * - `POST /open/v5/user-chats/{userChatId}/messages?botName=<name>`, authenticated with the
 *   `x-access-key` and `x-access-secret` headers, body `{blocks: [{type: "text", value}], options}`.
 *   The option `actAsManager` makes the message count as a manager's answer in the chat. A text
 *   block's value takes a few tags (`<b>`, `<link>`), so the reply is escaped to show as typed.
 * - Every message carries a `requestId`; koe sets it to `koe-delivery-<id>`, and after an attempt
 *   that may have landed (a crash, a timeout) `findSentReply` reads the chat's latest messages
 *   (`GET …/messages?sortOrder=desc&limit=…`) for it, so a reply is sent once across a kill -9.
 */

/** How many of the chat's latest messages the look-up reads (the API's limit is 500). */
const LOOK_BACK = 100;

const requestIdOf = (deliveryId: number) => `koe-delivery-${deliveryId}`;

export function channelTalkReplySender(config: ChannelTalkConfig): ReplySender {
  const headers = () => ({
    'x-access-key': config.accessKey.reveal(),
    'x-access-secret': config.accessSecret.reveal(),
  });
  const chatUrl = (chatId: string) => `${config.apiUrl}/open/v5/user-chats/${encodeURIComponent(chatId)}/messages`;
  return {
    paceMs: () => 0,
    async sendReply(req: ReplyDelivery): Promise<PostedMessage> {
      if (!req.channel) throw new PermanentDeliveryError('the inquiry has no Channel Talk user chat id');
      const answer = await callTool({
        tool: 'Channel Talk',
        method: 'POST',
        url: `${chatUrl(req.channel)}?botName=${encodeURIComponent(config.botName)}`,
        headers: headers(),
        json: {
          blocks: [{ type: 'text', value: escapeHtml(req.message.body) }],
          options: ['actAsManager'],
          requestId: requestIdOf(req.deliveryId),
        },
      });
      const id = str(obj(obj(answer).message).id);
      return { messageRef: id ? messageKey(id) : requestIdOf(req.deliveryId) };
    },
    async findSentReply(req): Promise<PostedMessage | null> {
      const answer = await callTool({
        tool: 'Channel Talk',
        method: 'GET',
        url: `${chatUrl(req.channel)}?sortOrder=desc&limit=${LOOK_BACK}`,
        headers: headers(),
      });
      const wanted = requestIdOf(req.deliveryId);
      const found = arr(obj(answer).messages)
        .map(obj)
        .find((m) => str(m.requestId) === wanted);
      const id = found && str(found.id);
      return id ? { messageRef: messageKey(id) } : null;
    },
  };
}
