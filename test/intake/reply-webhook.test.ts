import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { perform } from '../../src/core/actions.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { QUICK_OUTBOX, type RunningKoe, startKoe } from '../helpers/koe-instance.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { loadReadmeVerifier, type Receiver, type ReceiverAnswer, startReceiver } from '../helpers/webhook-receiver.ts';

/**
 * Replies to API sources, end to end: koe's real HTTP server takes the reply, its outbox sends it to
 * a real HTTP receiver on 127.0.0.1, and the receiver checks what it got with the verifier the README
 * gives customers. The receiver keeps the delivery ids it accepted, as the README asks receivers to.
 */

const SECRET = 'whsec-e2e-0123456789abcdef0123456789';
const T0 = Date.parse('2026-11-20T00:00:00Z');

let koe: RunningKoe | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await koe?.stop();
  await receiver?.close();
  koe = receiver = undefined;
});

const yaml = (url: string, undoSeconds: number) => `
replies:
  undoSeconds: ${undoSeconds}
  webhooks:
    - source: web
      url: ${url}
`;

/** A receiver (answering as `answer`) and a koe whose `web` source replies through it. */
async function start(
  answer: ReceiverAnswer,
  opts: { undoSeconds?: number; now?: () => number; log?: PassThrough } = {},
) {
  receiver = await startReceiver(answer);
  const log = opts.log && createLogger('trace', opts.log);
  koe = await startKoe(
    yaml(receiver.url, opts.undoSeconds ?? 0),
    { KOE_WEBHOOK_SECRET: SECRET },
    { outbox: QUICK_OUTBOX, ...(opts.now && { now: opts.now }), ...(log && { log }) },
  );
  const created = await koe.api('/api/v1/inquiries', {
    method: 'POST',
    json: {
      source: 'web',
      externalId: 'form-42',
      customer: { id: 'cus_1', name: '山田 太郎', email: 'taro@example.com' },
      body: '領収書をダウンロードできません。',
    },
  });
  expect(created.status).toBe(201);
  return { k: koe, r: receiver, inquiryId: (await created.json()).id as number };
}

async function reply(k: RunningKoe, inquiryId: number, body: string) {
  const res = await k.api(`/api/v1/inquiries/${inquiryId}/replies`, {
    method: 'POST',
    json: { body, author: { id: 'api:sato', name: 'Sato' } },
  });
  expect(res.status).toBe(202);
  return (await res.json()) as { reply: { id: number; state: string; sendsAt: string }; delivery: { state: string } };
}

const replyState = async (k: RunningKoe, inquiryId: number, messageId: number) =>
  (await k.api(`/api/v1/inquiries/${inquiryId}/replies/${messageId}`)).json();

const waitForState = (k: RunningKoe, inquiryId: number, messageId: number, state: string) =>
  waitFor(
    async () => {
      const got = await replyState(k, inquiryId, messageId);
      return got.reply.state === state && got;
    },
    10_000,
    `reply ${messageId} to be ${state}`,
  );

/** A receiver that acts on each delivery id once and answers 2xx to a repeat, as the README asks. */
function deduping(first: (n: number) => number = () => 200) {
  const accepted = new Set<string>();
  const answer: ReceiverAnswer = (request, n) => {
    const status = first(n);
    if (status >= 200 && status < 300) accepted.add(String(request.headers['x-koe-delivery']));
    return { status, body: status >= 300 ? 'try later' : '' };
  };
  return { answer, accepted };
}

