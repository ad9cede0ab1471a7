import type { ToolEvent, ToolMessage } from '../kit/events.ts';
import { arr, obj, str, timeOf } from '../kit/read.ts';
import { sameBytes } from '../kit/signatures.ts';
import type { WebhookRequest } from '../kit/connector.ts';

/**
 * Channel Talk's webhooks, as its developer docs describe them (developers.channel.io, "Webhook" >
 * "Getting started" and "Webhook events"):
 *
 * - Channel Talk posts to the URL set in Settings > Webhook with the webhook's token in the query:
 *   `POST https://<server>/<path>?token=<token>`. That token is the whole proof, so it is compared in
 *   constant time against CHANNEL_TALK_WEBHOOK_TOKEN, and a request without it is refused.
 * - A body is `{event, type, entity, refers}`. `type: "message"` (event `push`) carries a Message:
 *   `chatType` (`userChat` for a customer's chat, `group` for the team's), `chatId`, `personType`
 *   (`user`, `manager` or `bot`), `personId`, `id`, `plainText`/`blocks`, `createdAt` (ms), and, in
 *   `refers`, the `user`, `manager` and `userChat`. `type: "userChat"` carries a UserChat whose
 *   `state` is `opened`, `snoozed` or `closed`.
 *
 * Mapping: a user's message is the customer's (it opens the inquiry, then follows up); a manager's
 * is the team's answer, or an internal note when sent with the `private` option; a bot's (Channel
 * Talk's own automations, and koe's replies, which it sends as a bot acting as a manager) is left
 * out, so a reply koe sent is never recorded twice. A user chat closed resolves the inquiry, opened
 * reopens it; snoozed changes nothing.
 */

export function verifyChannelTalk(request: WebhookRequest, token: string): string | null {
  const given = request.url.searchParams.get('token');
  if (!given) return 'no token in the query (Channel Talk sends ?token=<the webhook token>)';
  if (!sameBytes(token, given)) return 'the token does not match CHANNEL_TALK_WEBHOOK_TOKEN';
  return null;
}

/** The user chat's page in Channel Talk's desk. */
export const deskLink = (channelId: string, chatId: string) =>
  `https://desk.channel.io/#/channels/${encodeURIComponent(channelId)}/user_chats/${encodeURIComponent(chatId)}`;

export function channelTalkEvents(payload: unknown, now: number): ToolEvent[] {
  const body = obj(payload);
  const type = str(body.type)?.toLowerCase();
  if (type === 'message') {
    const message = messageEvent(obj(body.entity), obj(body.refers), now);
    return message ? [message] : [];
  }
  if (type === 'userchat') {
    const chat = obj(body.entity);
    const id = str(chat.id);
    const state = str(chat.state);
    if (!id || (state !== 'closed' && state !== 'opened')) return [];
    const manager = obj(obj(body.refers).manager);
    const managerId = str(manager.id);
    return [
      {
        kind: 'status',
        conversationId: id,
        state: state === 'closed' ? 'closed' : 'open',
        actor: managerId ? { id: `manager:${managerId}`, name: str(manager.name) } : null,
      },
    ];
  }
  return [];
}

function messageEvent(
  entity: Record<string, unknown>,
  refers: Record<string, unknown>,
  now: number,
): ToolMessage | null {
  const chatId = str(entity.chatId);
  const id = str(entity.id);
  const person = str(entity.personType);
  if (str(entity.chatType) !== 'userChat' || !chatId || !id || (person !== 'user' && person !== 'manager')) return null;
  // koe's own reply, whatever person type Channel Talk gives a bot acting as a manager.
  if (str(entity.requestId)?.startsWith('koe-delivery-')) return null;
  const isPrivate = arr(entity.options).includes('private');
  const channelId = str(entity.channelId);
  return {
    kind: 'message',
    conversationId: chatId,
    messageId: id,
    from: person === 'user' ? 'customer' : isPrivate ? 'note' : 'staff',
    body: str(entity.plainText) ?? blocksText(entity.blocks),
    author: person === 'user' ? userOf(entity, refers) : managerOf(entity, refers),
    at: timeOf(entity.createdAt, 'ms', now),
    ...(channelId && { url: deskLink(channelId, chatId) }),
  };
}

function userOf(entity: Record<string, unknown>, refers: Record<string, unknown>) {
  const user = obj(refers.user);
  const profile = obj(user.profile);
  const id = str(user.id) ?? str(entity.personId) ?? 'unknown';
  return { id: `user:${id}`, name: str(user.name) ?? str(profile.name), email: str(profile.email) };
}

function managerOf(entity: Record<string, unknown>, refers: Record<string, unknown>) {
  const manager = obj(refers.manager);
  const id = str(manager.id) ?? str(entity.personId) ?? 'unknown';
  return { id: `manager:${id}`, name: str(manager.name) };
}

/** The text of a message's blocks when it has no `plainText` (text blocks, and bullets' text). */
function blocksText(blocks: unknown): string {
  return arr(blocks)
    .map((b) => {
      const block = obj(b);
      const nested = arr(block.blocks).length > 0 ? blocksText(block.blocks) : '';
      return str(block.value)?.replace(/<[^>]*>/g, '') ?? nested;
    })
    .filter(Boolean)
    .join('\n');
}
