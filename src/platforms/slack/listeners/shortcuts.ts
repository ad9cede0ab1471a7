import type { App, MessageShortcut } from '@slack/bolt';
import { miscWords, refusalReply } from '../../replies.ts';
import { replyContext, type SlackContext, standingOf } from '../context.ts';
import { recordSlackMessage, type SlackMessageLike } from '../record-message.ts';

/** The message shortcut's callback id, as registered in slack-app-manifest.yaml. */
export const RECORD_SHORTCUT = 'koe_record_inquiry';

/**
 * "Record as customer inquiry" on any message (a customer's DM, a forwarded email, a question in
 * #sales): acknowledged at once, then the message becomes an inquiry with a link back, and the
 * person who recorded it is told the number.
 */
export function registerShortcuts(app: App, env: SlackContext): void {
  app.shortcut<MessageShortcut>(
    { type: 'message_action', callback_id: RECORD_SHORTCUT },
    async ({ ack, shortcut, respond }) => {
      await ack();
      env.background('shortcut: record', async () => {
        const words = miscWords(env.config.locale);
        const who = await standingOf(env, { userId: shortcut.user.id, teamId: shortcut.user.team_id }, 1_000);
        if (who.kind === 'outsider') return;
        if (who.kind === 'unknown') {
          const text = refusalReply(replyContext(env), { ok: false, refusal: 'staffUnknown' });
          await respond({ response_type: 'ephemeral', replace_original: false, text });
          return;
        }
        const recorded = await recordSlackMessage(env, {
          channel: shortcut.channel.id,
          message: shortcut.message as SlackMessageLike,
          recordedBy: { userId: shortcut.user.id, name: who.user.name ?? shortcut.user.name ?? null },
        }).catch((error: unknown) => {
          env.log.error({ err: error }, 'slack: recording a message failed');
          return null;
        });
        const text = !recorded
          ? words.recordFailed
          : recorded.ok
            ? recorded.created
              ? words.recorded(recorded.inquiryId)
              : recorded.joined
                ? words.joined(recorded.inquiryId)
                : words.recordedAlready(recorded.inquiryId)
            : refusalReply(replyContext(env), recorded);
        await respond({ response_type: 'ephemeral', replace_original: false, text });
      });
    },
  );
}
