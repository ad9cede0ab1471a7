import type { ToolEvent, ToolMessage, ToolPerson } from '../kit/events.ts';
import { htmlToText } from '../kit/html-text.ts';
import { arr, obj, str, timeOf } from '../kit/read.ts';
import { hmacMatches } from '../kit/signatures.ts';
import type { WebhookRequest } from '../kit/connector.ts';

/**
 * Intercom's webhooks, as its developer docs describe them (developers.intercom.com, "Webhooks" >
 * "Setting up webhooks" and "Webhook models"):
 *
 * - Every notification is signed: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body, keyed by
 *   the app's client secret>` (INTERCOM_CLIENT_SECRET). It is checked on the bytes as they arrived.
 * - A notification is `{type: "notification_event", topic, app_id, data: {item}}`; for the
 *   `conversation.*` topics the item is a Conversation: `id`, `state` (`open`, `closed`, `snoozed`),
 *   `created_at` (seconds), `source` (the message that started it: `id`, `subject`, `body` as HTML,
 *   `author {type, id, name, email}`), and `conversation_parts.conversation_parts`, the parts the
 *   notification is about (`id`, `part_type` (`comment`, `note`, `close`, `open`, …), `body`,
 *   `created_at`, `author {type: "admin" | "user" | "lead" | "bot", …}`). A `ping` topic tests the URL.
 *
 * Mapping: the source message by a user or lead opens the inquiry (idempotent on the conversation id
 * and the source's id); a user's or lead's comment follows up; an admin's comment is the team's
 * answer; a note is an internal note; bots' parts are left out. The conversation's state after the
 * notification resolves (closed) or reopens (open) the inquiry.
 */

export function verifyIntercom(request: WebhookRequest, clientSecret: string): string | null {
  const given = request.headers.get('x-hub-signature');
  if (!given) return 'no X-Hub-Signature header';
  if (!given.startsWith('sha1=')) return 'X-Hub-Signature is not sha1=<hex>';
  const ok = hmacMatches('sha1', clientSecret, [request.raw], given.slice('sha1='.length), 'hex');
  return ok ? null : 'X-Hub-Signature does not match the body signed with INTERCOM_CLIENT_SECRET';
}

const CUSTOMERS = new Set(['user', 'lead', 'contact']);

/** The conversation's page in Intercom's inbox, when the notification says which workspace. */
export const inboxLink = (appId: string, conversationId: string) =>
  `https://app.intercom.com/a/inbox/${encodeURIComponent(appId)}/inbox/conversation/${encodeURIComponent(conversationId)}`;

export function intercomEvents(payload: unknown, now: number): ToolEvent[] {
  const body = obj(payload);
  const item = obj(obj(body.data).item);
  const conversationId = str(item.id);
  if (!str(body.topic)?.startsWith('conversation.') || str(item.type) !== 'conversation' || !conversationId) return [];
  const appId = str(body.app_id);
  const url = appId ? inboxLink(appId, conversationId) : undefined;
  const events: ToolEvent[] = [];
  const first = sourceMessage(item, conversationId, now, url);
  if (first) events.push(first);
  for (const part of arr(obj(item.conversation_parts).conversation_parts).map(obj)) {
    const message = partMessage(part, conversationId, now);
    if (message) events.push(message);
  }
  const state = str(item.state);
  if (state === 'closed' || state === 'open') {
    events.push({ kind: 'status', conversationId, state: state === 'closed' ? 'closed' : 'open', actor: null });
  }
  return events;
}

function personOf(author: Record<string, unknown>): ToolPerson {
  const type = str(author.type) ?? 'unknown';
  return {
    id: `${CUSTOMERS.has(type) ? 'contact' : type}:${str(author.id) ?? 'unknown'}`,
    name: str(author.name),
    email: str(author.email),
  };
}

function sourceMessage(item: Record<string, unknown>, conversationId: string, now: number, url?: string) {
  const source = obj(item.source);
  const author = obj(source.author);
  const id = str(source.id);
  if (!id || !CUSTOMERS.has(str(author.type) ?? '')) return null;
  const subject = htmlToText(str(source.subject) ?? '');
  const message: ToolMessage = {
    kind: 'message',
    conversationId,
    messageId: `source:${id}`,
    from: 'customer',
    body: htmlToText(str(source.body) ?? ''),
    author: personOf(author),
    at: timeOf(item.created_at, 's', now),
    ...(url && { url }),
    ...(subject && { subject }),
  };
  return message;
}

function partMessage(part: Record<string, unknown>, conversationId: string, now: number): ToolMessage | null {
  const id = str(part.id);
  const kind = str(part.part_type);
  const author = obj(part.author);
  const type = str(author.type) ?? '';
  if (!id || (kind !== 'comment' && kind !== 'note') || type === 'bot') return null;
  const from = kind === 'note' ? 'note' : CUSTOMERS.has(type) ? 'customer' : type === 'admin' ? 'staff' : null;
  if (!from) return null;
  return {
    kind: 'message',
    conversationId,
    messageId: `part:${id}`,
    from,
    body: htmlToText(str(part.body) ?? ''),
    author: personOf(author),
    at: timeOf(part.created_at, 's', now),
  };
}
