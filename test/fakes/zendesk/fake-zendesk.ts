import { createHmac } from 'node:crypto';
import { startToolServer, type ToolCall, type ToolServer } from '../tool-api-server.ts';

/**
 * A fake Zendesk Support, written from its public developer docs (developer.zendesk.com):
 *
 * - Tickets API with basic auth `{email}/token:{api token}`: `GET /api/v2/tickets/{id}.json` ("Show
 *   ticket"), `GET /api/v2/tickets/{id}/comments.json?include=users` ("List comments", users
 *   side-loaded), `PUT /api/v2/tickets/{id}.json` ("Update ticket": a `comment {body, public}` and
 *   `metadata`, answered `{ticket, audit}` with the new Comment in `audit.events` and the metadata in
 *   `audit.metadata.custom`), and `GET /api/v2/tickets/{id}/audits.json` ("List audits for a ticket").
 * - Webhooks ("Verifying webhook authenticity"): `X-Zendesk-Webhook-Signature` =
 *   base64(HMAC-SHA256(signing secret, timestamp + body)) with `X-Zendesk-Webhook-Signature-Timestamp`;
 *   the body is what the trigger's JSON says (the README's `{"ticket_id": "{{ticket.id}}"}`).
 */

export const ZD_SUBDOMAIN = 'acme';
export const ZD_EMAIL = 'koe-bot@acme.example';
export const ZD_TOKEN = 'zd-api-token-0123';
export const ZD_SECRET = 'zd-signing-secret-4567';
export const API_USER = { id: 9001, name: 'koe', email: ZD_EMAIL, role: 'agent' };

export interface ZdUser {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
}

export interface ZdComment {
  id: number;
  type: 'Comment';
  author_id: number;
  body: string;
  plain_body: string;
  public: boolean;
  created_at: string;
}

export interface ZdTicket {
  ticket: { id: number; subject: string; status: string; requester_id: number; created_at: string };
  comments: ZdComment[];
  audits: Array<{
    id: number;
    ticket_id: number;
    author_id: number;
    created_at: string;
    events: unknown[];
    metadata: { custom: Record<string, unknown>; system: Record<string, unknown> };
  }>;
}

export interface FakeZendesk {
  api: ToolServer;
  tickets: Map<number, ZdTicket>;
  users: Map<number, ZdUser>;
  /** The calls that updated a ticket (koe's replies). */
  updates(): ToolCall[];
  close(): Promise<void>;
}

let next = 500;
export const zdId = () => next++;
const basic = `Basic ${Buffer.from(`${ZD_EMAIL}/token:${ZD_TOKEN}`).toString('base64')}`;

export async function startFakeZendesk(): Promise<FakeZendesk> {
  const tickets = new Map<number, ZdTicket>();
  const users = new Map<number, ZdUser>([[API_USER.id, API_USER as ZdUser]]);
  const api = await startToolServer((call) => {
    if (call.headers.authorization !== basic) return { status: 401, json: { error: "Couldn't authenticate you" } };
    const match = /^\/api\/v2\/tickets\/(\d+)(\.json|\/comments\.json|\/audits\.json)$/.exec(call.path);
    const held = match && tickets.get(Number(match[1]));
    if (!match) return null;
    if (!held) return { status: 404, json: { error: 'RecordNotFound', description: 'Not found' } };
    if (call.method === 'GET' && match[2] === '.json') return { status: 200, json: { ticket: held.ticket } };
    if (call.method === 'GET' && match[2] === '/comments.json') {
      const authors = new Set(held.comments.map((c) => c.author_id));
      return {
        status: 200,
        json: {
          comments: held.comments,
          users: [...users.values()].filter((u) => authors.has(u.id)),
          count: held.comments.length,
        },
      };
    }
    if (call.method === 'GET') {
      const audits = call.query.get('sort_order') === 'desc' ? [...held.audits].reverse() : held.audits;
      return { status: 200, json: { audits, count: audits.length } };
    }
    if (call.method === 'PUT' && match[2] === '.json') return update(held, call);
    return null;
  });
  return { api, tickets, users, updates: () => api.calls.filter((c) => c.method === 'PUT'), close: () => api.close() };
}

function update(held: ZdTicket, call: ToolCall) {
  const comment = call.json?.ticket?.comment;
  if (!comment?.body) return { status: 422, json: { error: 'RecordInvalid', description: 'Record validation errors' } };
  const added = addComment(held, API_USER.id, comment.body, comment.public !== false);
  const audit = {
    id: zdId(),
    ticket_id: held.ticket.id,
    author_id: API_USER.id,
    created_at: new Date().toISOString(),
    events: [{ id: added.id, type: 'Comment', body: added.body, public: added.public, author_id: API_USER.id }],
    metadata: { custom: call.json.ticket.metadata ?? {}, system: { client: 'koe' } },
  };
  held.audits.push(audit);
  return { status: 200, json: { ticket: held.ticket, audit } };
}

function addComment(held: ZdTicket, authorId: number, body: string, isPublic: boolean): ZdComment {
  const comment: ZdComment = {
    id: zdId() * 1000,
    type: 'Comment',
    author_id: authorId,
    body,
    plain_body: body,
    public: isPublic,
    created_at: new Date().toISOString(),
  };
  held.comments.push(comment);
  return comment;
}

export const requester: ZdUser = { id: 35436, name: '高橋 美咲', email: 'misaki@example.com', role: 'end-user' };
export const agent: ZdUser = { id: 235323, name: '伊藤', email: 'ito@acme.example', role: 'agent' };

/** A ticket a customer opened (its description is the first comment); returns its id. */
export function openTicket(fake: FakeZendesk, subject: string, description: string): number {
  fake.users.set(requester.id, requester);
  fake.users.set(agent.id, agent);
  const id = zdId();
  const held: ZdTicket = {
    ticket: { id, subject, status: 'new', requester_id: requester.id, created_at: new Date().toISOString() },
    comments: [],
    audits: [],
  };
  fake.tickets.set(id, held);
  addComment(held, requester.id, description, true);
  return id;
}

/** Someone commented on the ticket in Zendesk. */
export function comment(fake: FakeZendesk, ticketId: number, author: ZdUser, body: string, isPublic = true): void {
  addComment(fake.tickets.get(ticketId)!, author.id, body, isPublic);
}

/** Posts the trigger's webhook to koe, signed as Zendesk signs it (or with `secret`, to forge one). */
export function deliverWebhook(koeUrl: string, ticketId: number, secret: string | null = ZD_SECRET): Promise<Response> {
  const body = JSON.stringify({ ticket_id: String(ticketId) });
  const timestamp = new Date().toISOString();
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Zendesk Webhook' };
  if (secret !== null) {
    headers['x-zendesk-webhook-signature'] = createHmac('sha256', secret)
      .update(timestamp + body)
      .digest('base64');
    headers['x-zendesk-webhook-signature-timestamp'] = timestamp;
  }
  return fetch(`${koeUrl}/webhooks/zendesk`, { method: 'POST', headers, body });
}
