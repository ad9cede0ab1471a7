import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

const TOO_LARGE: BodyResult = { ok: false, tooLarge: true };

/**
 * Reads a node request's body as UTF-8, refusing more than `maxBytes` (counted as they arrive, so a
 * chunked body cannot slip past a missing or false content-length). Past the limit it stops reading
 * at once (and reads nothing of a body declared too large): the refusal closes the connection
 * (`Answer.close`), so nothing is drained. The one body reader of both ways the server answers (the
 * fast route and hono).
 */
export function collectBody(incoming: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.off('data', onData);
      incoming.pause();
      resolve(TOO_LARGE);
    };
    incoming.on('data', onData);
    incoming.on('error', reject);
    incoming.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      resolve({ ok: true, text });
    });
  });
}

/**
 * A hono request's body, through `collectBody` on the node server: going through `c.req.raw.body`
 * makes @hono/node-server build a full web Request and stream per request, which cost intake more
 * CPU than storing the inquiry. Outside node (`app.request` in tests) it reads the web body.
 */
export async function readBodyText(c: Context, maxBytes: number): Promise<BodyResult> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) return collectBody(incoming, maxBytes);
  if (Number(c.req.header('content-length') ?? 0) > maxBytes) return TOO_LARGE;
  const buffer = await c.req.arrayBuffer();
  return buffer.byteLength > maxBytes ? TOO_LARGE : { ok: true, text: new TextDecoder().decode(buffer) };
}
