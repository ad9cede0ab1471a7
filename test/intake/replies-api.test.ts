import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/storage/schema/index.ts';
import { type RunningKoe, startKoe } from '../helpers/koe-instance.ts';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.ts';

/**
 * The replies routes over koe's real HTTP server: what they take (zod, 400 naming each field), what
 * they answer (202 with the reply and its delivery), and what they refuse. koe's clock stands still,
 * so every reply stays in its undo window and nothing reaches the receiver unless a test says so.
 */

const T0 = Date.parse('2026-11-20T00:00:00Z');
const SECRET = 'whsec-api-0123456789abcdef0123456789';
const sato = { id: 'api:sato', name: 'Sato' };

let k: RunningKoe;
let receiver: Receiver;
let web: number; // an inquiry from `web`, which has a reply webhook
let crm: number; // one from `crm`, which has none

beforeAll(async () => {
  receiver = await startReceiver();
  k = await startKoe(
    `replies:\n  undoSeconds: 10\n  webhooks:\n    - source: web\n      url: ${receiver.url}\n`,
    { KOE_WEBHOOK_SECRET: SECRET },
    { now: () => T0 },
  );
  const create = async (json: unknown) =>
    (await (await k.api('/api/v1/inquiries', { method: 'POST', json })).json()).id;
  web = await create({ source: 'web', body: 'ログインできません', customer: { id: 'cus_1', name: '山田' } });
  crm = await create({ source: 'crm', body: '請求書の宛名', url: 'https://crm.example.com/tickets/9' });
});
afterAll(async () => {
  await k.stop();
  await receiver.close();
});

const post = (path: string, json: unknown, headers?: Record<string, string>) =>
  k.api(`/api/v1/inquiries/${path}`, { method: 'POST', json, ...(headers && { headers }) });
const messageCount = () => k.koe.db.select().from(messages).all().length;
const paths = async (res: Response) => ((await res.json()) as { issues: { path: string }[] }).issues.map((i) => i.path);

describe('POST /api/v1/inquiries/:id/replies', () => {
  it('answers 202 with the queued reply, when it leaves, and where it goes', async () => {
    const res = await post(`${web}/replies`, { body: 'パスワードを再設定しました。', author: sato });
    expect(res.status).toBe(202);
    const got = await res.json();
    expect(got).toEqual({
      reply: {
        id: expect.any(Number),
        inquiryId: web,
        body: 'パスワードを再設定しました。',
        author: sato,
        createdAt: new Date(T0).toISOString(),
        state: 'queued',
        sendsAt: new Date(T0 + 10_000).toISOString(),
        sentAt: null,
        error: null,
      },
      delivery: { state: 'waiting', target: { platform: 'webhook', channel: 'web' } },
    });
    const again = await (await k.api(`/api/v1/inquiries/${web}/replies/${got.reply.id}`)).json();
    expect(again).toEqual(got);
    const detail = await (await k.api(`/api/v1/inquiries/${web}`)).json();
    expect(detail.messages.find((m: { id: number }) => m.id === got.reply.id)).toMatchObject({
      direction: 'outbound',
      reply: { state: 'queued', sendsAt: new Date(T0 + 10_000).toISOString(), sentAt: null, error: null },
    });
    expect(receiver.requests).toHaveLength(0); // still in its undo window
  });

  it('takes 2,000 characters, and an author named by name only as api:<name>', async () => {
    const res = await post(`${web}/replies`, { body: 'あ'.repeat(2_000), author: { name: 'Suzuki' } });
    expect(res.status).toBe(202);
    expect((await res.json()).reply.author).toEqual({ id: 'api:Suzuki', name: 'Suzuki' });
  });

  it.each([
    ['no body', { author: sato }, ['body']],
    ['an empty body', { body: '', author: sato }, ['body']],
    ['a blank body', { body: ' \n\t ', author: sato }, ['body']],
    ['a body of 2,001 characters', { body: 'あ'.repeat(2_001), author: sato }, ['body']],
    ['a body that is not a string', { body: 42, author: sato }, ['body']],
    ['no author', { body: 'x' }, ['author']],
    ['an author that is a string', { body: 'x', author: 'Sato' }, ['author']],
    ['an author with neither id nor name', { body: 'x', author: {} }, ['author']],
    ['an author with an empty id', { body: 'x', author: { id: '' } }, ['author.id']],
    ['an author with an unknown key', { body: 'x', author: { ...sato, email: 's@example.com' } }, ['author']],
    ['an unknown key', { body: 'x', author: sato, direction: 'outbound' }, ['(body)']],
    ['both wrong at once', { body: '', author: 7 }, ['body', 'author']],
  ])('answers 400 to %s, naming the field, and stores nothing', async (_what, json, expected) => {
    const before = messageCount();
    const res = await post(`${web}/replies`, json);
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual(expected);
    expect(messageCount()).toBe(before);
  });

  it.each(['slack:U0123', 'discord:112233', ' Slack :U1'])(
    'refuses a chat identity as the author (%s): the API never makes a mention',
    async (id) => {
      const before = messageCount();
      const res = await post(`${web}/replies`, { body: 'x', author: { id, name: 'Sato' } });
      expect(res.status).toBe(400);
      expect(await paths(res)).toEqual(['author.id']);
      expect(messageCount()).toBe(before);
    },
  );

  it('answers 400 to JSON that is not an object, and to an id that is not one', async () => {
    expect((await post(`${web}/replies`, ['x'])).status).toBe(400);
    const badId = await post('abc/replies', { body: 'x', author: sato });
    expect(badId.status).toBe(400);
    expect(await paths(badId)).toEqual(['id']);
  });

  it('answers 401 without the bearer token, and stores nothing', async () => {
    const before = messageCount();
    const res = await post(`${web}/replies`, { body: 'x', author: sato }, { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(messageCount()).toBe(before);
  });

  it('answers 404 for an unknown inquiry', async () => {
    const res = await post('9999/replies', { body: 'x', author: sato });
    expect(res.status).toBe(404);
    expect((await res.json()).message).toBe('inquiry 9999 not found');
  });

  it('answers 409 no_way_back for a source with no webhook, saying where to answer instead, and stores nothing', async () => {
    const before = messageCount();
    const res = await post(`${crm}/replies`, { body: 'x', author: sato });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: 'no_way_back',
      source: 'crm',
      url: 'https://crm.example.com/tickets/9',
      message: `koe has no way back to the customer of inquiry ${crm} (source "crm"): answer the customer where they wrote (https://crm.example.com/tickets/9), or give "crm" a reply webhook in replies.webhooks`,
    });
    expect(messageCount()).toBe(before);
  });
});

