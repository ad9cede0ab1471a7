import { perform } from '../../../core/actions.ts';
import { type SlackContext, slackActor, standingOf } from '../context.ts';
import { bodyOf, type SlackMessageLike } from '../record-message.ts';

/** A message event as koe reads it in a team channel. */
export interface TeamMessageEvent extends SlackMessageLike {
  channel: string;
  subtype?: string;
  user_team?: string;
  team?: string;
}

const PROFILE_WAIT_MS = 1_500;
/** Message subtypes that carry a person's words; edits, deletions, joins and bot posts do not. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/**
 * A message a member of the team writes in a mirror's thread is an internal note: recorded (so the
 * inquiry's history is whole, and other mirrors' threads get a copy), never sent to the customer.
 * The thread it was typed in already shows it, so that mirror gets no copy. A message that starts
 * with a mention of koe is a command (`@koe reply …`), handled by the mentions listener, not a note.
 * Idempotent on the message's ts, so Slack's retries record it once.
 */
export async function onMirrorThreadMessage(env: SlackContext, event: TeamMessageEvent): Promise<boolean> {
  if (!event.thread_ts || event.thread_ts === event.ts) return false;
  if (!env.config.destinations.some((d) => d.platform === 'slack' && d.channel === event.channel)) return false;
  const mirror = env.read.mirrorAt('slack', { channel: event.channel, messageRef: event.thread_ts });
  if (!mirror) return false;
  const botUserId = env.identity().botUserId;
  if (!PERSON_SUBTYPES.has(event.subtype) || event.bot_id || !event.user || event.user === botUserId) return true;
  if (botUserId && (event.text ?? '').trimStart().startsWith(`<@${botUserId}>`)) return true;
  const who = await standingOf(env, { userId: event.user, teamId: event.user_team ?? event.team }, PROFILE_WAIT_MS);
  // Unknown: Slack delivers the event again; a guest's words in a team channel are not the team's note.
  if (who.kind === 'unknown') throw new Error(`slack: could not look up user ${event.user}; the event will be retried`);
  if (who.kind !== 'staff') return true;
  const outcome = perform(env.ctx, {
    type: 'message',
    inquiryId: mirror.inquiryId,
    direction: 'note',
    body: bodyOf(env, event).slice(0, 100_000),
    author: slackActor(event.user, who.user.name),
    externalId: event.ts,
    writtenIn: mirror.destination,
  });
  if (!outcome.ok)
    env.log.warn({ code: outcome.code, inquiryId: mirror.inquiryId }, 'slack: note in a mirror thread not recorded');
  return true;
}
