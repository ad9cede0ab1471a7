import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { startKoe, type JsonResponse, type RunningKoe } from '../helpers/koe-instance.ts';

/**
 * The API's refusals, whole: status, `error`, and for a bad request each issue's `path` (what a
 * client shows next to the field). Both servers answer: the intake lane (POST /api/v1/inquiries)
 * and the app (every other route). Messages that zod writes are only checked to be there.
 */
describe('the intake API’s error envelopes', () => {
  let k: RunningKoe;
  let open: number; // an inquiry left open
  let claimed: number; // claimed by api:alice (Alice)
  let resolved: number;
  const validReasons = DEFAULT_REASONS.map((r) => r.id);
  const unknownReason = {
    error: 'invalid_request',
    issues: [{ path: 'reason', message: `unknown reason; valid ids: ${validReasons.join(', ')}` }],
    validReasons,
  };
  const zodMessage = expect.any(String);

  const answer = async (res: Promise<JsonResponse>) => {
    const r = await res;
    return { status: r.status, type: r.headers.get('content-type'), body: await r.json() };
  };
  const post = (path: string, json: unknown) => answer(k.api(path, { method: 'POST', json }));
  const postRaw = (path: string, body: string) =>
    answer(k.api(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
  const get = (path: string) => answer(k.api(path));
  const inquiry = async (body: string) =>
    (await (await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body } })).json()).id as number;
  const alice = { id: 'api:alice', name: 'Alice' };

  beforeAll(async () => {
    k = await startKoe();
    open = await inquiry('open');
    claimed = await inquiry('claimed');
    resolved = await inquiry('resolved');
    expect((await post(`/api/v1/inquiries/${claimed}/claim`, { actor: alice })).status).toBe(200);
    expect((await post(`/api/v1/inquiries/${resolved}/resolve`, { actor: alice })).status).toBe(200);
  });
  afterAll(async () => k.stop());

  describe('400 invalid_json', () => {
    it.each([
      ['the intake lane', () => '/api/v1/inquiries'],
      ['a message', () => `/api/v1/inquiries/${open}/messages`],
      ['an action', () => `/api/v1/inquiries/${open}/claim`],
    ])('for a body that is not JSON (%s)', async (_route, path) => {
      expect(await postRaw(path(), '{"source": "web",')).toEqual({
        status: 400,
        type: 'application/json',
        body: { error: 'invalid_json', message: expect.stringMatching(/^body is not valid JSON: ./) },
      });
    });
  });

  describe('400 invalid_request names each bad field by its path', () => {
    it('on the intake lane: nested fields with dots, unknown keys at the top as (body)', async () => {
      const res = await post('/api/v1/inquiries', {
        source: 'web',
        body: 'x',
        customer: { email: 'not-an-email' },
        extra: true,
      });
      expect(res).toEqual({
        status: 400,
        type: 'application/json',
        body: {
          error: 'invalid_request',
          issues: [
            { path: 'customer.email', message: zodMessage },
            { path: '(body)', message: expect.stringContaining('extra') },
          ],
        },
      });
    });

    it('on the intake lane: a body that is not an object', async () => {
      expect((await post('/api/v1/inquiries', [1, 2])).body).toEqual({
        error: 'invalid_request',
        issues: [{ path: '(body)', message: zodMessage }],
      });
    });

    it('for a message', async () => {
      const res = await post(`/api/v1/inquiries/${open}/messages`, {
        direction: 'sideways',
        body: 'x',
        author: { id: '' },
      });
      expect(res).toEqual({
        status: 400,
        type: 'application/json',
        body: {
          error: 'invalid_request',
          issues: [
            { path: 'direction', message: zodMessage },
            { path: 'author.id', message: zodMessage },
          ],
        },
      });
    });

    it('for an action: a missing actor, a bad assignee, an unknown key inside and outside', async () => {
      const issues = async (action: string, json: unknown) => {
        const res = await post(`/api/v1/inquiries/${open}/${action}`, json);
        expect([res.status, res.body.error]).toEqual([400, 'invalid_request']);
        return res.body.issues.map((i: { path: string; message: string }) => i.path);
      };
      expect(await issues('claim', {})).toEqual(['actor']);
      expect(await issues('assign', { actor: alice, assignee: { id: '' } })).toEqual(['assignee.id']);
      expect(await issues('claim', { actor: { ...alice, role: 'admin' } })).toEqual(['actor']);
      expect(await issues('claim', { actor: alice, extra: 1 })).toEqual(['(body)']);
      expect(await post(`/api/v1/inquiries/${open}/claim`, [])).toMatchObject({
        status: 400,
        body: { error: 'invalid_request', issues: [{ path: '(body)', message: 'expected a JSON object' }] },
      });
    });

    it.each([
      ['GET /inquiries/:id', (id: string) => get(`/api/v1/inquiries/${id}`)],
      [
        'POST /inquiries/:id/messages',
        (id: string) => post(`/api/v1/inquiries/${id}/messages`, { direction: 'note', body: 'x' }),
      ],
      ['POST /inquiries/:id/claim', (id: string) => post(`/api/v1/inquiries/${id}/claim`, { actor: alice })],
    ])('for an id that is not a positive integer (%s)', async (_route, call) => {
      for (const id of ['abc', '0', '-1', '1.5']) {
        expect(await call(id)).toEqual({
          status: 400,
          type: 'application/json',
          body: { error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] },
        });
      }
    });

    it('for a list query: each bad parameter, and a cursor koe did not issue', async () => {
      expect(await get('/api/v1/inquiries?status=maybe&limit=0')).toEqual({
        status: 400,
        type: 'application/json',
        body: {
          error: 'invalid_request',
          issues: [
            { path: 'status', message: zodMessage },
            { path: 'limit', message: zodMessage },
          ],
        },
      });
      expect((await get('/api/v1/inquiries?limit=201')).body.issues).toEqual([{ path: 'limit', message: zodMessage }]);
      // A GET has no body: an unknown parameter is named as the query's.
      expect((await get('/api/v1/inquiries?colour=red')).body.issues).toEqual([
        { path: '(query)', message: expect.stringContaining('colour') },
      ]);
      expect((await get('/api/v1/inquiries?since=yesterday')).body.issues).toEqual([
        { path: 'since', message: zodMessage },
      ]);
      expect((await get('/api/v1/inquiries?cursor=garbage')).body).toEqual({
        error: 'invalid_request',
        issues: [{ path: 'cursor', message: 'not a cursor this API issued' }],
      });
    });
  });

  describe('400 for an unknown reason, listing the valid ids', () => {
    it('on the intake lane', async () => {
      expect(await post('/api/v1/inquiries', { source: 'web', body: 'x', reason: 'weather' })).toEqual({
        status: 400,
        type: 'application/json',
        body: unknownReason,
      });
    });

    it('for the reason action', async () => {
      expect(await post(`/api/v1/inquiries/${open}/reason`, { actor: alice, reason: 'weather' })).toEqual({
        status: 400,
        type: 'application/json',
        body: unknownReason,
      });
    });

    it('for a list filter (but unclassified is a filter)', async () => {
      expect((await get('/api/v1/inquiries?reason=weather')).body).toEqual(unknownReason);
      expect((await get('/api/v1/inquiries?reason=unclassified')).status).toBe(200);
    });
  });

  describe('404 not_found', () => {
    const notFound = { error: 'not_found', message: 'inquiry 999 not found' };
    it.each([
      ['GET /inquiries/:id', () => get('/api/v1/inquiries/999')],
      ['POST /inquiries/:id/messages', () => post('/api/v1/inquiries/999/messages', { direction: 'note', body: 'x' })],
      ['POST /inquiries/:id/claim', () => post('/api/v1/inquiries/999/claim', { actor: alice })],
      ['POST /inquiries/:id/resolve', () => post('/api/v1/inquiries/999/resolve', { actor: alice })],
    ])('for an unknown inquiry (%s)', async (_route, call) => {
      expect(await call()).toEqual({ status: 404, type: 'application/json', body: notFound });
    });

    it('for a route that does not exist, naming it', async () => {
      expect(await get('/api/v1/nothing')).toEqual({
        status: 404,
        type: 'application/json',
        body: { error: 'not_found', message: 'no route for GET /api/v1/nothing' },
      });
      expect((await post(`/api/v1/inquiries/${open}/explode`, { actor: alice })).body).toEqual({
        error: 'not_found',
        message: `no route for POST /api/v1/inquiries/${open}/explode`,
      });
    });
  });

  describe('409 for an action the inquiry’s state refuses, named in lower case', () => {
    it('a lost claim says who holds the inquiry', async () => {
      expect(await post(`/api/v1/inquiries/${claimed}/claim`, { actor: { id: 'api:bob' } })).toEqual({
        status: 409,
        type: 'application/json',
        body: {
          error: 'already_claimed',
          message: `inquiry ${claimed} is already claimed by Alice; assign it to take it over`,
          by: alice,
        },
      });
    });

    it.each([
      [
        'resolving a resolved inquiry',
        () => resolved,
        'resolve',
        'already_resolved',
        'is already resolved; reopen it first',
      ],
      ['unclaiming an open inquiry', () => open, 'unclaim', 'not_claimed', 'is not claimed by anyone'],
      [
        'reopening an open inquiry',
        () => open,
        'reopen',
        'not_resolved',
        'is not resolved, so there is nothing to reopen',
      ],
    ])('%s, in a sentence', async (_what, id, action, error, says) => {
      const res = await post(`/api/v1/inquiries/${id()}/${action}`, { actor: alice });
      expect(res).toEqual({
        status: 409,
        type: 'application/json',
        body: { error, message: `inquiry ${id()} ${says}` },
      });
    });
  });

  describe('401 unauthorized, with the scheme to use', () => {
    it.each([
      ['the intake lane', () => fetch(`${k.url}/api/v1/inquiries`, { method: 'POST', body: '{}' })],
      ['the app', () => fetch(`${k.url}/api/v1/inquiries`)],
      ['a route that does not exist', () => fetch(`${k.url}/api/v1/nothing`)],
    ])('from %s', async (_route, call) => {
      const res = await call();
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="koe"');
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({
        error: 'unauthorized',
        message: 'missing or wrong bearer token (KOE_INTAKE_TOKEN)',
      });
    });
  });

  it('stores nothing from a refused request', async () => {
    const detail = async (id: number) => (await get(`/api/v1/inquiries/${id}`)).body;
    expect((await detail(open)).messages).toEqual([]);
    expect((await detail(open)).status).toBe('open');
    expect((await get('/api/v1/inquiries?limit=200')).body.items).toHaveLength(3);
  });
});
