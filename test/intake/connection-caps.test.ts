import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  capConnections,
  DEFAULT_HTTP_LIMITS,
  type HttpLimits,
  timeoutOptions,
} from '../../src/intake/http/connections.ts';

/**
 * The connection caps and timeouts by themselves, over a stand-in server and sockets: which socket
 * is closed to make room, exactly at the cap. (connection-limits.test.ts floods a real koe.)
 */
class FakeSocket extends EventEmitter {
  destroyed = 0;
  constructor(readonly remoteAddress: string | undefined) {
    super();
  }
  destroy() {
    this.destroyed += 1;
    this.emit('close');
  }
}

function serverWith(limits: Partial<HttpLimits>) {
  const server = new EventEmitter() as EventEmitter & { maxConnections?: number };
  capConnections(server as unknown as Server, { ...DEFAULT_HTTP_LIMITS, ...limits });
  const open = (...address: [string | undefined] | []) => {
    const socket = new FakeSocket(address.length === 0 ? '10.0.0.1' : address[0]);
    server.emit('connection', socket);
    return socket;
  };
  /** A request read on `socket` and not yet answered; `answer()` ends it. */
  const request = (socket: FakeSocket) => {
    const res = new EventEmitter();
    server.emit('request', { socket }, res);
    return { answer: () => res.emit('close') };
  };
  return { server, open, request };
}

describe('timeoutOptions', () => {
  it('passes the timeouts to node and checks for late connections a quarter of the headers’ time', () => {
    expect(
      timeoutOptions({
        ...DEFAULT_HTTP_LIMITS,
        headersTimeoutMs: 2_000,
        requestTimeoutMs: 7_000,
        keepAliveTimeoutMs: 900,
      }),
    ).toEqual({
      headersTimeout: 2_000,
      requestTimeout: 7_000,
      keepAliveTimeout: 900,
      connectionsCheckingInterval: 500,
    });
  });

  it('checks at most every second, and at least every 10 ms', () => {
    expect(timeoutOptions({ ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 60_000 }).connectionsCheckingInterval).toBe(
      1_000,
    );
    expect(timeoutOptions({ ...DEFAULT_HTTP_LIMITS, headersTimeoutMs: 20 }).connectionsCheckingInterval).toBe(10);
  });
});

describe('capConnections', () => {
  it('sets node’s own limit above the cap: an eighth more, at least 16', () => {
    expect(serverWith({ maxConnections: 40 }).server.maxConnections).toBe(56);
    expect(serverWith({ maxConnections: 800 }).server.maxConnections).toBe(900);
  });

  it('keeps exactly the cap open: the next connection closes the oldest idle one', () => {
    const { open } = serverWith({ maxConnections: 3, maxConnectionsPerAddress: 10 });
    const [a, b, c] = [open('10.0.0.1'), open('10.0.0.2'), open('10.0.0.3')];
    expect([a.destroyed, b.destroyed, c.destroyed]).toEqual([0, 0, 0]);
    const d = open('10.0.0.4');
    expect([a.destroyed, b.destroyed, c.destroyed, d.destroyed]).toEqual([1, 0, 0, 0]);
  });

  it('caps each address by itself: other addresses are not touched', () => {
    const { open } = serverWith({ maxConnections: 100, maxConnectionsPerAddress: 2 });
    const [a1, b1, a2] = [open('10.0.0.1'), open('10.0.0.2'), open('10.0.0.1')];
    const a3 = open('10.0.0.1');
    expect([a1.destroyed, a2.destroyed, a3.destroyed, b1.destroyed]).toEqual([1, 0, 0, 0]);
    const b2 = open('10.0.0.2');
    expect([b1.destroyed, b2.destroyed, a2.destroyed, a3.destroyed]).toEqual([0, 0, 0, 0]);
  });

  it('counts sockets without a remote address as one address of their own', () => {
    const { open } = serverWith({ maxConnections: 100, maxConnectionsPerAddress: 1 });
    const known = open('10.0.0.1');
    const unknown = open(undefined);
    expect([known.destroyed, unknown.destroyed]).toEqual([0, 0]);
  });

  it('never closes a connection it is answering: the new one is refused instead, until the answer is out', () => {
    const { open, request } = serverWith({ maxConnections: 1, maxConnectionsPerAddress: 1 });
    const busy = open();
    const inFlight = request(busy);
    const refused = open();
    expect([busy.destroyed, refused.destroyed]).toEqual([0, 1]);
    inFlight.answer();
    const next = open();
    expect([busy.destroyed, next.destroyed]).toEqual([1, 0]);
  });

  it('counts each request in hand: a connection with two is busy until both are answered', () => {
    const { open, request } = serverWith({ maxConnections: 1, maxConnectionsPerAddress: 1 });
    const busy = open();
    const first = request(busy);
    const second = request(busy);
    first.answer();
    expect(open().destroyed).toBe(1);
    second.answer();
    expect(open().destroyed).toBe(0);
    expect(busy.destroyed).toBe(1);
  });

  it('forgets a connection once it closes: a closed one is never closed again to make room', () => {
    const { open } = serverWith({ maxConnections: 1, maxConnectionsPerAddress: 1 });
    const gone = open();
    gone.emit('close');
    const next = open();
    expect([gone.destroyed, next.destroyed]).toEqual([0, 0]);
  });

  it('ignores a request on a socket it does not track (refused, or already forgotten)', () => {
    const { open, request } = serverWith({ maxConnections: 1, maxConnectionsPerAddress: 1 });
    expect(() => request(new FakeSocket('10.9.9.9'))).not.toThrow();
    expect(open().destroyed).toBe(0);
  });
});
