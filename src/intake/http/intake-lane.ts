import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Secret } from '../../config/secret.ts';
import type { CoreContext } from '../../core/context.ts';
import { createInquiry, createInquiryInput } from '../../core/inquiries/index.ts';
import type { Logger } from '../../lib/logger.ts';
import type { WriteBatcher } from '../../storage/write-batch.ts';
import { invalid, MAX_BODY_BYTES, parseJsonBody, refusal, tooLarge, unauthorized, type Answer } from './answers.ts';
import { bearerMatches } from './auth.ts';
import { serializeInquiry } from './serialize.ts';

const PATH = '/api/v1/inquiries';

export interface IntakeLane {
  /** Whether the request is `POST /api/v1/inquiries` (with or without a query string). */
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * `POST /api/v1/inquiries` on node's own request and response, in front of the hono app. It is the
 * one route that takes bursts, and per request hono's web Request/Response adaptation and the async
 * body iterator cost as much CPU as storing the inquiry (bench:intake measured ~50 µs of ~170). The
 * answers are the same objects the app's routes send (./answers.ts), so both speak one API.
 */
export function createIntakeLane(deps: {
  ctx: CoreContext;
  batch: WriteBatcher;
  intakeToken: Secret;
  log: Logger;
}): IntakeLane {
  const { ctx, batch, log } = deps;

  function send(res: ServerResponse, answer: Answer): void {
    if (res.headersSent) return;
    res
      .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      .end(JSON.stringify(answer.body));
  }

  async function respond(text: string): Promise<Answer> {
    const json = parseJsonBody(text);
    if (!json.ok) return json.answer;
    const parsed = createInquiryInput.safeParse(json.value);
    if (!parsed.success) return invalid(parsed.error);
    const outcome = await batch.run(() => createInquiry(ctx, parsed.data));
    if (!outcome.ok) return refusal(outcome);
    return { status: outcome.created ? 201 : 200, body: serializeInquiry(outcome.inquiry, outcome.customer) };
  }

  return {
    matches: (req) => req.method === 'POST' && (req.url === PATH || req.url?.startsWith(`${PATH}?`) === true),
    handle(req, res) {
      // Refusals that need no body are sent at once; the body is still drained so the keep-alive
      // connection stays usable.
      let early: Answer | null = null;
      if (!bearerMatches(req.headers.authorization, deps.intakeToken.reveal())) early = unauthorized;
      else if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) early = tooLarge;
      if (early) {
        send(res, early);
        req.resume();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      req.on('error', (error) => log.warn({ err: error }, 'http: intake request aborted'));
      req.on('end', () => {
        if (size > MAX_BODY_BYTES) return send(res, tooLarge);
        const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
        respond(text).then(
          (answer) => send(res, answer),
          (error: unknown) => {
            log.error({ err: error, path: PATH }, 'http: unhandled error');
            send(res, { status: 500, body: { error: 'internal_error' } });
          },
        );
      });
    },
  };
}
