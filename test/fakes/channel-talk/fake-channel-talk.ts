import { startToolServer, type ToolCall, type ToolServer } from '../tool-api-server.ts';

/**
 * A fake Channel Talk, written from its public developer docs (developers.channel.io):
 *
 * - Open API v5, authenticated with the `x-access-key` and `x-access-secret` headers:
 *   `POST /open/v5/user-chats/{userChatId}/messages?botName=…` ("Send a message to a UserChat",
 *   body `{blocks, options, requestId}`, answered `{message}`) and
 *   `GET /open/v5/user-chats/{userChatId}/messages?sortOrder=desc&limit=…` ("Get a UserChat's
 *   messages", answered `{messages}`).
 * - Webhooks ("Webhook" > "Getting started", "Webhook events"): a POST to the configured URL with
 *   `?token=<the webhook token>` and a body `{event, type, entity, refers}` shaped like the docs'
 *   examples: `type: "message"` with a Message entity, `type: "userChat"` with a UserChat.
 */

export const CT_KEY = 'ct-access-key-0123';
export const CT_SECRET = 'ct-access-secret-4567';
export const CT_TOKEN = 'ct-webhook-token-89ab';
export const CHANNEL_ID = '97511';

export interface CtMessage {
  chatKey: string;
  id: string;
  channelId: string;
  chatType: 'userChat';
  chatId: string;
  personType: 'user' | 'manager' | 'bot';
  personId: string;
  requestId?: string;
  createdAt: number;
  blocks: Array<{ type: string; value: string }>;
  plainText: string;
  options?: string[];
}

export interface FakeChannelTalk {
  api: ToolServer;
  /** Each user chat's messages, as Channel Talk holds them. */
  chats: Map<string, CtMessage[]>;
  /** The calls that sent a message (koe's replies). */
  sends(): ToolCall[];
  close(): Promise<void>;
}

let nextId = 1;
export const ctId = (prefix: string) => `${prefix}${(nextId++).toString(16).padStart(8, '0')}`;

const unescapeText = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export async function startFakeChannelTalk(): Promise<FakeChannelTalk> {
  const chats = new Map<string, CtMessage[]>();
  const path = /^\/open\/v5\/user-chats\/([^/]+)\/messages$/;
  const api = await startToolServer((call) => {
    if (call.headers['x-access-key'] !== CT_KEY || call.headers['x-access-secret'] !== CT_SECRET) {
      return { status: 401, json: { type: 'unauthorized', message: 'invalid access key' } };
    }
    const chatId = path.exec(call.path)?.[1];
    if (!chatId) return null;
    const messages = chats.get(chatId);
    if (!messages) return { status: 404, json: { type: 'notFound', message: 'userChat not found' } };
    if (call.method === 'GET') {
      const limit = Number(call.query.get('limit') ?? 25);
      const sorted = call.query.get('sortOrder') === 'asc' ? [...messages] : [...messages].reverse();
      return { status: 200, json: { messages: sorted.slice(0, limit) } };
    }
    const blocks = call.json?.blocks as CtMessage['blocks'] | undefined;
    if (call.method !== 'POST' || !Array.isArray(blocks) || blocks.length === 0) {
      return { status: 422, json: { type: 'unprocessable', message: 'blocks are required' } };
    }
    const message: CtMessage = {
      chatKey: `userChat-${chatId}`,
      id: ctId('msg'),
      channelId: CHANNEL_ID,
      chatType: 'userChat',
      chatId,
      personType: 'bot',
      personId: `bot:${call.query.get('botName')}`,
      requestId: call.json.requestId,
      createdAt: Date.now(),
      blocks,
      plainText: blocks.map((b) => unescapeText(b.value)).join('\n'),
      options: call.json.options,
    };
    messages.push(message);
    return { status: 200, json: { message } };
  });
  return {
    api,
    chats,
    sends: () => api.calls.filter((c) => c.method === 'POST'),
    close: () => api.close(),
  };
}

export interface CtUser {
  id: string;
  name: string;
  email?: string;
}

/** A user's (or a manager's) message as Channel Talk's "New message" webhook carries it; also stored in the chat. */
export function messageEvent(
  fake: FakeChannelTalk,
  chatId: string,
  text: string,
  who: { user: CtUser } | { manager: { id: string; name: string }; private?: boolean },
) {
  const isUser = 'user' in who;
  const entity: CtMessage = {
    chatKey: `userChat-${chatId}`,
    id: ctId('msg'),
    channelId: CHANNEL_ID,
    chatType: 'userChat',
    chatId,
    personType: isUser ? 'user' : 'manager',
    personId: isUser ? who.user.id : who.manager.id,
    createdAt: Date.now(),
    blocks: [{ type: 'text', value: text }],
    plainText: text,
    ...(!isUser && who.private && { options: ['private'] }),
  };
  if (!fake.chats.has(chatId)) fake.chats.set(chatId, []);
  fake.chats.get(chatId)!.push(entity);
  const refers = isUser
    ? {
        user: {
          id: who.user.id,
          channelId: CHANNEL_ID,
          name: who.user.name,
          profile: { name: who.user.name, email: who.user.email },
        },
        userChat: { id: chatId, channelId: CHANNEL_ID, state: 'opened', userId: who.user.id },
      }
    : { manager: { id: who.manager.id, channelId: CHANNEL_ID, name: who.manager.name, operator: true } };
  return { event: 'push', type: 'message', entity, refers };
}

/** A user chat's state changed (the "UserChat" webhook event). */
export function userChatEvent(
  chatId: string,
  state: 'opened' | 'closed' | 'snoozed',
  manager?: { id: string; name: string },
) {
  return {
    event: 'update',
    type: 'userChat',
    entity: { id: chatId, channelId: CHANNEL_ID, state, userId: 'u-1', createdAt: Date.now() },
    refers: manager ? { manager: { id: manager.id, channelId: CHANNEL_ID, name: manager.name } } : {},
  };
}

/** Posts a webhook to koe the way Channel Talk does: the JSON body, the token in the query. */
export function deliverWebhook(koeUrl: string, payload: unknown, token: string | null = CT_TOKEN): Promise<Response> {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return fetch(`${koeUrl}/webhooks/channeltalk${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Channel-Webhook' },
    body: JSON.stringify(payload),
  });
}
