import { createHmac } from 'node:crypto';
import { startToolServer, type ToolCall, type ToolServer } from '../tool-api-server.ts';

/**
 * A fake Intercom, written from its public developer docs (developers.intercom.com):
 *
 * - REST API with a bearer access token and an `Intercom-Version` header: `POST
 *   /conversations/{id}/reply` ("Reply to a conversation": `{message_type, type: "admin", admin_id,
 *   body}`, answered with the conversation, the new part last) and `GET /conversations/{id}`
 *   ("Retrieve a conversation").
 * - Webhooks ("Webhooks" > "Webhook models"): a `notification_event` with `topic`, `app_id` and
 *   `data.item` (a Conversation with `source` and `conversation_parts`), signed as the docs say:
 *   `X-Hub-Signature: sha1=<hex HMAC-SHA1(client secret, raw body)>`.
 */

export const IC_TOKEN = 'ic-access-token-0123';
export const IC_CLIENT_SECRET = 'ic-client-secret-4567';
export const IC_ADMIN = '814860';
export const IC_APP = 'abc123de';

export interface IcPart {
  type: 'conversation_part';
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  author: { type: string; id: string; name?: string; email?: string };
}

export interface IcConversation {
  type: 'conversation';
  id: string;
  created_at: number;
  state: 'open' | 'closed' | 'snoozed';
  open: boolean;
  source: {
    type: 'conversation';
    id: string;
    delivered_as: string;
    subject: string;
    body: string;
    author: IcPart['author'];
  };
  contacts: { type: 'contact.list'; contacts: Array<{ type: 'contact'; id: string }> };
  conversation_parts: { type: 'conversation_part.list'; conversation_parts: IcPart[]; total_count: number };
}

export interface FakeIntercom {
  api: ToolServer;
  conversations: Map<string, IcConversation>;
  replies(): ToolCall[];
  close(): Promise<void>;
}

let next = 1000;
export const icId = () => String(next++);
const seconds = () => Math.floor(Date.now() / 1000);

export async function startFakeIntercom(): Promise<FakeIntercom> {
  const conversations = new Map<string, IcConversation>();
  const api = await startToolServer((call) => {
    if (call.headers.authorization !== `Bearer ${IC_TOKEN}`) {
      return {
        status: 401,
        json: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] },
      };
    }
    const match = /^\/conversations\/([^/]+)(\/reply)?$/.exec(call.path);
    const conversation = match && conversations.get(match[1]!);
    if (!match) return null;
    if (!conversation) return { status: 404, json: { type: 'error.list', errors: [{ code: 'not_found' }] } };
    if (call.method === 'GET' && !match[2]) return { status: 200, json: conversation };
    const body = call.json ?? {};
    if (body.type !== 'admin' || body.message_type !== 'comment' || !body.admin_id || !body.body) {
      return { status: 400, json: { type: 'error.list', errors: [{ code: 'parameter_invalid' }] } };
    }
    const part: IcPart = {
      type: 'conversation_part',
      id: icId(),
      part_type: 'comment',
      body: body.body,
      created_at: seconds(),
      author: { type: 'admin', id: String(body.admin_id), name: 'koe' },
    };
    conversation.conversation_parts.conversation_parts.push(part);
    conversation.conversation_parts.total_count++;
    return { status: 200, json: conversation };
  });
  return {
    api,
    conversations,
    replies: () => api.calls.filter((c) => c.method === 'POST'),
    close: () => api.close(),
  };
}

export const contact = { type: 'user', id: '5bc8f7421ae2d96695c18a', name: '鈴木 一郎', email: 'ichiro@example.com' };

/** A conversation a contact started (stored in the fake), as `conversation.user.created` carries it. */
export function startConversation(fake: FakeIntercom, text: string, subject = ''): IcConversation {
  const conversation: IcConversation = {
    type: 'conversation',
    id: icId(),
    created_at: seconds(),
    state: 'open',
    open: true,
    source: {
      type: 'conversation',
      id: icId(),
      delivered_as: 'customer_initiated',
      subject,
      body: `<p>${text}</p>`,
      author: contact,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contact.id }] },
    conversation_parts: { type: 'conversation_part.list', conversation_parts: [], total_count: 0 },
  };
  fake.conversations.set(conversation.id, conversation);
  return conversation;
}

/** Adds a part (a contact's or an admin's comment, a note, a close) and returns it. */
export function addPart(
  fake: FakeIntercom,
  conversationId: string,
  part: Omit<IcPart, 'type' | 'id' | 'created_at'>,
): IcPart {
  const conversation = fake.conversations.get(conversationId)!;
  const full: IcPart = { type: 'conversation_part', id: icId(), created_at: seconds(), ...part };
  conversation.conversation_parts.conversation_parts.push(full);
  conversation.conversation_parts.total_count++;
  if (part.part_type === 'close') conversation.state = 'closed';
  if (part.part_type === 'open') conversation.state = 'open';
  conversation.open = conversation.state === 'open';
  return full;
}

/** A notification as Intercom sends it: the conversation with only the parts the topic is about. */
export function notification(topic: string, conversation: IcConversation, parts: IcPart[] = []) {
  return {
    type: 'notification_event',
    app_id: IC_APP,
    data: {
      type: 'notification_event_data',
      item: {
        ...conversation,
        conversation_parts: { type: 'conversation_part.list', conversation_parts: parts, total_count: parts.length },
      },
    },
    links: {},
    id: `notif_${icId()}`,
    topic,
    delivery_status: 'pending',
    delivery_attempts: 1,
    created_at: seconds(),
    first_sent_at: seconds(),
  };
}

/** Posts a notification to koe signed as Intercom signs it (or with `secret`, to forge one). */
export function deliverWebhook(
  koeUrl: string,
  payload: unknown,
  secret: string | null = IC_CLIENT_SECRET,
): Promise<Response> {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Intercom-Webhooks' };
  if (secret !== null) headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
  return fetch(`${koeUrl}/webhooks/intercom`, { method: 'POST', headers, body });
}
