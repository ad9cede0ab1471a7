import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Secret } from '../../config/secret.ts';
import type { CoreContext } from '../../core/context.ts';
import type { Failure } from '../../core/errors.ts';
import {
  addMessage,
  assign,
  claim,
  createInquiry,
  createInquiryInput,
  reopen,
  resolve,
  setReason,
  unclaim,
} from '../../core/inquiries/index.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PlatformRuntime } from '../../platforms/types.ts';
import type { Db } from '../../storage/db.ts';
import { decodeCursor, getInquiryDetail, listInquiries } from '../../storage/inquiry-queries.ts';
import { createWriteBatcher } from '../../storage/write-batch.ts';
import { bearerMatches } from './auth.ts';
import { readBodyText } from './read-body.ts';
import { serializeDetail, serializeInquiry, serializeMessage } from './serialize.ts';

export const MAX_BODY_BYTES = 1024 * 1024; // 1 MiB

export interface HttpAppDeps {
  ctx: CoreContext;
  db: Db;
  intakeToken: Secret;
  log: Logger;
  /** True once the database is open and migrated. */
  ready: () => boolean;
  /** Platform routes (e.g. Slack's events endpoint) mounted beside the API. */
  platformRoutes?: NonNullable<PlatformRuntime['http']>[];
}

const messageInput = z
  .object({
    direction: z.enum(['inbound', 'outbound', 'note']),
    body: z.string().min(1).max(100_000).refine((s) => s.trim().length > 0, 'must not be blank'),
    author: z.object({ id: z.string().min(1).max(500).optional(), name: z.string().max(500).optional() }).strict().optional(),
    externalId: z.string().min(1).max(500).optional(),
  })
  .strict();

const actorInput = z.object({ id: z.string().min(1).max(500), name: z.string().max(500).optional() }).strict();

/** Lifecycle actions over the API, for tools beside chat (helpdesks, scripts). The actor is named by the caller. */
const actionInput = {
  claim: z.object({ actor: actorInput }).strict(),
  unclaim: z.object({ actor: actorInput }).strict(),
  reopen: z.object({ actor: actorInput }).strict(),
  resolve: z.object({ actor: actorInput, note: z.string().max(10_000).optional() }).strict(),
  assign: z.object({ actor: actorInput, assignee: actorInput }).strict(),
  reason: z.object({ actor: actorInput, reason: z.string().min(1).max(100) }).strict(),
} as const;

type ActionName = keyof typeof actionInput;

/** Validates `body` for `action` (throwing a ZodError) and runs the verb. */
function performAction(ctx: CoreContext, inquiryId: number, action: ActionName, body: unknown) {
  switch (action) {
    case 'claim':
      return claim(ctx, { inquiryId, ...actionInput.claim.parse(body) });
    case 'unclaim':
      return unclaim(ctx, { inquiryId, ...actionInput.unclaim.parse(body) });
    case 'reopen':
      return reopen(ctx, { inquiryId, ...actionInput.reopen.parse(body) });
    case 'resolve':
      return resolve(ctx, { inquiryId, ...actionInput.resolve.parse(body) });
    case 'assign':
      return assign(ctx, { inquiryId, ...actionInput.assign.parse(body) });
    case 'reason': {
      const { actor, reason } = actionInput.reason.parse(body);
      return setReason(ctx, { inquiryId, actor, reasonId: reason, source: 'human' });
    }
  }
}

const listQuery = z
  .object({
    status: z.enum(['open', 'claimed', 'resolved']).optional(),
    reason: z.string().min(1).max(100).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function issuesOf(error: z.ZodError) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}

function invalid(c: Context, error: z.ZodError) {
  return c.json({ error: 'invalid_request', issues: issuesOf(error) }, 400);
}

function refusal(c: Context, failure: Failure) {
  if (failure.code === 'NOT_FOUND') return c.json({ error: 'not_found', message: `inquiry ${failure.inquiryId} not found` }, 404);
  if (failure.code === 'UNKNOWN_REASON') {
    return c.json(
      {
        error: 'invalid_request',
        issues: [{ path: 'reason', message: `unknown reason; valid ids: ${failure.validReasons?.join(', ')}` }],
        validReasons: failure.validReasons,
      },
      400,
    );
  }
  return c.json(
    {
      error: failure.code.toLowerCase(),
      message: failure.message ?? failure.code,
      ...(failure.by && { by: failure.by }),
    },
    409,
  );
}

// A lone surrogate can reach koe only as a JSON escape (`"\ud800"`: raw bytes that are not UTF-8
// decode to U+FFFD already). SQLite stores text as UTF-8, where half a pair becomes three bytes that
// read back as three U+FFFD; replacing it with one U+FFFD first keeps what koe stores, returns and
// mirrors the same, and well-formed.
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k) as string, wellFormed(v)]));
  }
  return value;
}

