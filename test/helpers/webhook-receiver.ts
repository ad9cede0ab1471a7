import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from './temp-db.ts';

/** One request a receiver got: its headers, its body exactly as it arrived, and that body parsed. */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: any;
}

/** What a receiver answers to its `n`th request (0-based). */
export type ReceiverAnswer = (
  request: ReceivedRequest,
  n: number,
) => {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the connection stays open until the receiver closes). */
  hang?: true;
};

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1:0 standing in for a customer's reply webhook: it keeps every
 * request it was sent and answers as `answer` says (200 by default).
 */
export async function startReceiver(answer: ReceiverAnswer = () => ({ status: 200 })): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    let json: unknown = null;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      // kept as null: a test that expects JSON fails on it
    }
    const request = { headers: req.headers, raw, json };
    requests.push(request);
    const a = answer(request, requests.length - 1);
    if (a.hang) return;
    res.writeHead(a.status, a.headers).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/koe/replies`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The verifier the README gives customers, as a function. */
export type ReadmeVerifier = (
  secret: string,
  headers: Record<string, unknown>,
  rawBody: string | Buffer,
  nowSeconds?: number,
) => boolean;

const MARKER = '<!-- test/intake/webhook-verifier.test.ts runs the next code block as it is -->';

/** The README's verifier code block, exactly as printed there. */
export function readmeVerifierSource(): string {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error('the README has lost its verifier marker');
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at + MARKER.length));
  if (!block?.[1]) throw new Error('no ```js block after the README verifier marker');
  return block[1];
}

/** Loads the README's verifier as a customer would: saved to a .mjs file and imported by plain Node. */
export async function loadReadmeVerifier(): Promise<ReadmeVerifier> {
  const { dir, cleanup } = tempDir('koe-verifier-');
  const file = join(dir, 'verify-koe.mjs');
  writeFileSync(file, readmeVerifierSource());
  const mod = (await import(pathToFileURL(file).href).finally(cleanup)) as { verifyKoe?: ReadmeVerifier };
  if (typeof mod.verifyKoe !== 'function') throw new Error('the README verifier exports no verifyKoe');
  return mod.verifyKoe;
}
