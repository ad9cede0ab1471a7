import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKoe, startKoe } from '../helpers/koe-instance.ts';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The reply routes' edges over koe's real server: a reply past its undo window that the customer's
 * webhook has not answered yet is `sending` (no longer `waiting`), bad ids are 400s naming the id on
 * every route, and undo's and retry's refusals carry their own sentence only where they name a reply.
 */

const T0 = Date.parse('2026-11-20T00:00:00Z');
const sato = { id: 'api:sato', name: 'Sato' };

let k: RunningKoe;
let receiver: Receiver;
let now = T0;
let web: number;

beforeAll(async () => {
  // The customer's webhook takes every reply and never answers: a due reply stays on its way.
  receiver = await startReceiver(() => ({ status: 200, hang: true }));
  k = await startKoe(
    `replies:\n  undoSeconds: 10\n  webhooks:\n    - source: web\n      url: ${receiver.url}\n`,
    { KOE_WEBHOOK_SECRET: 'whsec-api-0123456789abcdef0123456789' },
    { now: () => now },
  );
  web = (
    await (await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: '届きますか' } })).json()
  ).id;
});
afterAll(async () => {
  await receiver.close();
  await k.stop();
});

const post = (path: string, json: unknown) => k.api(`/api/v1/inquiries/${path}`, { method: 'POST', json });
const queue = async () =>
  (await (await post(`${web}/replies`, { body: '送ります', author: sato })).json()).reply.id as number;

describe('a reply’s delivery state over the API', () => {
  it('is waiting until its undo window ends, and sending from that instant until it is delivered', async () => {
    const id = await queue();
    const show = async () => (await (await k.api(`/api/v1/inquiries/${web}/replies/${id}`)).json()).delivery.state;
    now = T0 + 9_999;
    expect(await show()).toBe('waiting');
    now = T0 + 10_000;
    expect(await show()).toBe('sending');
    await waitFor(() => receiver.requests.length > 0, 10_000, 'the reply to reach the webhook');
    expect(await show()).toBe('sending'); // on the wire, not answered
  });
});

describe('the reply routes’ 400s', () => {
  it('name the inquiry id when it is not one, on GET, undo and retry', async () => {
    for (const res of [
      await k.api('/api/v1/inquiries/abc/replies/1'),
      await post('abc/replies/1/undo', { actor: sato }),
      await post('abc/replies/1/retry', { actor: sato }),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        issues: [{ path: 'id', message: 'expected a positive integer' }],
      });
    }
  });

  it('name the message id on undo and retry too', async () => {
    const res = await post(`${web}/replies/x1/undo`, { actor: sato });
    expect(res.status).toBe(400);
    expect((await res.json()).issues).toEqual([{ path: 'messageId', message: 'expected a positive integer' }]);
  });

  it('refuse an undo whose body is not a JSON object', async () => {
    for (const json of [['actor'], 'undo', null]) {
      const res = await post(`${web}/replies/1/undo`, json);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        issues: [{ path: '(body)', message: 'expected a JSON object' }],
      });
    }
  });

  it('add no reply sentence to a refusal that is not about the reply’s state', async () => {
    const id = await queue();
    const res = await post(`${web}/replies/${id}/undo`, {});
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.message).toBeUndefined();
    expect(body.issues.map((i: { path: string }) => i.path)).toEqual(['actor']);
  });

  it('say a retry of a reply that has not failed in its own sentence', async () => {
    now = T0;
    const id = await queue();
    const res = await post(`${web}/replies/${id}/retry`, { actor: sato });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: 'not_failed',
      message: `reply ${id} of inquiry ${web} has not failed; only a failed reply can be retried`,
    });
  });
});
