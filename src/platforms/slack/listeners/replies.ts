import type { App, BlockAction, BlockElementAction, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { perform, REPLY_MAX } from '../../../core/actions.ts';
import { fail, type Failure } from '../../../core/errors.ts';
import type { Inquiry } from '../../../core/inquiries/types.ts';
import type { ReplyTarget } from '../../../core/context.ts';
import { type AdapterRefusal, refusalReply } from '../../replies.ts';
import { refusal, replyOutcome, replyWhereFor } from '../../run-command.ts';
import { wordsFor } from '../../words/index.ts';
import { postEphemeral, replyContext, type SlackContext, slackActor, type Standing, standingOf } from '../context.ts';
import { ACTION_IDS, renderNotice, SEND_TO_CUSTOMER_CALLBACK } from '../render.ts';
import {
  confirmView,
  decodeViewState,
  noticeView,
  REPLY_INPUT,
  REPLY_VIEWS,
  type ReplyViewState,
  replyFormView,
} from '../reply-modals.ts';
import { sanitize, slackToPlain } from '../text.ts';
import { mirrorInquiryId, slackVoice } from './commands.ts';

/**
 * Replies to customers from Slack, every way but `/koe reply` and `@koe reply` (commands.ts): the
 * mirror's "Reply to customer" button and its form, the "Send to customer" message shortcut on a note
 * and its confirmation, and the Undo and Retry buttons on a reply's line in the thread. Each one
 * checks first that the person is staff (failing closed), and each shows where the reply goes before
 * anything is queued: nothing reaches a customer but what a person sends on purpose.
 */

/** The buttons, as the renderer draws them; values `<inquiryId>` and `<inquiryId>:<messageId>`. */
export const REPLY_ACTIONS = {
  open: ACTION_IDS.replyOpen,
  undo: ACTION_IDS.replyUndo,
  retry: ACTION_IDS.replyRetry,
} as const;

/** The message shortcut's callback id, as registered in slack-app-manifest.yaml. */
export const SEND_TO_CUSTOMER_SHORTCUT = SEND_TO_CUSTOMER_CALLBACK;

/**
 * How long a click waits for Slack to describe the clicker. A trigger_id is good for 3 s from the
 * click, and views.open must still follow; a submission must be answered within 3 s as well.
 */
const STAFF_CHECK_MS = 1_000;

type SlackUserRef = { id: string; name?: string; username?: string; team_id?: string };

/** Why someone not known as staff gets nothing (outsiders, or Slack not answering just now). */
function notStaff(who: Exclude<Standing, { kind: 'staff' }>): AdapterRefusal {
  return { ok: false, refusal: who.kind === 'unknown' ? 'staffUnknown' : 'notStaff' };
}

/** The staff decision for a person acting in Slack: their actor, or the sentence that refuses them. */
async function staffActor(env: SlackContext, user: SlackUserRef) {
  const who = await standingOf(env, { userId: user.id, teamId: user.team_id }, STAFF_CHECK_MS);
  if (who.kind !== 'staff') return { ok: false as const, text: refusalReply(replyContext(env), notStaff(who)) };
  return { ok: true as const, actor: slackActor(user.id, who.user.name ?? user.name ?? user.username ?? null) };
}

/** The inquiry and where a reply to it goes, or the core's refusal (NOT_FOUND, NO_WAY_BACK) as it would say it. */
function replyTargetOf(
  env: SlackContext,
  inquiryId: number,
): { ok: true; inquiry: Inquiry; target: ReplyTarget } | Failure {
  const inquiry = env.read.inquiryDetail(inquiryId)?.inquiry;
  if (!inquiry) return fail('NOT_FOUND', { inquiryId });
  const target = env.ctx.replies?.targetOf(inquiry) ?? null;
  if (!target) return fail('NO_WAY_BACK', { inquiryId, source: inquiry.source, url: inquiry.url });
  return { ok: true, inquiry, target };
}

/** The `where` line for a view, and the inquiry it names. */
function viewParts(env: SlackContext, found: { inquiry: Inquiry; target: ReplyTarget }) {
  const where = replyWhereFor(env, slackVoice(replyContext(env)), found.inquiry.id, found.target);
  return { where, inquiry: { id: found.inquiry.id, subject: found.inquiry.subject } };
}

/**
 * Tells one person something privately: an ephemeral message where they are (the mirror's channel,
 * in the thread when there is one), else, or if that fails, a direct message from koe.
 */
function tellPrivately(
  env: SlackContext,
  to: { user: string; channel: string | null; threadTs?: string | null },
  text: string,
): void {
  const notice = renderNotice(text);
  env.background('reply: tell', async () => {
    if (to.channel) {
      try {
        await postEphemeral(
          env,
          { channel: to.channel, user: to.user, ...(to.threadTs && { threadTs: to.threadTs }) },
          notice,
        );
        return;
      } catch (error) {
        env.log.warn({ err: error, channel: to.channel }, 'slack: ephemeral answer failed; sending it as a DM');
      }
    }
    await env.web.chat.postMessage({ channel: to.user, text: notice.text, blocks: notice.blocks });
  });
}

/** "Reply to customer" on a mirror: the form, for staff, when the inquiry can be answered from koe. */
async function openReplyForm(env: SlackContext, body: BlockAction<BlockElementAction>, action: BlockElementAction) {
  const channel = body.channel?.id ?? body.container?.channel_id ?? null;
  const tell = (text: string) => tellPrivately(env, { user: body.user.id, channel }, text);
  const inquiryId = Number('value' in action ? action.value : Number.NaN);
  const staff = await staffActor(env, body.user);
  if (!staff.ok) return tell(staff.text);
  if (!Number.isSafeInteger(inquiryId) || inquiryId <= 0)
    return tell(refusalReply(replyContext(env), { ok: false, refusal: 'unknownControl' }));
  // The button is drawn only for an inquiry with a way back; an old message may still carry one.
  const found = replyTargetOf(env, inquiryId);
  if (!found.ok) return tell(refusal(slackVoice(replyContext(env)), found));
  // The answer goes to the channel, not the thread: that is where the button was clicked.
  const view = replyFormView(env.config.locale, {
    ...viewParts(env, found),
    state: { inquiryId, channel, threadTs: null },
  });
  env.background('reply: open form', () =>
    env.web.views.open({ trigger_id: body.trigger_id, view }).catch((error: unknown) => {
      // The trigger lives 3 s; when it ran out, say so instead of leaving the click unanswered.
      tell(formFailed(env, 'replyToCustomer'));
      throw error;
    }),
  );
}

/** Undo (while the reply waits) or Retry (once it failed), on the reply's line in a mirror's thread. */
async function undoOrRetry(env: SlackContext, body: BlockAction<BlockElementAction>, action: BlockElementAction) {
  const channel = body.channel?.id ?? body.container?.channel_id ?? null;
  const threadTs = body.message?.thread_ts ?? (body.container as { thread_ts?: string } | undefined)?.thread_ts;
  const tell = (text: string) => tellPrivately(env, { user: body.user.id, channel, threadTs }, text);
  const staff = await staffActor(env, body.user);
  if (!staff.ok) return tell(staff.text);
  const ids = /^(\d{1,15}):(\d{1,15})$/.exec('value' in action && typeof action.value === 'string' ? action.value : '');
  if (!ids) return tell(refusalReply(replyContext(env), { ok: false, refusal: 'unknownControl' }));
  const [inquiryId, messageId] = [Number(ids[1]), Number(ids[2])];
  const type = action.action_id === REPLY_ACTIONS.undo ? 'undo_reply' : 'retry_reply';
  const outcome = perform(env.ctx, { type, inquiryId, messageId, actor: staff.actor });
  const w = wordsFor(env.config.locale).replies;
  if (outcome.ok) return tell(type === 'undo_reply' ? w.undone(inquiryId) : w.retried(inquiryId));
  tell(refusal(slackVoice(replyContext(env)), { ...outcome, inquiryId: outcome.inquiryId ?? inquiryId }));
}

type ViewAck = (response?: Record<string, unknown>) => Promise<void>;

/**
 * A submitted form or confirmation: queues the reply as the submitter, then closes the modal and says
 * privately what was queued and where. A refusal keeps the modal open and says why (`refuse`).
 */
async function submitReply(
  env: SlackContext,
  input: { ack: ViewAck; user: SlackUserRef; state: ReplyViewState; text: string },
  refuse: (sentence: string) => Promise<void>,
): Promise<void> {
  const staff = await staffActor(env, input.user);
  if (!staff.ok) return refuse(staff.text);
  if (input.text.trim() === '') return refuse(wordsFor(env.config.locale).replies.blank);
  const voice = slackVoice(replyContext(env));
  const outcome = replyOutcome(env, voice, { inquiryId: input.state.inquiryId, actor: staff.actor, body: input.text });
  if (!outcome.ok) return refuse(outcome.text);
  await input.ack();
  tellPrivately(
    env,
    { user: input.user.id, channel: input.state.channel, threadTs: input.state.threadTs },
    outcome.text,
  );
}

/** The reply form, submitted: a refusal (a blank reply, no way back) is shown on its field. */
async function onFormSubmitted(env: SlackContext, ack: ViewAck, body: ViewSubmitAction): Promise<void> {
  const refuse = (sentence: string) =>
    ack({ response_action: 'errors', errors: { [REPLY_INPUT.block]: sanitize(sentence) } });
  const state = decodeViewState(body.view.private_metadata);
  if (!state) return refuse(refusalReply(replyContext(env), { ok: false, refusal: 'unknownControl' }));
  const text = body.view.state.values[REPLY_INPUT.block]?.[REPLY_INPUT.action]?.value ?? '';
  await submitReply(env, { ack, user: body.user, state, text }, refuse);
}

/** "Send to customer"'s confirmation, submitted: the note's text it showed is what is queued. */
async function onConfirmSubmitted(env: SlackContext, ack: ViewAck, body: ViewSubmitAction): Promise<void> {
  const title = wordsFor(env.config.locale).replies.sendToCustomer;
  const refuse = (sentence: string) =>
    ack({ response_action: 'update', view: noticeView(env.config.locale, title, sentence) });
  const state = decodeViewState(body.view.private_metadata);
  if (!state || state.text === undefined)
    return refuse(refusalReply(replyContext(env), { ok: false, refusal: 'unknownControl' }));
  await submitReply(env, { ack, user: body.user, state, text: state.text }, refuse);
}

/** Slack's description of a message in a shortcut payload (the fields koe reads). */
interface ShortcutMessage {
  ts: string;
  thread_ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  user_team?: string;
  team?: string;
}

/**
 * The note "Send to customer" was used on, as the text the customer would get, or the sentence that
 * refuses it: not in a mirror's thread, one of koe's own posts, not written by the team, empty, or too
 * long for a reply.
 */
async function noteToSend(
  env: SlackContext,
  channel: string,
  message: ShortcutMessage,
  senderId: string,
): Promise<{ ok: true; inquiryId: number; threadTs: string; text: string } | { ok: false; text: string }> {
  const w = wordsFor(env.config.locale).replies;
  const threadTs = message.thread_ts ?? message.ts;
  const inquiryId = mirrorInquiryId(env, channel, threadTs);
  if (inquiryId === null) return { ok: false, text: w.notInMirrorThread };
  const { botUserId, botId } = env.identity();
  if ((botId && message.bot_id === botId) || (botUserId && message.user === botUserId))
    return { ok: false, text: w.koesOwnPost };
  if (message.bot_id || !message.user) return { ok: false, text: w.customersMessage };
  // The person sending it was found to be staff just now; anyone else's note is looked up.
  const author =
    message.user === senderId
      ? ({ kind: 'staff' } as const)
      : await standingOf(env, { userId: message.user, teamId: message.user_team ?? message.team }, STAFF_CHECK_MS);
  if (author.kind === 'unknown')
    return { ok: false, text: refusalReply(replyContext(env), { ok: false, refusal: 'staffUnknown' }) };
  if (author.kind !== 'staff') return { ok: false, text: w.customersMessage };
  // What Slack stores is markup (`&lt;`, `<@U…>`); the customer gets the words as they read.
  const text = sanitize(slackToPlain(message.text ?? '')).trim();
  if (text === '') return { ok: false, text: w.blank };
  if (text.length > REPLY_MAX) return { ok: false, text: w.noteTooLong(REPLY_MAX) };
  return { ok: true, inquiryId, threadTs, text };
}

/** "Send to customer" on a note: the confirmation, showing the text and where it goes; nothing is sent yet. */
async function onSendToCustomer(
  env: SlackContext,
  shortcut: MessageShortcut,
  respond: (message: Record<string, unknown>) => Promise<unknown>,
): Promise<void> {
  const tell = (text: string) =>
    env.background('send to customer: refusal', () =>
      respond({ response_type: 'ephemeral', replace_original: false, text: sanitize(text) }),
    );
  const staff = await staffActor(env, shortcut.user);
  if (!staff.ok) return tell(staff.text);
  const channel = shortcut.channel.id;
  const note = await noteToSend(env, channel, shortcut.message as unknown as ShortcutMessage, shortcut.user.id);
  if (!note.ok) return tell(note.text);
  const found = replyTargetOf(env, note.inquiryId);
  if (!found.ok) return tell(refusal(slackVoice(replyContext(env)), found));
  const state = { inquiryId: note.inquiryId, channel, threadTs: note.threadTs, text: note.text };
  const view = confirmView(env.config.locale, { ...viewParts(env, found), state });
  env.background('send to customer: confirm', () =>
    env.web.views.open({ trigger_id: shortcut.trigger_id, view }).catch((error: unknown) => {
      tell(formFailed(env, 'sendToCustomer'));
      throw error;
    }),
  );
}

/** The reply buttons, the two modals' submissions, and the "Send to customer" shortcut. */
export function registerReplies(app: App, env: SlackContext): void {
  app.action<BlockAction<BlockElementAction>>(
    { type: 'block_actions', action_id: REPLY_ACTIONS.open },
    async ({ ack, body, action }) => {
      await ack();
      await openReplyForm(env, body, action);
    },
  );
  app.action<BlockAction<BlockElementAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${REPLY_ACTIONS.undo}|${REPLY_ACTIONS.retry})$`) },
    async ({ ack, body, action }) => {
      await ack();
      await undoOrRetry(env, body, action);
    },
  );
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: REPLY_VIEWS.form }, ({ ack, body }) =>
    onFormSubmitted(env, ack as ViewAck, body),
  );
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: REPLY_VIEWS.confirm }, ({ ack, body }) =>
    onConfirmSubmitted(env, ack as ViewAck, body),
  );
  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: SEND_TO_CUSTOMER_SHORTCUT },
    async ({ ack, shortcut, respond }) => {
      await ack();
      await onSendToCustomer(env, shortcut, respond as (message: Record<string, unknown>) => Promise<unknown>);
    },
  );
}

/** The sentence for a form that did not open, naming the button or action to use again. */
function formFailed(env: SlackContext, what: 'replyToCustomer' | 'sendToCustomer'): string {
  const words = wordsFor(env.config.locale).replies;
  return words.formFailed(words[what]);
}
