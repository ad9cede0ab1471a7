import { z } from 'zod';
import type { CoreContext } from './context.ts';
import { fail, type Outcome } from './errors.ts';
import {
  addMessage,
  assign,
  claim,
  type Inquiry,
  type Message,
  reopen,
  resolve,
  setReason,
  unclaim,
} from './inquiries/index.ts';

/**
 * Every action a person or a tool can take on an inquiry, in one table: the HTTP API, Slack and
 * Discord only translate their wire format into an `Action` and the outcome into words. Each action's
 * schema is checked here, so chat input meets the same limits as API input.
 */

const inquiryId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const actor = z.object({ id: z.string().min(1).max(500), name: z.string().max(500).nullish() }).strict();
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be blank');

const onInquiry = { inquiryId, actor };

export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('claim'), ...onInquiry }).strict(),
  z.object({ type: z.literal('unclaim'), ...onInquiry }).strict(),
  z.object({ type: z.literal('reopen'), ...onInquiry }).strict(),
  z.object({ type: z.literal('resolve'), ...onInquiry, note: z.string().max(10_000).optional() }).strict(),
  z.object({ type: z.literal('assign'), ...onInquiry, assignee: actor }).strict(),
  /** A person's choice of contact reason (rules and the classifier go through setReason directly). */
  z.object({ type: z.literal('reason'), ...onInquiry, reason: z.string().min(1).max(100) }).strict(),
  z.object({ type: z.literal('note'), ...onInquiry, text: text(100_000) }).strict(),
  /** A follow-up, a reply made elsewhere, or a note, recorded as given (the API's messages route). */
  z
    .object({
      type: z.literal('message'),
      inquiryId,
      direction: z.enum(['inbound', 'outbound', 'note']),
      body: text(100_000),
      author: actor.optional(),
      externalId: z.string().min(1).max(500).optional(),
    })
    .strict(),
]);

export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];

/** What each action answers with. */
export interface ActionResults {
  claim: Outcome<{ inquiry: Inquiry }>;
  unclaim: Outcome<{ inquiry: Inquiry }>;
  reopen: Outcome<{ inquiry: Inquiry }>;
  resolve: Outcome<{ inquiry: Inquiry }>;
  assign: Outcome<{ inquiry: Inquiry }>;
  reason: Outcome<{ inquiry: Inquiry; changed: boolean }>;
  note: Outcome<{ message: Message; created: boolean }>;
  message: Outcome<{ message: Message; created: boolean }>;
}

type Runners = { [K in ActionType]: (ctx: CoreContext, action: Extract<Action, { type: K }>) => ActionResults[K] };

const RUN: Runners = {
  claim: (ctx, a) => claim(ctx, a),
  unclaim: (ctx, a) => unclaim(ctx, a),
  reopen: (ctx, a) => reopen(ctx, a),
  resolve: (ctx, a) => resolve(ctx, a),
  assign: (ctx, a) => assign(ctx, a),
  reason: (ctx, a) => setReason(ctx, { inquiryId: a.inquiryId, actor: a.actor, reasonId: a.reason, source: 'human' }),
  note: (ctx, a) => addMessage(ctx, { inquiryId: a.inquiryId, direction: 'note', body: a.text, author: a.actor }),
  message: (ctx, a) => addMessage(ctx, a),
};

/** Where in an action a problem was found, and what it was; paths leave out `type`. */
export interface InputIssue {
  path: string;
  message: string;
}

/** Checks an action against its schema and performs it; a bad action is an INVALID_INPUT refusal with its issues. */
export function perform<A extends Action>(ctx: CoreContext, action: A): ActionResults[A['type']] {
  const parsed = actionSchema.safeParse(action);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.') || '(action)',
      message: i.message,
    }));
    const inquiry = typeof action.inquiryId === 'number' ? { inquiryId: action.inquiryId } : {};
    return fail('INVALID_INPUT', {
      ...inquiry,
      message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues,
    });
  }
  const run = RUN[parsed.data.type] as (ctx: CoreContext, a: Action) => ActionResults[A['type']];
  return run(ctx, parsed.data);
}
