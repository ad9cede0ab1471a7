import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../../lib/http-limits.ts';

// The limits live in lib/ so that config/ (which may not import intake/) can validate and default them.
export { DEFAULT_HTTP_LIMITS, type HttpLimits };

/** node's options for `createServer` that carry the timeouts. */
export function timeoutOptions(limits: HttpLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // How often node looks for connections past those timeouts (its default, 30 s, would let a late
    // socket live half a minute longer): a quarter of the headers' time, at most a second.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  };
}

interface Tracked {
  socket: Socket;
  address: string;
  /** Requests of this connection read and not yet answered. */
  serving: number;
}

/**
 * Caps the open connections, all together and per remote address. When a new connection would pass
 * a cap, koe closes the oldest connection under that cap that it is not answering (idle keep-alive,
 * or headers still to come) to make room; only when every one is mid-request is the new one refused.
 * So sockets held open on purpose cannot keep out a new client (a health check, above all): each new
 * connection pushes out the oldest of them, and a flood from one address only churns its own.
 *
 * node's `server.maxConnections` stays as a backstop above the cap: closes koe asks for here are
 * finished a moment later, and node drops any connection past its own limit outright.
 */
export function capConnections(server: Server, limits: HttpLimits): void {
  const all = new Map<Socket, Tracked>(); // in arrival order: the oldest first
  const byAddress = new Map<string, Set<Tracked>>();
  server.maxConnections = limits.maxConnections + Math.max(16, Math.ceil(limits.maxConnections / 8));

  const forget = (t: Tracked) => {
    all.delete(t.socket);
    const mine = byAddress.get(t.address);
    mine?.delete(t);
    if (mine?.size === 0) byAddress.delete(t.address);
  };
  /** Closes the oldest connection among `candidates` that has no request in hand; false when there is none. */
  const makeRoom = (candidates: Iterable<Tracked>): boolean => {
    for (const t of candidates) {
      if (t.serving > 0) continue;
      forget(t);
      t.socket.destroy();
      return true;
    }
    return false;
  };

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const mine = byAddress.get(address);
    const full =
      (mine !== undefined && mine.size >= limits.maxConnectionsPerAddress && !makeRoom(mine)) ||
      (all.size >= limits.maxConnections && !makeRoom(all.values()));
    if (full) {
      socket.destroy();
      return;
    }
    const t: Tracked = { socket, address, serving: 0 };
    all.set(socket, t);
    if (mine) mine.add(t);
    else byAddress.set(address, new Set([t]));
    socket.once('close', () => forget(t));
  });

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const t = all.get(req.socket);
    if (!t) return;
    t.serving += 1;
    res.once('close', () => {
      t.serving -= 1;
    });
  });
}
