import { request } from 'node:http';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/intake/http/answers.ts';
import { readBodyText } from '../../src/intake/http/read-body.ts';
import { startKoe, TEST_TOKEN, type RunningKoe } from '../helpers/koe-instance.ts';

const LIMIT = 1_048_576; // 1 MiB, as the API documents it

/** A JSON body of exactly `bytes` bytes: `value`, then spaces (JSON allows trailing whitespace). */
function jsonOfSize(value: unknown, bytes: number): Buffer {
  const json = Buffer.from(JSON.stringify(value));
  if (json.length > bytes) throw new Error('the value alone is larger than the size asked for');
  return Buffer.concat([json, Buffer.alloc(bytes - json.length, ' ')]);
}

/**
 * POSTs `body` to koe on a connection of its own: with a content-length, or without one in 64 KiB
 * chunks (Transfer-Encoding: chunked), so only counting what arrives can find the size.
 */
function post(
  url: string,
  body: Buffer,
  framing: 'content-length' | 'chunked',
): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        ...(framing === 'content-length' && { 'content-length': body.length }),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
        req.destroy();
      });
    });
    // A server may answer a body it refuses before reading all of it; what matters is the answer.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (framing === 'chunked') {
      for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

/** Sends only the headers of a POST declaring `declared` bytes; resolves with the status if koe answers before any body. */
function declareOnly(url: string, declared: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'content-type': 'application/json',
        'content-length': declared,
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('no answer while the body was still to come'));
    }, 5_000);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => {});
    req.flushHeaders();
  });
}

describe('the 1 MiB body limit', () => {
  let k: RunningKoe;
  let inquiryId: number;
  beforeAll(async () => {
    k = await startKoe();
    inquiryId = (
      await (await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'first' } })).json()
    ).id;
  });
  afterAll(async () => k.stop());

  it('is the limit the API documents', () => {
    expect(MAX_BODY_BYTES).toBe(LIMIT);
  });

  const routes = [
    {
      name: 'POST /api/v1/inquiries (the intake lane)',
      path: () => '/api/v1/inquiries',
      body: (tag: string) => ({ source: 'web', body: tag }),
      stored: async (tag: string) =>
        (await (await k.api('/api/v1/inquiries?limit=200')).json()).items.filter((i: any) => i.body === tag).length,
    },
    {
      name: 'POST /api/v1/inquiries/:id/messages (the app)',
      path: () => `/api/v1/inquiries/${inquiryId}/messages`,
      body: (tag: string) => ({ direction: 'note', body: tag }),
      stored: async (tag: string) =>
        (await (await k.api(`/api/v1/inquiries/${inquiryId}`)).json()).messages.filter((m: any) => m.body === tag)
          .length,
    },
  ];

  describe.each(routes)('$name', (route) => {
    it.each(['content-length', 'chunked'] as const)('takes a body of exactly 1 MiB (%s)', async (framing) => {
      const tag = `exactly 1 MiB, ${framing}`;
      const answer = await post(`${k.url}${route.path()}`, jsonOfSize(route.body(tag), LIMIT), framing);
      expect(answer.status).toBe(201);
      expect(await route.stored(tag)).toBe(1);
    });

    it('refuses a declared 1 MiB and one byte with 413 before the body is sent', async () => {
      expect(await declareOnly(`${k.url}${route.path()}`, LIMIT + 1)).toBe(413);
    });

    it.each(['content-length', 'chunked'] as const)('refuses 1 MiB and one byte with 413 (%s)', async (framing) => {
      const tag = `one byte over, ${framing}`;
      const answer = await post(`${k.url}${route.path()}`, jsonOfSize(route.body(tag), LIMIT + 1), framing);
      expect(answer).toEqual({
        status: 413,
        json: { error: 'payload_too_large', message: `body over ${LIMIT} bytes` },
      });
      expect(await route.stored(tag)).toBe(0);
    });
  });
});

describe('readBodyText outside the node server (a fetch-style request)', () => {
  const app = new Hono().post('/', async (c) => c.json(await readBodyText(c, 10)));
  const read = async (body: string, headers: Record<string, string> = {}) =>
    (await app.request('/', { method: 'POST', body, headers })).json();

  it('takes a body of exactly the limit and refuses one byte more', async () => {
    expect(await read('0123456789')).toEqual({ ok: true, text: '0123456789' });
    expect(await read('0123456789X')).toEqual({ ok: false, tooLarge: true });
  });

  it('refuses a declared content-length over the limit, and counts bytes, not characters', async () => {
    expect(await read('0123', { 'content-length': '11' })).toEqual({ ok: false, tooLarge: true });
    expect(await read('0123456789', { 'content-length': '10' })).toEqual({ ok: true, text: '0123456789' });
    expect(await read('ああああ')).toEqual({ ok: false, tooLarge: true }); // 12 bytes in UTF-8
    expect(await read('あああ')).toEqual({ ok: true, text: 'あああ' }); // 9
  });
});
