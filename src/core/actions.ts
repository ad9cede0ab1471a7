import { z } from 'zod';
import type { CoreContext, ReplyTarget } from './context.ts';
import { fail, type Outcome } from './errors.ts';
import {
  addMessage,
  assign,
  claim,
  type Inquiry,
  type Message,
  queueReply,
  reopen,
  retryReply,
  undoReply,
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

/**
 * The longest reply koe sends. Every channel can carry it whole: a Slack message's text holds
 * 40,000 characters, but Discord's message content holds 2,000, and a reply must arrive as written.
 */
export const REPLY_MAX = 2_000;

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
      /** The mirror destination it was typed in (a note in a mirror's thread): every other mirror gets a copy, that one not. */
      writtenIn: z.string().min(1).max(200).optional(),
    })
    .strict(),
  /** A reply koe sends to the customer where they wrote, after the undo window. The only way anything reaches a customer. */
  z.object({ type: z.literal('reply'), ...onInquiry, body: text(REPLY_MAX) }).strict(),
  z.object({ type: z.literal('undo_reply'), ...onInquiry, messageId: inquiryId }).strict(),
  z.object({ type: z.literal('retry_reply'), ...onInquiry, messageId: inquiryId }).strict(),
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
  reply: Outcome<{ message: Message; target: ReplyTarget; sendsAt: number }>;
  undo_reply: Outcome<{ message: Message }>;
  retry_reply: Outcome<{ message: Message }>;
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
  reply: (ctx, a) => queueReply(ctx, a),
  undo_reply: (ctx, a) => undoReply(ctx, a),
  retry_reply: (ctx, a) => retryReply(ctx, a),
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