describe('GET …/replies/:messageId, POST …/undo and …/retry', () => {
  const queue = async () =>
    (await (await post(`${web}/replies`, { body: '送ります', author: sato })).json()).reply.id as number;

  it('undo inside the window answers 200 with the reply undone; a second undo is too late (409)', async () => {
    const id = await queue();
    const res = await post(`${web}/replies/${id}/undo`, { actor: sato });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      reply: { id, state: 'undone', sendsAt: null },
      delivery: { state: 'cancelled', target: { platform: 'webhook', channel: 'web' } },
    });
    const again = await post(`${web}/replies/${id}/undo`, { actor: sato });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({
      error: 'too_late_to_undo',
      message: `reply ${id} of inquiry ${web} has already left (or was undone), so it cannot be taken back`,
    });
  });

  it('retry of a reply that has not failed answers 409 not_failed', async () => {
    const id = await queue();
    const res = await post(`${web}/replies/${id}/retry`, { actor: sato });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: 'not_failed', message: expect.stringContaining(`reply ${id}`) });
  });

  it('undo and retry want an actor of the API’s own, as the lifecycle routes do', async () => {
    const id = await queue();
    const none = await post(`${web}/replies/${id}/undo`, {});
    expect(none.status).toBe(400);
    expect(await paths(none)).toEqual(['actor']);
    const chat = await post(`${web}/replies/${id}/undo`, { actor: { id: 'slack:U1' } });
    expect(chat.status).toBe(400);
    expect(await paths(chat)).toEqual(['actor.id']);
    expect((await (await k.api(`/api/v1/inquiries/${web}/replies/${id}`)).json()).reply.state).toBe('queued');
  });

  it('answers 404 naming what is missing: the inquiry, a reply of it, or a message that is no reply', async () => {
    const note = await (await post(`${web}/messages`, { direction: 'note', body: '社内メモ' })).json();
    for (const [path, message] of [
      [`9999/replies/1`, 'inquiry 9999 not found'],
      [`${web}/replies/9999`, `inquiry ${web} has no reply 9999`],
      [`${web}/replies/${note.id}`, `inquiry ${web} has no reply ${note.id}`],
    ] as const) {
      const got = await k.api(`/api/v1/inquiries/${path}`);
      expect(got.status, path).toBe(404);
      expect((await got.json()).message, path).toBe(message);
      const undo = await post(`${path}/undo`, { actor: sato });
      expect(undo.status, `${path}/undo`).toBe(404);
      expect((await undo.json()).message, `${path}/undo`).toBe(message);
    }
  });

  it('a reply of another inquiry is not found under this one', async () => {
    const id = await queue();
    expect((await k.api(`/api/v1/inquiries/${crm}/replies/${id}`)).status).toBe(404);
    expect((await post(`${crm}/replies/${id}/undo`, { actor: sato })).status).toBe(404);
  });

  it.each([
    ['GET', (id: number) => `${web}/replies/${id}`],
    ['POST', (id: number) => `${web}/replies/${id}/undo`],
    ['POST', (id: number) => `${web}/replies/${id}/retry`],
  ] as const)('%s answers 401 without the bearer token', async (method, path) => {
    const id = await queue();
    const res = await k.api(`/api/v1/inquiries/${path(id)}`, {
      method,
      headers: { authorization: 'Bearer wrong' },
      ...(method === 'POST' && { json: { actor: sato } }),
    });
    expect(res.status).toBe(401);
    expect((await (await k.api(`/api/v1/inquiries/${web}/replies/${id}`)).json()).reply.state).toBe('queued');
  });

  it('answers 400 for a message id that is not one', async () => {
    const res = await k.api(`/api/v1/inquiries/${web}/replies/x1`);
    expect(res.status).toBe(400);
    expect(await paths(res)).toEqual(['messageId']);
  });
});
