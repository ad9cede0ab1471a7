import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claim } from '../../src/core/inquiries/index.ts';
import { inquiries } from '../../src/storage/schema/index.ts';
import { startKoe, TEST_TOKEN, type RunningKoe } from '../helpers/koe-instance.ts';

let k: RunningKoe;
beforeEach(async () => {
  k = await startKoe();
});
afterEach(async () => k.stop());

const inquiry = {
  source: 'web',
  externalId: 'form-42',
  customer: { id: 'cus_1', name: '山田 太郎', email: 'taro@example.com' },
  subject: '領収書について',
  body: '先月分の領収書をダウンロードできません。',
  url: 'https://example.com/tickets/42',
  receivedAt: '2026-11-20T09:30:00+09:00',
  metadata: { plan: 'pro' },
};

describe('POST /api/v1/inquiries', () => {
  it('stores an inquiry, answers 201 with it, and mirrors it to the console', async () => {
    const res = await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      id: 1,
      source: 'web',
      status: 'open',
      reason: 'billing',
      reasonSource: 'rule',
      customer: { id: 'cus_1', name: '山田 太郎', email: 'taro@example.com' },
      receivedAt: '2026-11-20T00:30:00.000Z',
      metadata: { plan: 'pro' },
    });
    await k.koe.worker.drain();
    expect(k.consoleText()).toContain('koe #1');
    expect(k.consoleText()).toContain('先月分の領収書をダウンロードできません。');
    expect(k.consoleText()).toContain('2026/11/20 09:30'); // received time in Asia/Tokyo
  });

  it('answers 200 with the same id when the same source and externalId come again, and stores nothing new', async () => {
    const first = await (await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry })).json();
    const again = await k.api('/api/v1/inquiries', { method: 'POST', json: { ...inquiry, body: 'retry' } });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(first.id);
    expect(k.koe.db.select().from(inquiries).all()).toHaveLength(1);
  });

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer nope'],
    ['a token with the right prefix', 'Bearer test-intake-token-01234567'],
    ['another scheme', 'Basic dGVzdA=='],
  ])('refuses %s with 401 and stores nothing', async (_what, authorization) => {
    const headers = authorization ? { authorization } : { authorization: '' };
    const res = await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry, headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(k.koe.db.select().from(inquiries).all()).toHaveLength(0);
  });

  it('answers 400 naming each bad field', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: '', body: 42, customer: { email: 'not-an-email' }, receivedAt: 'yesterday', extra: true },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    const paths = body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['source', 'body', 'customer.email', 'receivedAt', '(body)']));
  });

  it('answers 400 on malformed JSON', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      body: '{"source": "web",',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_json');
  });

  it('answers 400 listing the valid ids for an unknown reason', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', body: 'x', reason: 'weather' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.validReasons).toContain('billing');
    expect(body.issues[0].message).toContain('how_to');
  });

  it('answers 413 for a body over 1 MiB and stores nothing', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', body: 'あ'.repeat(400_000) },
    });
    expect(res.status).toBe(413);
    expect(k.koe.db.select().from(inquiries).all()).toHaveLength(0);
  });

  it('answers 413 for a chunked body that grows over 1 MiB without a content-length, and stores nothing', async () => {
    const chunk = new TextEncoder().encode(`{"source":"web","body":"${'x'.repeat(256 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await k.api('/api/v1/inquiries', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    expect(k.koe.db.select().from(inquiries).all()).toHaveLength(0);
  });

  it('closes the connection of a refused request (its body unread); the next request takes a new one', async () => {
    const { request, Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string, token = TEST_TOKEN) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = request(`${k.url}/api/v1/inquiries`, {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const wrong = await post(JSON.stringify({ source: 'web', body: 'x'.repeat(10_000) }), 'wrong-token');
    const ok = await post(JSON.stringify({ source: 'web', body: 'after a refusal' }));
    agent.destroy();
    expect([wrong.status, ok.status]).toEqual([401, 201]);
    expect(ok.socket).not.toBe(wrong.socket); // refusals-close.test.ts: why koe closes it
  });

  it('keeps an explicit reason as the customer’s own label', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', body: 'ログインできない', reason: 'bug' },
    });
    expect(await res.json()).toMatchObject({ reason: 'bug', reasonSource: 'intake' });
  });
});

describe('messages and reads', () => {
  it('adds follow-ups; an outbound reply sets first-response time; GET shows messages, events and mirrors', async () => {
    const { id } = await (await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry })).json();
    const inbound = await k.api(`/api/v1/inquiries/${id}/messages`, {
      method: 'POST',
      json: { direction: 'inbound', body: 'まだですか？' },
    });
    expect(inbound.status).toBe(201);
    const reply = await k.api(`/api/v1/inquiries/${id}/messages`, {
      method: 'POST',
      json: { direction: 'outbound', body: '確認します', author: { id: 'zendesk:7', name: 'Sato' } },
    });
    expect(reply.status).toBe(201);
    await k.koe.worker.drain();
    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.firstResponseAt).not.toBeNull();
    expect(detail.messages.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['created', 'message', 'message']);
    expect(detail.mirrors).toEqual([
      { destination: 'console', platform: 'console', channel: 'stdout', messageRef: expect.any(String) },
    ]);
    expect(k.consoleText()).toContain('確認します');
  });

  it('answers 404 for an unknown inquiry and 400 for a bad id', async () => {
    expect((await k.api('/api/v1/inquiries/999')).status).toBe(404);
    expect((await k.api('/api/v1/inquiries/abc')).status).toBe(400);
    expect(
      (await k.api('/api/v1/inquiries/999/messages', { method: 'POST', json: { direction: 'note', body: 'x' } }))
        .status,
    ).toBe(404);
  });

  it('lists newest first with filters and a cursor that pages through everything once', async () => {
    for (let i = 0; i < 5; i++) {
      await k.api('/api/v1/inquiries', {
        method: 'POST',
        json: { source: 'web', body: `question ${i}`, receivedAt: `2026-11-2${i}T00:00:00Z` },
      });
    }
    claim(k.koe.ctx, { inquiryId: 2, actor: { id: 'slack:U1' } });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: number }[]; nextCursor: string | null } = await (
        await k.api(`/api/v1/inquiries?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    const claimed = await (await k.api('/api/v1/inquiries?status=claimed')).json();
    expect(claimed.items.map((i: { id: number }) => i.id)).toEqual([2]);
    const since = await (await k.api('/api/v1/inquiries?since=2026-11-23T00:00:00Z')).json();
    expect(since.items.map((i: { id: number }) => i.id)).toEqual([5, 4]);
    expect((await k.api('/api/v1/inquiries?status=maybe')).status).toBe(400);
    expect((await k.api('/api/v1/inquiries?reason=weather')).status).toBe(400);
    expect((await k.api('/api/v1/inquiries?cursor=garbage')).status).toBe(400);
  });

  it('reports health without a token', async () => {
    const res = await fetch(`${k.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('lifecycle actions over the API', () => {
  it('claims, refuses a second claimant with who holds it, assigns, resolves with a note and reopens', async () => {
    const { id } = await (await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry })).json();
    const alice = { id: 'api:alice', name: 'Alice' };
    const bob = { id: 'api:bob', name: 'Bob' };
    expect((await k.api(`/api/v1/inquiries/${id}/claim`, { method: 'POST', json: { actor: alice } })).status).toBe(200);
    const lost = await k.api(`/api/v1/inquiries/${id}/claim`, { method: 'POST', json: { actor: bob } });
    expect(lost.status).toBe(409);
    expect(await lost.json()).toMatchObject({ error: 'already_claimed', by: { id: 'api:alice', name: 'Alice' } });
    const assigned = await k.api(`/api/v1/inquiries/${id}/assign`, {
      method: 'POST',
      json: { actor: alice, assignee: bob },
    });
    expect((await assigned.json()).assignee).toEqual({ id: 'api:bob', name: 'Bob' });
    const resolved = await k.api(`/api/v1/inquiries/${id}/resolve`, {
      method: 'POST',
      json: { actor: bob, note: '返金済み' },
    });
    expect((await resolved.json()).status).toBe('resolved');
    expect((await k.api(`/api/v1/inquiries/${id}/reopen`, { method: 'POST', json: { actor: bob } })).status).toBe(200);
    const reason = await k.api(`/api/v1/inquiries/${id}/reason`, {
      method: 'POST',
      json: { actor: bob, reason: 'bug' },
    });
    expect(await reason.json()).toMatchObject({ reason: 'bug', reasonSource: 'human' });
    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'claimed',
      'assigned',
      'resolved',
      'reopened',
      'reason_set',
    ]);
    expect(detail.messages).toMatchObject([{ direction: 'note', body: '返金済み' }]);
  });

  it('answers 400 for a missing actor or an unknown action, and 404 for an unknown inquiry', async () => {
    const { id } = await (await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry })).json();
    const res = await k.api(`/api/v1/inquiries/${id}/claim`, { method: 'POST', json: {} });
    expect(res.status).toBe(400);
    expect((await res.json()).issues[0].path).toBe('actor');
    expect((await k.api(`/api/v1/inquiries/${id}/explode`, { method: 'POST', json: {} })).status).toBe(404);
    expect((await k.api('/api/v1/inquiries/999/claim', { method: 'POST', json: { actor: { id: 'a' } } })).status).toBe(
      404,
    );
  });

  it('gives exactly one of 100 concurrent API claims the inquiry', async () => {
    const { id } = await (await k.api('/api/v1/inquiries', { method: 'POST', json: inquiry })).json();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        k
          .api(`/api/v1/inquiries/${id}/claim`, { method: 'POST', json: { actor: { id: `api:agent${i}` } } })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
  });
});
