import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRecord {
  kind: 'post' | 'update' | 'thread';
  deliveryId: number;
  inquiryId: number;
  ref: string;
}

/**
 * A minimal chat service on loopback for the outbox's crash tests: it stores what was posted with
 * the delivery id the post carried, answers look-ups by that id, and can be told to swallow a
 * request (record it, never answer) so the caller is killed mid-delivery.
 */
export async function startFakeChatServer() {
  const records: ChatRecord[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let hangOnPost: number | null = null;
  let posts = 0;
  const hung: ServerResponse[] = [];

  const read = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => resolve(body ? JSON.parse(body) : {}));
    });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/find') {
      const id = Number(url.searchParams.get('deliveryId'));
      const found = records.find((r) => r.deliveryId === id && r.kind !== 'update');
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? {}));
      return;
    }
    const body = await read(req);
    const kind = url.pathname.slice(1) as ChatRecord['kind'];
    const record: ChatRecord = {
      kind,
      deliveryId: Number(body.deliveryId),
      inquiryId: Number(body.inquiryId),
      ref: `msg-${records.length + 1}`,
    };
    records.push(record);
    for (const w of waiters.filter((w) => records.length >= w.count)) w.resolve();
    if (kind === 'post') {
      posts += 1;
      if (hangOnPost !== null && posts === hangOnPost) {
        hung.push(res); // landed, but the answer never comes
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ref: record.ref }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    hangOnPost: (n: number | null) => {
      hangOnPost = n;
      posts = 0;
    },
    /** Resolves once at least `count` requests have been recorded. */
    waitForRecords: (count: number) =>
      new Promise<void>((resolve) => (records.length >= count ? resolve() : waiters.push({ count, resolve }))),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
