import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import type { ReadModel } from '../../src/core/ports/read-model.ts';
import { MAX_BODY_BYTES } from '../../src/intake/http/answers.ts';
import { createHttpServer, type HttpServer } from '../../src/intake/http/server.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createAdapterPorts } from '../../src/storage/adapter-ports.ts';
import { createWriteBatcher } from '../../src/storage/write-batch.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TOKEN = 'Http-Server-Test-Token-0123';

/**
 * koe's HTTP server on its own (no platforms, no worker) over a temp database: the route table's
 * answers, what happens when a route throws, platform routes beside the API, and close().
 */
describe('createHttpServer', () => {
  const t = tempDb();
  const ctx = coreContext(t.db);
  const read = createAdapterPorts(t.db).read;
  /** Set to make the read model throw, as a database that stopped answering would. */
  let readFails = false;
  const failingRead = new Proxy(read, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (readFails) throw new Error('the read model is down');
        return value.apply(target, args);
      };
    },
  }) as ReadModel;
  const log = silentLogger();
  const errors = vi.spyOn(log, 'error');
  const platformBodies: string[] = [];
  let server: HttpServer;
  let url: string;
  let port: number;

  beforeAll(async () => {
    server = createHttpServer({
      ctx,
      read: failingRead,
      batch: createWriteBatcher(t.db),
      intakeToken: new Secret(TOKEN),
      log,
      ready: () => true,
      platformRoutes: [
        {
          method: 'POST',
          path: '/platform/events',
          handle: async (request) => {
            platformBodies.push(await request.text());
            return new Response('handled', { status: 200 });
          },
        },
      ],
    });
    port = await server.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  const api = async (path: string, init: { method?: string; json?: unknown; token?: string } = {}) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${init.token ?? TOKEN}`, 'content-type': 'application/json' },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  describe('messages name their author', () => {
    let id: number;
    beforeAll(async () => {
      id = (await api('/inquiries', { json: { source: 'web', body: 'where is my order' } })).body.id;
    });

    it.each([
      ['by name only, as api:<name>', { name: 'Alice' }, { id: 'api:Alice', name: 'Alice' }],
      ['by id only, with no name', { id: 'api:bob' }, { id: 'api:bob', name: null }],
      ['by id and name', { id: 'crm:7', name: 'Carol' }, { id: 'crm:7', name: 'Carol' }],
      ['by neither, as api:unknown', {}, { id: 'api:unknown', name: null }],
    ])('%s', async (_what, author, expected) => {
      const sent = await api(`/inquiries/${id}/messages`, { json: { direction: 'note', body: 'a note', author } });
      expect(sent.status).toBe(201);
      expect(sent.body.author).toEqual(expected);
      const detail = await api(`/inquiries/${id}`);
      expect(detail.body.messages.find((m: any) => m.id === sent.body.id).author).toEqual(expected);
    });

    it('without an author: none', async () => {
      const sent = await api(`/inquiries/${id}/messages`, { json: { direction: 'note', body: 'anonymous' } });
      expect(sent.status).toBe(201);
      expect(sent.body.author).toBeNull();
    });
  });

  describe('the list filters by reason', () => {
    beforeAll(async () => {
      const created = await api('/inquiries', { json: { source: 'web', body: 'classified by hand' } });
      const reason = ctx.reasons[1]!.id;
      const set = await api(`/inquiries/${created.body.id}/reason`, {
        json: { actor: { id: 'api:alice' }, reason },
      });
      expect(set.status).toBe(200);
    });

    it('takes any configured reason, not only the first, and lists only its inquiries', async () => {
      expect(ctx.reasons.length).toBeGreaterThan(2);
      const reason = ctx.reasons[1]!.id;
      const listed = await api(`/inquiries?reason=${reason}`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((i: any) => i.body)).toEqual(['classified by hand']);
      expect((await api(`/inquiries?reason=${ctx.reasons.at(-1)!.id}`)).status).toBe(200);
      expect((await api('/inquiries?reason=unclassified')).status).toBe(200);
    });

    it('refuses a reason that is not configured, listing the valid ids', async () => {
      const listed = await api('/inquiries?reason=no-such-reason');
      expect(listed.status).toBe(400);
      expect(listed.body.validReasons).toEqual(ctx.reasons.map((r) => r.id));
    });
  });

  describe('a route that throws', () => {
    it('answers 500 internal_error on the app, and logs the error with its path', async () => {
      readFails = true;
      try {
        errors.mockClear();
        const res = await fetch(`${url}/api/v1/inquiries/1`, { headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.status).toBe(500);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(await res.json()).toEqual({ error: 'internal_error' });
        expect(errors).toHaveBeenCalledTimes(1);
        expect(errors.mock.calls[0]![0]).toMatchObject({ path: '/api/v1/inquiries/1' });
      } finally {
        readFails = false;
      }
    });
  });

  describe('platform routes beside the API', () => {
    it('are served without the API token', async () => {
      const res = await fetch(`${url}/platform/events`, { method: 'POST', body: 'payload' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('handled');
      expect(platformBodies).toContain('payload');
    });

    it('take at most 1 MiB: one byte more is a 413 that never reaches the platform', async () => {
      const before = platformBodies.length;
      const res = await fetch(`${url}/platform/events`, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
      expect(platformBodies.length).toBe(before);
    });
  });

  /**
   * A whole request, sent on a raw socket that asks to be kept alive: resolves with the answer's
   * status line once it arrives, and `closed` once koe closes the connection.
   */
  function rawRequest(lines: string[], body = ''): { status: Promise<string>; closed: () => boolean } {
    const socket: Socket = connect({ host: '127.0.0.1', port });
    let closed = false;
    let received = '';
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
    });
    const status = new Promise<string>((resolve) => {
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        if (received.includes('\r\n')) resolve(received.slice(0, received.indexOf('\r\n')));
      });
    });
    socket.write(
      [...lines, 'Host: koe', 'Connection: keep-alive', `Content-Length: ${Buffer.byteLength(body)}`, '', body].join(
        '\r\n',
      ),
    );
    return { status, closed: () => closed };
  }

  it.each([
    ['the intake lane (POST /api/v1/inquiries)', 'POST /api/v1/inquiries HTTP/1.1', '{"source":"web","body":"x"}'],
    ['the app (GET /api/v1/inquiries)', 'GET /api/v1/inquiries HTTP/1.1', ''],
  ])('closes the connection after a 401 on %s, even when the whole request was read', async (_door, line, body) => {
    const request = rawRequest([line, 'Authorization: Bearer wrong-token', 'Content-Type: application/json'], body);
    expect(await request.status).toBe('HTTP/1.1 401 Unauthorized');
    await waitFor(request.closed, 10_000, 'koe closes the refused connection');
  });

  it('close() stops listening: a new connection is refused', async () => {
    const other = createHttpServer({
      ctx,
      read,
      batch: createWriteBatcher(t.db),
      intakeToken: new Secret(TOKEN),
      log: silentLogger(),
      ready: () => true,
    });
    const otherPort = await other.listen(0, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${otherPort}/healthz`)).status).toBe(200);
    await other.close();
    await expect(fetch(`http://127.0.0.1:${otherPort}/healthz`)).rejects.toThrow();
    await other.close(); // a second close, on a server no longer listening, resolves too
  });
});
