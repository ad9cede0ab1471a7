import { isObject } from '../../lib/is-object.ts';
import { z } from 'zod';
import { type Action, perform } from '../../core/actions.ts';
import type { CoreContext } from '../../core/context.ts';
import { createInquiry, createInquiryInput, prepareGuess } from '../../core/inquiries/index.ts';
import type { ReadModel } from '../../core/ports/read-model.ts';
import type { WriteBatcher } from '../../storage/write-batch.ts';
import { type Answer, invalid, refusal } from './answers.ts';
import { replyRoutes } from './reply-routes.ts';
import { actionRefusal, apiPerson, badId, badRequest, chatIdentities, idParam } from './route-kit.ts';
import { serializeDetail, serializeInquiry, serializeMessage, serializeSummary } from './serialize.ts';
import { SLA_FILTERS, serializeSla, slaFilterIds } from './sla-view.ts';

/** What a route is given: path parameters, the query, and the parsed JSON body (routes that take one). */
export interface ApiRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** One route of the API under `/api/v1`; every route needs the bearer token. */
export interface ApiRoute {
  method: 'GET' | 'POST';
  /** A hono path pattern. */
  path: string;
  /** Whether it reads a JSON body (at most MAX_BODY_BYTES). */
  body: boolean;
  /** Served on node's own request and response, ahead of hono: the route that takes bursts. */
  fast?: boolean;
  handle(req: ApiRequest): Answer | Promise<Answer>;
}

export interface RouteDeps {
  ctx: CoreContext;
  read: ReadModel;
  /** The group commit every write goes through. */
  batch: WriteBatcher;
}

const messageInput = z
  .object({
    direction: z.enum(['inbound', 'outbound', 'note']),
    body: z.string(),
    author: z
      .object({ id: z.string().min(1).max(500).optional(), name: z.string().max(500).optional() })
      .strict()
      .optional(),
    externalId: z.string().optional(),
  })
  .strict();

const listQuery = z
  .object({
    status: z.enum(['open', 'claimed', 'resolved']).optional(),
    reason: z.string().min(1).max(100).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
    include: z.literal('metadata', { error: 'the one thing a list may include is `metadata`' }).optional(),
    /** Unresolved inquiries past a due time (`breached`) or past `sla.warnAt` of one (`due_soon`). */
    sla: z.enum(SLA_FILTERS).optional(),
  })
  .strict();

/** A list item's body is its first this many characters (`bodyTruncated: true` when cut); GET /inquiries/:id has all. */
export const LIST_BODY_CHARS = 500;
/** A list answer stops early (with a `nextCursor`) before its items pass about this many bytes. */
export const MAX_LIST_BYTES = 4 * 1024 * 1024;

/** The lifecycle actions served at `POST /inquiries/:id/<action>`; the body holds the rest. */
const LIFECYCLE_ACTIONS = ['claim', 'unclaim', 'reopen', 'resolve', 'assign', 'reason'] as const;
type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** The API: one table, served by one server (server.ts) with one auth, one body limit, one error envelope. */
export function apiRoutes(deps: RouteDeps): ApiRoute[] {
  const { ctx, read, batch } = deps;

  const createRoute: ApiRoute = {
    method: 'POST',
    path: '/inquiries',
    body: true,
    fast: true,
    async handle({ body }) {
      const parsed = createInquiryInput.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const reserved = chatIdentities(body, { source: true });
      if (reserved) return reserved;
      await prepareGuess(ctx, parsed.data);
      const outcome = await batch.run(() => createInquiry(ctx, parsed.data));
      if (!outcome.ok) return actionRefusal(outcome);
      return { status: outcome.created ? 201 : 200, body: serializeInquiry(outcome.inquiry, outcome.customer) };
    },
  };

  const messageRoute: ApiRoute = {
    method: 'POST',
    path: '/inquiries/:id/messages',
    body: true,
    async handle({ params, body }) {
      const id = idParam.safeParse(params.id);
      if (!id.success) return badId;
      const parsed = messageInput.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const reserved = chatIdentities(body, { ids: ['author'] });
      if (reserved) return reserved;
      const { author, ...rest } = parsed.data;
      const named = author && apiPerson(author);
      const outcome = await batch.run(() =>
        perform(ctx, { type: 'message', inquiryId: id.data, ...rest, ...(named && { author: named }) }),
      );
      if (!outcome.ok) return actionRefusal(outcome);
      return { status: outcome.created ? 201 : 200, body: serializeMessage(outcome.message) };
    },
  };

  const lifecycleRoute: ApiRoute = {
    method: 'POST',
    path: `/inquiries/:id/:action{${LIFECYCLE_ACTIONS.join('|')}}`,
    body: true,
    async handle({ params, body }) {
      const id = idParam.safeParse(params.id);
      if (!id.success) return badId;
      if (!isObject(body)) return badRequest('(body)', 'expected a JSON object');
      const reserved = chatIdentities(body, { ids: ['actor', 'assignee'] });
      if (reserved) return reserved;
      const action = { ...body, type: params.action, inquiryId: id.data } as Extract<Action, { type: LifecycleAction }>;
      const outcome = await batch.run(() => perform(ctx, action));
      if (!outcome.ok) return actionRefusal(outcome);
      return { status: 200, body: serializeInquiry(outcome.inquiry) };
    },
  };

  const detailRoute: ApiRoute = {
    method: 'GET',
    path: '/inquiries/:id',
    body: false,
    handle({ params }) {
      const id = idParam.safeParse(params.id);
      if (!id.success) return badId;
      const detail = read.inquiryDetail(id.data);
      if (!detail) return refusal({ ok: false, code: 'NOT_FOUND', inquiryId: id.data });
      const sla = ctx.sla && { sla: serializeSla(ctx.sla, detail.inquiry, ctx.now()) };
      return { status: 200, body: { ...serializeDetail(detail), ...sla } };
    },
  };

  return [createRoute, messageRoute, lifecycleRoute, ...replyRoutes(deps), detailRoute, listRoute(deps)];
}

/** `GET /inquiries`: summaries, filtered and paged, within the answer budget. */
function listRoute({ ctx, read }: RouteDeps): ApiRoute {
  return {
    method: 'GET',
    path: '/inquiries',
    body: false,
    handle({ query }) {
      const parsed = listQuery.safeParse(query);
      if (!parsed.success) return invalid(parsed.error, '(query)');
      const q = parsed.data;
      if (q.reason && q.reason !== 'unclassified' && !ctx.reasons.some((r) => r.id === q.reason)) {
        return refusal({ ok: false, code: 'UNKNOWN_REASON', validReasons: ctx.reasons.map((r) => r.id) });
      }
      if (q.cursor && !read.isCursor(q.cursor)) return badRequest('cursor', 'not a cursor this API issued');
      if (q.sla && !ctx.sla) return badRequest('sla', 'this koe keeps no SLA, so there is nothing to filter by');
      const slaIds = q.sla && ctx.sla ? slaFilterIds(read, ctx.sla, q.sla, ctx.now()) : undefined;
      const page = read.listInquiries({
        ids: slaIds,
        status: q.status,
        reason: q.reason,
        sinceMs: q.since ? Date.parse(q.since) : undefined,
        limit: q.limit,
        cursor: q.cursor,
        bodyChars: LIST_BODY_CHARS,
        metadata: q.include === 'metadata',
        maxBytes: MAX_LIST_BYTES,
      });
      const items = page.items.map((i) => serializeSummary(i, q.include === 'metadata'));
      return { status: 200, body: { items, nextCursor: page.nextCursor } };
    },
  };
}
