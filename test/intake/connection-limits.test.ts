import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKoe, TEST_TOKEN, type RunningKoe } from '../helpers/koe-instance.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Sockets that never finish a request: `idle` sends nothing, `partial` sends a request line and one
 * header but never the blank line that ends the headers. Every address is on loopback (all of
 * 127.0.0.0/8 is), so one test can play several remote addresses.
 */
class Flood {
  private readonly open = new Set<Socket>();
  private readonly all: Socket[] = [];
  constructor(private readonly port: number) {}

  /** Opens `count` sockets from `from`, `batch` at a time, each batch connected (or closed) before the next. */
  async add(count: number, from: string, kind: 'idle' | 'partial', batch = 100): Promise<void> {
    for (let done = 0; done < count; done += batch) {
      const n = Math.min(batch, count - done);
      await Promise.all(Array.from({ length: n }, () => this.one(from, kind)));
    }
  }

  private one(from: string, kind: 'idle' | 'partial'): Promise<void> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: this.port, localAddress: from });
      this.all.push(socket);
      this.open.add(socket);
      socket.on('error', () => {}); // a socket koe closed to make room reads ECONNRESET
      socket.on('data', () => {}); // a 408 before closing
      socket.on('close', () => {
        this.open.delete(socket);
        resolve();
      });
      socket.on('connect', () => {
        if (kind === 'partial') socket.write('GET /api/v1/inquiries HTTP/1.1\r\nHost: koe\r\n');
        resolve();
      });
    });
  }

  /** Sockets still open, from the client's side. */
  get size(): number {
    return this.open.size;
  }

  end(): void {
    for (const socket of this.all) socket.destroy();
  }
}

/** GET /healthz on a connection of its own from `from`; rejects if no answer within `withinMs`. */
function healthz(port: number, from = '127.0.0.1', withinMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', localAddress: from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(withinMs, () => req.destroy(new Error(`/healthz gave no answer within ${withinMs} ms`)));
    req.on('error', reject);
  });
}

/** Asks /healthz every 200 ms while `work` runs; each must answer 200 within a few seconds (the bound). */
async function healthyThroughout(port: number, work: Promise<void>): Promise<number> {
  let running = true;
  let answered = 0;
  const probes = (async () => {
    while (running) {
      expect(await healthz(port)).toBe(200);
      answered += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await work;
  } finally {
    running = false;
  }
  await probes;
  expect(await healthz(port)).toBe(200);
  return answered + 1;
}

describe('connection caps (timeouts long, so only the caps close anything)', () => {
  const PER_ADDRESS = 150;
  const TOTAL = 400;
  let k: RunningKoe;
  let port: number;
  let flood: Flood;
  beforeAll(async () => {
    k = await startKoe(null, {}, { http: { maxConnections: TOTAL, maxConnectionsPerAddress: PER_ADDRESS } });
    port = Number(new URL(k.url).port);
  });
  afterEach(async () => {
    flood.end();
    await waitFor(() => flood.size === 0, 10_000, 'the flood’s sockets to close');
  });
  afterAll(async () => k.stop());

  it('one address holding 1,500 partial-header connections keeps at most its share; /healthz answers from another', async () => {
    flood = new Flood(port);
    const answered = await healthyThroughout(port, flood.add(1_500, '127.0.0.2', 'partial'));
    expect(answered).toBeGreaterThan(0);
    await waitFor(() => flood.size <= PER_ADDRESS, 10_000, `at most ${PER_ADDRESS} of the flood's sockets open`);
    // The newest stay: koe made room by closing the oldest that were not being answered.
    expect(flood.size).toBeGreaterThan(0);
  });

  it('2,000 idle and partial-header connections from eight addresses keep at most the total open; /healthz answers', async () => {
    flood = new Flood(port);
    const froms = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
    const work = (async () => {
      for (const from of froms) {
        await flood.add(125, from, 'idle');
        await flood.add(125, from, 'partial');
      }
    })();
    await healthyThroughout(port, work);
    await waitFor(() => flood.size <= TOTAL, 10_000, `at most ${TOTAL} of the flood's sockets open`);
  });

  it('never closes a connection whose request it is reading to make room', async () => {
    const body = JSON.stringify({ source: 'web', body: 'sent slowly while its address floods' });
    const socket = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.3' });
    let text = '';
    socket.on('error', () => {});
    socket.on('data', (d) => (text += d));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/inquiries HTTP/1.1\r\nHost: koe\r\nAuthorization: Bearer ${TEST_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    flood = new Flood(port);
    try {
      await flood.add(PER_ADDRESS * 2, '127.0.0.3', 'partial');
      await waitFor(() => flood.size <= PER_ADDRESS - 1, 10_000, 'the flood to be cut to its share');
      socket.write(body.slice(10));
      await waitFor(() => text.includes('\r\n\r\n') || socket.destroyed, 10_000, 'the slow request answered or closed');
      expect(text).toMatch(/^HTTP\/1\.1 201 /);
    } finally {
      socket.destroy();
    }
  });
});

describe('connection timeouts (short ones, through createHttpServer’s limits)', () => {
  let k: RunningKoe;
  let port: number;
  const flood = () => new Flood(port);
  beforeAll(async () => {
    k = await startKoe(null, {}, { http: { headersTimeoutMs: 300, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 300 } });
    port = Number(new URL(k.url).port);
  });
  afterAll(async () => k.stop());

  it('closes idle and partial-header connections once the headers are late', async () => {
    const f = flood();
    try {
      await f.add(200, '127.0.0.2', 'idle');
      await f.add(200, '127.0.0.2', 'partial');
      // Node's default would keep them a minute; koe's limit closes them.
      await waitFor(() => f.size === 0, 10_000, 'every idle and partial-header socket to be closed');
      expect(await healthz(port)).toBe(200);
    } finally {
      f.end();
    }
  });

  it('closes a keep-alive connection left idle after its answer', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    let closed = false;
    let text = '';
    socket.on('error', () => {});
    socket.on('data', (d) => (text += d));
    socket.on('close', () => (closed = true));
    socket.write('GET /healthz HTTP/1.1\r\nHost: koe\r\n\r\n');
    try {
      await waitFor(() => text.startsWith('HTTP/1.1 200'), 10_000, 'the /healthz answer');
      await waitFor(() => closed, 10_000, 'the idle keep-alive connection to be closed');
    } finally {
      socket.destroy();
    }
  });
});
