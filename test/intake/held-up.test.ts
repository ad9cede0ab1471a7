import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKoe, TEST_TOKEN, type RunningKoe } from '../helpers/koe-instance.ts';

/**
 * What held up when koe was probed as an attacker would (issue 10), kept so: the bearer check on
 * every route, 431 for huge headers, invalid UTF-8 stored as U+FFFD, and SQL text in any parameter
 * refused or kept as plain data.
 */

let k: RunningKoe;
let port: number;
const count = (table: string) =>
  (k.koe.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

beforeAll(async () => {
  k = await startKoe();
  port = Number(new URL(k.url).port);
  const first = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'the first' } });
  expect(first.status).toBe(201);
});
afterAll(async () => k.stop());

/** Every route of the API, with a body it would take; and a path that is no route. */
const ROUTES: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown }> = [
  { method: 'POST', path: '/api/v1/inquiries', body: { source: 'web', body: 'x' } },
  { method: 'GET', path: '/api/v1/inquiries' },
  { method: 'GET', path: '/api/v1/inquiries/1' },
  { method: 'POST', path: '/api/v1/inquiries/1/messages', body: { direction: 'note', body: 'x' } },
  ...['claim', 'unclaim', 'resolve', 'reopen'].map((action) => ({
    method: 'POST' as const,
    path: `/api/v1/inquiries/1/${action}`,
    body: { actor: { id: 'api:x', name: 'x' } },
  })),
  {
    method: 'POST',
    path: '/api/v1/inquiries/1/assign',
    body: { actor: { id: 'api:x' }, assignee: { id: 'api:y' } },
  },
  { method: 'POST', path: '/api/v1/inquiries/1/reason', body: { actor: { id: 'api:x' }, reason: 'bug' } },
  { method: 'GET', path: '/api/v1/no-such-route' },
];

const WRONG: Array<[string, Record<string, string>, string]> = [
  ['missing', {}, ''],
  ['empty', { authorization: '' }, ''],
  ['wrong', { authorization: 'Bearer not-the-token' }, ''],
  ['Basic, with the token as the password', { authorization: `Basic ${btoa(`koe:${TEST_TOKEN}`)}` }, ''],
  ['Basic, with the token as is', { authorization: `Basic ${TEST_TOKEN}` }, ''],
  ['in the query (?token=)', {}, `?token=${TEST_TOKEN}`],
  ['in the query (?access_token=)', {}, `?access_token=${TEST_TOKEN}`],
  ['in another header (X-Api-Key)', { 'x-api-key': TEST_TOKEN }, ''],
];

