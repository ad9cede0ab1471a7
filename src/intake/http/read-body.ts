import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/**
 * Reads a request body as UTF-8, refusing more than `maxBytes`. On the node server it reads the
 * IncomingMessage directly: going through `c.req.raw.body` makes @hono/node-server build a full
 * web Request and stream per request, which cost intake more CPU than storing the inquiry.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<BodyResult> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > maxBytes) return { ok: false, tooLarge: true };
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) {
    const buffer = await c.req.arrayBuffer();
    return buffer.byteLength > maxBytes
      ? { ok: false, tooLarge: true }
      : { ok: true, text: new TextDecoder().decode(buffer) };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      tooLarge = true; // keep draining so the connection stays usable
    else chunks.push(chunk);
  }
  return tooLarge ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