/** Reads a JSON body; or the response to send: 413 when too large, 400 when not JSON. */
async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const body = await readBodyText(c, MAX_BODY_BYTES);
  if (!body.ok) return { ok: false, response: c.json({ error: 'payload_too_large', message: `body over ${MAX_BODY_BYTES} bytes` }, 413) };
  try {
    const value: unknown = JSON.parse(body.text);
    return { ok: true, value: SURROGATE_ESCAPE.test(body.text) ? wellFormed(value) : value };
  } catch (error) {
    return {
      ok: false,
      response: c.json({ error: 'invalid_json', message: `body is not valid JSON: ${(error as Error).message}` }, 400),
    };
  }
}

/** koe's HTTP surface: the intake API, health, and the platforms' routes. */
export function createHttpApp(deps: HttpAppDeps): Hono {
  const { ctx, db, log } = deps;
  const batch = createWriteBatcher(db);
  const app = new Hono();

  app.onError((error, c) => {
    log.error({ err: error, path: c.req.path }, 'http: unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.get('/healthz', (c) => (deps.ready() ? c.json({ status: 'ok' }) : c.json({ status: 'starting' }, 503)));

  for (const route of deps.platformRoutes ?? []) {
    app.on(route.method, route.path, bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload_too_large' }, 413) }), (c) =>
      route.handle(c.req.raw),
    );
  }

  const api = new Hono();
  api.use('*', async (c, next) => {
    if (!bearerMatches(c.req.header('authorization'), deps.intakeToken.reveal())) {
      c.header('WWW-Authenticate', 'Bearer realm="koe"');
      return c.json({ error: 'unauthorized', message: 'missing or wrong bearer token (KOE_INTAKE_TOKEN)' }, 401);
    }
    await next();
  });

  api.post('/inquiries', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = createInquiryInput.safeParse(body.value);
    if (!parsed.success) return invalid(c, parsed.error);
    const outcome = await batch.run(() => createInquiry(ctx, parsed.data));
    if (!outcome.ok) return refusal(c, outcome);
    return c.json(serializeInquiry(outcome.inquiry, outcome.customer), outcome.created ? 201 : 200);
  });

  api.post('/inquiries/:id/messages', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] }, 400);
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const parsed = messageInput.safeParse(body.value);
    if (!parsed.success) return invalid(c, parsed.error);
    const { author, ...rest } = parsed.data;
    const outcome = await batch.run(() =>
      addMessage(ctx, {
      inquiryId: id.data,
      ...rest,
        author: author ? { id: author.id ?? `api:${author.name ?? 'unknown'}`, name: author.name ?? null } : undefined,
      }),
    );
    if (!outcome.ok) return refusal(c, outcome);
    return c.json(serializeMessage(outcome.message), outcome.created ? 201 : 200);
  });

  api.post('/inquiries/:id/:action{claim|unclaim|reopen|resolve|assign|reason}', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] }, 400);
    const action = c.req.param('action') as ActionName;
    const body = await readJson(c);
    if (!body.ok) return body.response;
    let outcome: ReturnType<typeof performAction>;
    try {
      outcome = performAction(ctx, id.data, action, body.value);
    } catch (error) {
      if (error instanceof z.ZodError) return invalid(c, error);
      throw error;
    }
    if (!outcome.ok) return refusal(c, outcome);
    return c.json(serializeInquiry(outcome.inquiry));
  });

  api.get('/inquiries/:id', (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success) return c.json({ error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] }, 400);
    const detail = getInquiryDetail(db, id.data);
    if (!detail) return c.json({ error: 'not_found', message: `inquiry ${id.data} not found` }, 404);
    return c.json(serializeDetail(detail));
  });

  api.get('/inquiries', (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return invalid(c, parsed.error);
    const q = parsed.data;
    if (q.reason && q.reason !== 'unclassified' && !ctx.reasons.some((r) => r.id === q.reason)) {
      return refusal(c, { ok: false, code: 'UNKNOWN_REASON', validReasons: ctx.reasons.map((r) => r.id) });
    }
    if (q.cursor && !decodeCursor(q.cursor)) {
      return c.json({ error: 'invalid_request', issues: [{ path: 'cursor', message: 'not a cursor this API issued' }] }, 400);
    }
    const page = listInquiries(db, {
      status: q.status,
      reason: q.reason,
      sinceMs: q.since ? Date.parse(q.since) : undefined,
      limit: q.limit,
      cursor: q.cursor,
    });
    return c.json({ items: page.items.map((i) => serializeInquiry(i)), nextCursor: page.nextCursor });
  });

  app.route('/api/v1', api);
  return app;
}
