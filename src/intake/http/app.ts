import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Secret } from '../../config/secret.ts';
import type { CoreContext } from '../../core/context.ts';
import { type Action, perform } from '../../core/actions.ts';
import type { Failure } from '../../core/errors.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PlatformRuntime } from '../../platforms/types.ts';
import type { ReadModel } from '../../core/ports/read-model.ts';
import type { WriteBatcher } from '../../storage/write-batch.ts';
import { invalid, MAX_BODY_BYTES, parseJsonBody, refusal, tooLarge, unauthorized, type Answer } from './answers.ts';
import { bearerMatches } from './auth.ts';
import { readBodyText } from './read-body.ts';
import { serializeDetail, serializeInquiry, serializeMessage } from './serialize.ts';

export interface HttpAppDeps {
  ctx: CoreContext;
  read: ReadModel;
  intakeToken: Secret;
  log: Logger;
  /** True once the database is open and migrated. */
  ready: () => boolean;
  /** Group commit shared with the intake lane. */
  batch: WriteBatcher;
  /** Platform routes (e.g. Slack's events endpoint) mounted beside the API. */
  platformRoutes?: NonNullable<PlatformRuntime['http']>[];
}

const messageInput = z
  .object({
    direction: z.enum(['inbound', 'outbound', 'note']),
    body: z
      .string()
      .min(1)
      .max(100_000)
      .refine((s) => s.trim().length > 0, 'must not be blank'),
    author: z
      .object({ id: z.string().min(1).max(500).optional(), name: z.string().max(500).optional() })
      .strict()
      .optional(),
    externalId: z.string().min(1).max(500).optional(),
  })
  .strict();

/** The lifecycle actions the API serves at `POST /inquiries/:id/<action>`; the body holds the rest. */
const LIFECYCLE_ACTIONS = ['claim', 'unclaim', 'reopen', 'resolve', 'assign', 'reason'] as const;
type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A refusal as an HTTP answer; an INVALID_INPUT from the action table names the body's fields. */
function actionRefusal(failure: Failure): Answer {
  if (failure.code !== 'INVALID_INPUT' || !failure.issues) return refusal(failure);
  const issues = failure.issues.map((i) => ({ ...i, path: i.path === '(action)' ? '(body)' : i.path }));
  return { status: 400, body: { error: 'invalid_request', issues } };
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

/** Sends an answer built by ./answers.ts. */
const send = (c: Context, answer: Answer) => c.json(answer.body, answer.status, answer.headers);

/** Reads a JSON body; or the answer to send: 413 when too large, 400 when not JSON. */
async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; answer: Answer }> {
  const body = await readBodyText(c, MAX_BODY_BYTES);
  if (!body.ok) return { ok: false, answer: tooLarge };
  return parseJsonBody(body.text);
}

/** koe's HTTP surface: the intake API, health, and the platforms' routes. */
export function createHttpApp(deps: HttpAppDeps): Hono {
  const { ctx, read, log, batch } = deps;
  const app = new Hono();

  app.onError((error, c) => {
    log.error({ err: error, path: c.req.path }, 'http: unhandled error');
    return c.json({ error: 'internal_error' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));

  app.get('/healthz', (c) => (deps.ready() ? c.json({ status: 'ok' }) : c.json({ status: 'starting' }, 503)));

  for (const route of deps.platformRoutes ?? []) {
    app.on(
      route.method,
      route.path,
      bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.json({ error: 'payload_too_large' }, 413) }),
      (c) => route.handle(c.req.raw),
    );
  }

  const api = new Hono();
  api.use('*', async (c, next) => {
    if (!bearerMatches(c.req.header('authorization'), deps.intakeToken.reveal())) return send(c, unauthorized);
    await next();
  });

  // POST /inquiries is served by the intake lane (./intake-lane.ts), in front of this app.

  api.post('/inquiries/:id/messages', async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success)
      return c.json(
        { error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] },
        400,
      );
    const body = await readJson(c);
    if (!body.ok) return send(c, body.answer);
    const parsed = messageInput.safeParse(body.value);
    if (!parsed.success) return send(c, invalid(parsed.error));
    const { author, ...rest } = parsed.data;
    const outcome = await batch.run(() =>
      perform(ctx, {
        type: 'message',
        inquiryId: id.data,
        ...rest,
        ...(author && { author: { id: author.id ?? `api:${author.name ?? 'unknown'}`, name: author.name ?? null } }),
      }),
    );
    if (!outcome.ok) return send(c, actionRefusal(outcome));
    return c.json(serializeMessage(outcome.message), outcome.created ? 201 : 200);
  });

  api.post(`/inquiries/:id/:action{${LIFECYCLE_ACTIONS.join('|')}}`, async (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success)
      return c.json(
        { error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] },
        400,
      );
    const type = c.req.param('action') as LifecycleAction;
    const body = await readJson(c);
    if (!body.ok) return send(c, body.answer);
    if (!isObject(body.value)) {
      return c.json({ error: 'invalid_request', issues: [{ path: '(body)', message: 'expected a JSON object' }] }, 400);
    }
    const action = { ...body.value, type, inquiryId: id.data } as Extract<Action, { type: LifecycleAction }>;
    const outcome = await batch.run(() => perform(ctx, action));
    if (!outcome.ok) return send(c, actionRefusal(outcome));
    return c.json(serializeInquiry(outcome.inquiry));
  });

  api.get('/inquiries/:id', (c) => {
    const id = idParam.safeParse(c.req.param('id'));
    if (!id.success)
      return c.json(
        { error: 'invalid_request', issues: [{ path: 'id', message: 'expected a positive integer' }] },
        400,
      );
    const detail = read.inquiryDetail(id.data);
    if (!detail) return c.json({ error: 'not_found', message: `inquiry ${id.data} not found` }, 404);
    return c.json(serializeDetail(detail));
  });

  api.get('/inquiries', (c) => {
    const parsed = listQuery.safeParse(c.req.query());
    if (!parsed.success) return send(c, invalid(parsed.error));
    const q = parsed.data;
    if (q.reason && q.reason !== 'unclassified' && !ctx.reasons.some((r) => r.id === q.reason)) {
      return send(c, refusal({ ok: false, code: 'UNKNOWN_REASON', validReasons: ctx.reasons.map((r) => r.id) }));
    }
    if (q.cursor && !read.isCursor(q.cursor)) {
      return c.json(
        { error: 'invalid_request', issues: [{ path: 'cursor', message: 'not a cursor this API issued' }] },
        400,
      );
    }
    const page = read.listInquiries({
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
