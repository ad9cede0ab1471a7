import { z } from 'zod';
import { type Action, perform, REPLY_MAX } from '../../core/actions.ts';
import type { ReplyTarget } from '../../core/context.ts';
import type { Failure } from '../../core/errors.ts';
import type { Message } from '../../core/inquiries/types.ts';
import { isObject } from '../../lib/is-object.ts';
import { type Answer, invalid, refusal } from './answers.ts';
import { actionRefusal, apiPerson, badId, badRequest, chatIdentities, idParam } from './route-kit.ts';
import type { ApiRoute, RouteDeps } from './routes.ts';
import { replyStatus } from './serialize.ts';

/**
 * Replies to the customer from the API: the one way a tool beside chat sends something to a customer.
 * `POST …/messages` with `direction: outbound` stays what it was, a reply sent elsewhere and only
 * recorded; these routes go through the `reply` action, its undo window and the outbox.
 */

const replyInput = z
  .object({
    body: z
      .string({ error: 'expected the reply as a string' })
      .max(REPLY_MAX, `at most ${REPLY_MAX} characters: every customer channel must carry a reply whole`)
      .refine((s) => s.trim().length > 0, 'must not be blank'),
    author: z
      .object(
        { id: z.string().min(1).max(500).optional(), name: z.string().min(1).max(500).optional() },
        {
          error: 'expected {id, name}: who sends the reply',
        },
      )
      .strict()
      .refine((a) => a.id !== undefined || a.name !== undefined, 'give the author an id or a name'),
  })
  .strict();

type ReplyVerb = Extract<Action, { type: 'undo_reply' | 'retry_reply' }>;

/**
 * Where a reply's delivery stands, a step finer than its state: `waiting` (in its undo window, undo
 * still works), `sending` (due; being delivered, retried after a transient failure), `delivered`,
 * `failed`, `cancelled` (undone).
 */
function deliveryState(message: Message, nowMs: number) {
  switch (message.replyState) {
    case 'sent':
      return 'delivered';
    case 'failed':
      return 'failed';
    case 'undone':
      return 'cancelled';
    default:
      return nowMs < (message.sentAt ?? 0) ? 'waiting' : 'sending';
  }
}

/** The API's JSON for a reply: the reply with its state, and its delivery with where it goes. */
function replyAnswer(message: Message, target: ReplyTarget | null, nowMs: number) {
  return {
    reply: {
      id: message.id,
      inquiryId: message.inquiryId,
      body: message.body,
      author: { id: message.authorId, name: message.authorName },
      createdAt: new Date(message.createdAt).toISOString(),
      ...replyStatus(message),
    },
    delivery: { state: deliveryState(message, nowMs), target },
  };
}

/** A 404 that says which was not found: the inquiry, or a reply of it. */
function notFound(inquiryExists: boolean, inquiryId: number, messageId: number): Answer {
  if (!inquiryExists) return refusal({ ok: false, code: 'NOT_FOUND', inquiryId });
  return { status: 404, body: { error: 'not_found', message: `inquiry ${inquiryId} has no reply ${messageId}` } };
}

export function replyRoutes(deps: RouteDeps): ApiRoute[] {
  const { ctx, read, batch } = deps;
  const targetOf = (inquiryId: number) => {
    const inquiry = read.inquiryDetail(inquiryId)?.inquiry;
    return inquiry ? (ctx.replies?.targetOf(inquiry) ?? null) : null;
  };
  const ids = (params: Record<string, string>) => {
    const inquiryId = idParam.safeParse(params.id);
    const messageId = idParam.safeParse(params.messageId);
    if (!inquiryId.success) return { answer: badId };
    if (!messageId.success) return { answer: badRequest('messageId', 'expected a positive integer') };
    return { inquiryId: inquiryId.data, messageId: messageId.data };
  };

  const sendRoute: ApiRoute = {
    method: 'POST',
    path: '/inquiries/:id/replies',
    body: true,
    async handle({ params, body }) {
      const id = idParam.safeParse(params.id);
      if (!id.success) return badId;
      const parsed = replyInput.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const reserved = chatIdentities(body, { ids: ['author'] });
      if (reserved) return reserved;
      const actor = apiPerson(parsed.data.author);
      const outcome = await batch.run(() =>
        perform(ctx, { type: 'reply', inquiryId: id.data, actor, body: parsed.data.body }),
      );
      if (!outcome.ok) return actionRefusal(outcome);
      // 202: accepted, not delivered; the customer has it once `reply.state` is `sent` (GET the reply).
      return { status: 202, body: replyAnswer(outcome.message, outcome.target, ctx.now()) };
    },
  };

  const showRoute: ApiRoute = {
    method: 'GET',
    path: '/inquiries/:id/replies/:messageId',
    body: false,
    handle({ params }) {
      const got = ids(params);
      if (got.answer) return got.answer;
      const detail = read.inquiryDetail(got.inquiryId);
      const message = detail?.messages.find((m) => m.id === got.messageId && m.replyState);
      if (!detail || !message) return notFound(detail !== undefined, got.inquiryId, got.messageId);
      const target = ctx.replies?.targetOf(detail.inquiry) ?? null;
      return { status: 200, body: replyAnswer(message, target, ctx.now()) };
    },
  };

  const verbRoute: ApiRoute = {
    method: 'POST',
    path: '/inquiries/:id/replies/:messageId/:verb{undo|retry}',
    body: true,
    async handle({ params, body }) {
      const got = ids(params);
      if (got.answer) return got.answer;
      if (!isObject(body)) return badRequest('(body)', 'expected a JSON object');
      const reserved = chatIdentities(body, { ids: ['actor'] });
      if (reserved) return reserved;
      const type = params.verb === 'undo' ? 'undo_reply' : 'retry_reply';
      const action = { ...body, type, inquiryId: got.inquiryId, messageId: got.messageId } as ReplyVerb;
      const outcome = await batch.run(() => perform(ctx, action));
      if (!outcome.ok) return verbRefusal(outcome, read.inquiryDetail(got.inquiryId) !== undefined, got.messageId);
      return { status: 200, body: replyAnswer(outcome.message, targetOf(got.inquiryId), ctx.now()) };
    },
  };

  return [sendRoute, showRoute, verbRoute];
}

/** Undo's and retry's refusals, naming the reply. */
function verbRefusal(failure: Failure, inquiryExists: boolean, messageId: number): Answer {
  if (failure.code === 'NOT_FOUND') return notFound(inquiryExists, failure.inquiryId ?? 0, messageId);
  const answer = actionRefusal(failure);
  const named = failure.code === 'TOO_LATE_TO_UNDO' || failure.code === 'NOT_FAILED';
  if (!named || !isObject(answer.body)) return answer;
  const it = `reply ${messageId} of inquiry ${failure.inquiryId}`;
  const message =
    failure.code === 'TOO_LATE_TO_UNDO'
      ? `${it} has already left (or was undone), so it cannot be taken back`
      : `${it} has not failed; only a failed reply can be retried`;
  return { ...answer, body: { ...answer.body, message } };
}
