import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import type { Failure } from '../../../core/errors.ts';
import { perform } from '../../../core/actions.ts';
import { type AdapterRefusal, refusalReply } from '../../replies.ts';
import { postEphemeral, replyContext, type SlackContext, slackActor, type Standing, standingOf } from '../context.ts';
import { ACTION_IDS, formatActor, renderNotice } from '../render.ts';
import { renderInquiryDetail } from '../render-answers.ts';
import { registerReplies } from './replies.ts';

/** How long a click waits for Slack to describe the clicker (it has been acknowledged already). */
const STAFF_CHECK_MS = 1_500;

/** Pages of "show full text" sent as ephemeral messages (chat.postEphemeral is Tier 4). */
const MAX_SHOW_PAGES = 12;

/** The buttons that change an inquiry, by action id; "Show full text" only reads. */
const BUTTON_ACTIONS: Record<string, 'claim' | 'unclaim' | 'resolve' | 'reopen' | undefined> = {
  [ACTION_IDS.claim]: 'claim',
  [ACTION_IDS.unclaim]: 'unclaim',
  [ACTION_IDS.resolve]: 'resolve',
  [ACTION_IDS.reopen]: 'reopen',
};

/**
 * The mirror's buttons (Claim, Unclaim, Resolve, Reopen, Show full text) and its reason select. They
 * call the same core verbs as `/koe`; the mirror itself then changes through the outbox, so a
 * success needs no answer, and a refusal is told to the clicker alone.
 */
export function registerActions(app: App, env: SlackContext): void {
  // Replies to customers (their buttons, modals and shortcut) live in replies.ts.
  registerReplies(app, env);
  const buttons = new RegExp(
    `^(${[ACTION_IDS.claim, ACTION_IDS.unclaim, ACTION_IDS.resolve, ACTION_IDS.reopen, ACTION_IDS.show].join('|')})$`,
  );

  app.action<BlockAction<BlockElementAction>>(
    { type: 'block_actions', action_id: buttons },
    async ({ ack, body, action }) => {
      await ack();
      const channel = body.channel?.id ?? body.container?.channel_id;
      const userId = body.user.id;
      const inquiryId = Number('value' in action ? action.value : NaN);
      if (!Number.isSafeInteger(inquiryId) || !channel) return;
      const tell = (refusal: Failure | AdapterRefusal) =>
        env.background('button: refusal', () => postEphemeral(env, { channel, user: userId }, refusalOf(env, refusal)));
      const who = await standingOf(env, { userId, teamId: body.user.team_id }, STAFF_CHECK_MS);
      if (who.kind !== 'staff') return tell(notStaff(who));

      const actor = slackActor(userId, who.user.name ?? body.user.name ?? body.user.username ?? null);
      const type = BUTTON_ACTIONS[action.action_id];
      if (!type) {
        const detail = env.read.inquiryDetail(inquiryId);
        if (!detail) return tell({ ok: false, code: 'NOT_FOUND', inquiryId });
        const pages = renderInquiryDetail(detail, env.render).slice(0, MAX_SHOW_PAGES);
        env.background('button: show', async () => {
          for (const page of pages) await postEphemeral(env, { channel, user: userId }, page);
        });
        return;
      }
      const outcome = perform(env.ctx, { type, inquiryId, actor });
      if (!outcome.ok && outcome.code !== 'ALREADY_YOURS') tell(outcome);
    },
  );

  app.action<BlockAction<BlockElementAction>>(
    { type: 'block_actions', action_id: ACTION_IDS.reason },
    async ({ ack, body, action }) => {
      await ack();
      if (action.type !== 'static_select' || !action.selected_option) return;
      const channel = body.channel?.id ?? body.container?.channel_id;
      const userId = body.user.id;
      // The select carries no inquiry id: the message it sits on is the mirror.
      const messageTs = body.message?.ts ?? body.container?.message_ts;
      if (!channel || !messageTs) return;
      const tell = (refusal: Failure | AdapterRefusal) =>
        env.background('select: refusal', () => postEphemeral(env, { channel, user: userId }, refusalOf(env, refusal)));
      const who = await standingOf(env, { userId, teamId: body.user.team_id }, STAFF_CHECK_MS);
      if (who.kind !== 'staff') return tell(notStaff(who));
      const inquiryId = env.read.inquiryForMirror('slack', { channel, messageRef: messageTs });
      if (inquiryId === null) return tell({ ok: false, refusal: 'notAMirror' });
      const actor = slackActor(userId, who.user.name ?? body.user.name ?? body.user.username ?? null);
      const outcome = perform(env.ctx, { type: 'reason', inquiryId, actor, reason: action.selected_option.value });
      if (!outcome.ok) tell(outcome);
    },
  );
}

function refusalOf(env: SlackContext, refusal: Failure | AdapterRefusal) {
  const by = 'code' in refusal ? refusal.by : undefined;
  return renderNotice(
    refusalReply(replyContext(env), refusal, { holder: by ? formatActor(by.id, by.name) : undefined }),
  );
}

/** Why a click by someone not known as staff does nothing (outsiders, or Slack not answering). */
function notStaff(who: Exclude<Standing, { kind: 'staff' }>): AdapterRefusal {
  return { ok: false, refusal: who.kind === 'unknown' ? 'staffUnknown' : 'notStaff' };
}