describe('reply webhooks, against a real receiver', () => {
  it('delivers the documented body, signed so that the README verifier accepts it', async () => {
    const verifyKoe = await loadReadmeVerifier();
    const { k, r, inquiryId } = await start(() => ({ status: 200 }));
    const queued = await reply(k, inquiryId, '領収書を再発行しました。<@U123> *bold*');
    const sent = await waitForState(k, inquiryId, queued.reply.id, 'sent');
    expect(r.requests).toHaveLength(1);
    const [got] = r.requests;
    expect(verifyKoe(SECRET, got!.headers, got!.raw)).toBe(true);
    expect(verifyKoe('not-the-secret', got!.headers, got!.raw)).toBe(false);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['x-koe-delivery']).toMatch(/^\d+$/);
    expect(Math.abs(Number(got!.headers['x-koe-timestamp']) - Date.now() / 1000)).toBeLessThan(120);
    expect(got!.json).toEqual({
      type: 'reply',
      // The promised date: the resolution due time on the business clock.
      inquiry: {
        id: inquiryId,
        source: 'web',
        externalId: 'form-42',
        dueAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      customer: { name: '山田 太郎', email: 'taro@example.com', key: 'cus_1' },
      message: {
        id: queued.reply.id,
        body: '領収書を再発行しました。<@U123> *bold*', // the body as written: the receiver's to render
        author: { id: 'api:sato', name: 'Sato' },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    expect(sent.delivery).toEqual({ state: 'delivered', target: { platform: 'webhook', channel: 'web' } });
  });

  it('503 then 200 delivers exactly once: two attempts with one delivery id, one accepted, the reply sent', async () => {
    const { answer, accepted } = deduping((n) => (n === 0 ? 503 : 200));
    const { k, r, inquiryId } = await start(answer);
    const queued = await reply(k, inquiryId, 'お待たせしました。');
    await waitForState(k, inquiryId, queued.reply.id, 'sent');
    await k.koe.worker.drain();
    expect(r.requests).toHaveLength(2);
    const ids = r.requests.map((q) => q.headers['x-koe-delivery']);
    expect(ids[0]).toBe(ids[1]);
    expect([...accepted]).toEqual([ids[0]]);
    // Each attempt is signed afresh, and both bodies are the same reply.
    expect(r.requests[0]!.raw.equals(r.requests[1]!.raw)).toBe(true);
  });

  it('a 400 fails the reply with the status and the receiver’s reason, never retried; retry sends it again', async () => {
    let refuse = true;
    const { k, r, inquiryId } = await start(() =>
      refuse ? { status: 400, body: 'unknown ticket form-42\n(please check)' } : { status: 204 },
    );
    const queued = await reply(k, inquiryId, 'こんにちは');
    const failed = await waitForState(k, inquiryId, queued.reply.id, 'failed');
    expect(failed.reply.error).toBe('the webhook answered 400: unknown ticket form-42 (please check)');
    expect(failed.delivery.state).toBe('failed');
    await k.koe.worker.drain();
    expect(r.requests).toHaveLength(1);
    const detail = await (await k.api(`/api/v1/inquiries/${inquiryId}`)).json();
    expect(detail.firstResponseAt).toBeNull();
    expect(detail.messages.find((m: { id: number }) => m.id === queued.reply.id).reply).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('400'),
    });

    refuse = false;
    const retried = await k.api(`/api/v1/inquiries/${inquiryId}/replies/${queued.reply.id}/retry`, {
      method: 'POST',
      json: { actor: { id: 'api:sato', name: 'Sato' } },
    });
    expect(retried.status).toBe(200);
    await waitForState(k, inquiryId, queued.reply.id, 'sent');
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.headers['x-koe-delivery']).toBe(r.requests[0]!.headers['x-koe-delivery']);
  });

  it('undo inside the window, over the API or through perform, means the receiver sees nothing of that reply', async () => {
    let t = T0;
    const { k, r, inquiryId } = await start(() => ({ status: 200 }), { undoSeconds: 600, now: () => t });
    const viaApi = await reply(k, inquiryId, 'やっぱり取り消し (API)');
    const viaPerform = await reply(k, inquiryId, 'やっぱり取り消し (perform)');
    const kept = await reply(k, inquiryId, 'これは送ります');
    expect(viaApi.delivery.state).toBe('waiting');
    expect(viaApi.reply.sendsAt).toBe(new Date(T0 + 600_000).toISOString());

    const undone = await k.api(`/api/v1/inquiries/${inquiryId}/replies/${viaApi.reply.id}/undo`, {
      method: 'POST',
      json: { actor: { id: 'api:sato', name: 'Sato' } },
    });
    expect(undone.status).toBe(200);
    expect(await undone.json()).toMatchObject({ reply: { state: 'undone' }, delivery: { state: 'cancelled' } });
    const performed = perform(k.koe.ctx, {
      type: 'undo_reply',
      inquiryId,
      messageId: viaPerform.reply.id,
      actor: { id: 'api:sato', name: 'Sato' },
    });
    expect(performed.ok).toBe(true);

    t = T0 + 601_000; // past every window
    k.koe.worker.wake();
    await waitForState(k, inquiryId, kept.reply.id, 'sent');
    await k.koe.worker.drain();
    expect(r.requests.map((q) => q.json.message.id)).toEqual([kept.reply.id]);
    expect((await replyState(k, inquiryId, viaApi.reply.id)).reply.state).toBe('undone');
    expect((await replyState(k, inquiryId, viaPerform.reply.id)).reply.state).toBe('undone');
  });

  it('sets first-response time when the webhook delivered, not when the reply was queued (injected clock)', async () => {
    const verifyKoe = await loadReadmeVerifier();
    let t = T0;
    const { k, r, inquiryId } = await start(() => ({ status: 200 }), { undoSeconds: 10, now: () => t });
    const queued = await reply(k, inquiryId, '確認しました');
    expect((await (await k.api(`/api/v1/inquiries/${inquiryId}`)).json()).firstResponseAt).toBeNull();

    t = T0 + 75_000; // the window ended at T0 + 10 s; koe gets to it later
    k.koe.worker.wake();
    const sent = await waitForState(k, inquiryId, queued.reply.id, 'sent');
    const inquiry = await (await k.api(`/api/v1/inquiries/${inquiryId}`)).json();
    expect(inquiry.firstResponseAt).toBe(new Date(T0 + 75_000).toISOString());
    expect(sent.reply.sentAt).toBe(new Date(T0 + 75_000).toISOString());
    // Signed at koe's time, which a receiver checking against the same clock accepts.
    expect(r.requests[0]!.headers['x-koe-timestamp']).toBe(String((T0 + 75_000) / 1000));
    expect(verifyKoe(SECRET, r.requests[0]!.headers, r.requests[0]!.raw, t / 1000)).toBe(true);
  });

  it('POST …/messages with direction outbound still only records a reply sent elsewhere: nothing reaches the receiver', async () => {
    const { k, r, inquiryId } = await start(() => ({ status: 200 }));
    const res = await k.api(`/api/v1/inquiries/${inquiryId}/messages`, {
      method: 'POST',
      json: { direction: 'outbound', body: 'メールで回答済み', author: { name: 'Sato' } },
    });
    expect(res.status).toBe(201);
    const recorded = await res.json();
    expect(recorded).not.toHaveProperty('reply');
    await k.koe.worker.drain();
    expect(r.requests).toHaveLength(0);
    const detail = await (await k.api(`/api/v1/inquiries/${inquiryId}`)).json();
    expect(detail.firstResponseAt).not.toBeNull();
    expect(detail.messages.find((m: { id: number }) => m.id === recorded.id)).not.toHaveProperty('reply');
    const notAReply = await k.api(`/api/v1/inquiries/${inquiryId}/replies/${recorded.id}`);
    expect(notAReply.status).toBe(404);
  });

  it('never logs the secret, and logs no reply body at info or above', async () => {
    const out = new PassThrough();
    let logged = '';
    out.on('data', (d) => (logged += String(d)));
    const { k, inquiryId } = await start((_q, n) => ({ status: n === 0 ? 503 : 200 }), { log: out });
    const queued = await reply(k, inquiryId, 'ひみつの本文 secret-body-marker');
    await waitForState(k, inquiryId, queued.reply.id, 'sent');
    await k.koe.worker.drain();
    expect(logged).toContain('webhook'); // the sender did log, at debug
    expect(logged).not.toContain(SECRET);
    const loud = logged.split('\n').filter((line) => /"level":(3|4|5|6)\d/.test(line));
    expect(loud.join('\n')).not.toContain('secret-body-marker');
  });
});