describe('the bearer check, on every route', () => {
  describe.each(ROUTES)('$method $path', (route) => {
    it.each(WRONG)('answers 401 to a token %s, and stores nothing', async (_how, headers, query) => {
      const before = [count('inquiries'), count('messages'), count('events')];
      const sep = route.path.includes('?') ? '&' : '';
      const res = await fetch(`${k.url}${route.path}${sep}${query}`, {
        method: route.method,
        headers: { ...headers, ...(route.body !== undefined && { 'content-type': 'application/json' }) },
        body: route.body === undefined ? undefined : JSON.stringify(route.body),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect([count('inquiries'), count('messages'), count('events')]).toEqual(before);
    });
  });
});

/** A raw HTTP/1.1 request on a socket of its own; resolves with the status line. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.on('data', (d) => {
      answer += String(d);
      if (answer.includes('\r\n')) {
        resolve(answer.slice(0, answer.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.write(head);
  });
}

describe('huge headers', () => {
  it.each([
    ['one 32 KiB header', `X-Big: ${'a'.repeat(32 * 1024)}\r\n`],
    ['2,000 small headers', Array.from({ length: 2_000 }, (_, i) => `X-H${i}: ${'b'.repeat(10)}\r\n`).join('')],
    ['a 32 KiB authorization header', `Authorization: Bearer ${'c'.repeat(32 * 1024)}\r\n`],
  ])('answer 431 to %s, and koe keeps answering', async (_what, headers) => {
    const status = await rawRequest(`GET /api/v1/inquiries HTTP/1.1\r\nHost: koe\r\n${headers}\r\n`);
    expect(status).toMatch(/^HTTP\/1\.1 431 /);
    expect((await fetch(`${k.url}/healthz`)).status).toBe(200);
  });
});

/** POSTs raw bytes as JSON with the token; resolves with the status and the parsed answer. */
function postBytes(path: string, body: Buffer): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('invalid UTF-8', () => {
  // A stray continuation byte, 0xFF, an overlong '/', a UTF-8-encoded surrogate, a cut 3-byte sequence.
  const BAD = [
    Buffer.from([0x80]),
    Buffer.from([0xff]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xe3, 0x81]),
  ];
  const withBad = (prefix: string, bad: Buffer, suffix: string) =>
    Buffer.concat([Buffer.from(prefix, 'utf8'), bad, Buffer.from(suffix, 'utf8')]);

  it.each(BAD.map((b) => [b.toString('hex'), b]))(
    'is stored as U+FFFD, the rest intact: bytes %s in an inquiry and a follow-up',
    async (_hex, bad) => {
      const created = await postBytes(
        '/api/v1/inquiries',
        withBad('{"source":"web","subject":"件名', bad, '終","body":"a😀b"}'),
      );
      expect(created.status).toBe(201);
      const stored = await (await k.api(`/api/v1/inquiries/${created.json.id}`)).json();
      expect(stored.subject).toMatch(/^件名\uFFFD+終$/);
      expect(stored.body).toBe('a😀b');

      const note = await postBytes(
        `/api/v1/inquiries/${created.json.id}/messages`,
        withBad('{"direction":"note","body":"メモ', bad, '"}'),
      );
      expect(note.status).toBe(201);
      const detail = await (await k.api(`/api/v1/inquiries/${created.json.id}`)).json();
      expect(detail.messages.at(-1).body).toMatch(/^メモ\uFFFD+$/);
    },
  );
});

describe('SQL text in any parameter', () => {
  const SQL = [
    "1' OR '1'='1",
    '1; DROP TABLE inquiries; --',
    "' UNION SELECT name, sql FROM sqlite_master --",
    '1)) OR 1=1 --',
  ];

  it.each(SQL)('is refused with 400 in every list parameter and the id: %s', async (sql) => {
    for (const param of ['status', 'reason', 'since', 'limit', 'cursor', 'include']) {
      const res = await k.api(`/api/v1/inquiries?${param}=${encodeURIComponent(sql)}`);
      expect(res.status, param).toBe(400);
      expect((await res.json()).error).toBe('invalid_request');
    }
    for (const path of ['', '/messages', '/claim']) {
      const res = await k.api(`/api/v1/inquiries/${encodeURIComponent(sql)}${path}`, {
        method: path ? 'POST' : 'GET',
        json: path ? { actor: { id: 'api:x' }, direction: 'note', body: 'x' } : undefined,
      });
      expect(res.status, path).toBe(400);
    }
    // Fields with a form of their own (a reason id, an email address, a time, a URL) refuse it too.
    for (const field of [{ reason: sql }, { customer: { email: sql } }, { receivedAt: sql }, { url: sql }]) {
      const res = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'x', ...field } });
      expect(res.status, JSON.stringify(field)).toBe(400);
    }
  });

  it.each(SQL)('is stored as plain data where it is data, and read back exactly: %s', async (sql) => {
    const before = count('inquiries');
    const created = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: {
        source: sql,
        externalId: sql,
        subject: sql,
        body: sql,
        customer: { id: sql, name: sql, email: 'taro@example.com' },
        metadata: { [sql]: sql },
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = await created.json();
    const note = await k.api(`/api/v1/inquiries/${id}/messages`, {
      method: 'POST',
      json: { direction: 'note', body: sql, author: { id: `api:${sql}`, name: sql }, externalId: sql },
    });
    expect(note.status).toBe(201);
    const claim = await k.api(`/api/v1/inquiries/${id}/claim`, {
      method: 'POST',
      json: { actor: { id: `api:${sql}`, name: sql } },
    });
    expect(claim.status).toBe(200);

    const got = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(got).toMatchObject({ source: sql, externalId: sql, subject: sql, body: sql, metadata: { [sql]: sql } });
    expect(got.customer).toMatchObject({ name: sql });
    expect(got.messages.at(-1)).toMatchObject({ body: sql, author: { id: `api:${sql}`, name: sql } });
    expect(got.assignee).toMatchObject({ id: `api:${sql}`, name: sql });
    // Nothing else changed: one more inquiry, every table still there.
    expect(count('inquiries')).toBe(before + 1);
    const listed = await k.api(`/api/v1/inquiries?limit=200`);
    expect(listed.status).toBe(200);
  });
});
