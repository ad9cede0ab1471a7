import type { App } from '@slack/bolt';
import { addMessage, react } from '../../../core/inquiries/index.ts';
import { failureReply, miscWords, refusalReply } from '../../replies.ts';
import { postEphemeral, replyContext, type SlackContext, slackActor, standingOf } from '../context.ts';
import { bodyOf, fetchMessage, recordSlackMessage, type SlackMessageLike } from '../record-message.ts';
import { formatActor, renderNotice } from '../render.ts';
import { tsToMs } from '../text.ts';
import type { UnreadChannel } from '../../read-back-retry.ts';
import { onMirrorThreadMessage } from './mirror-notes.ts';

/** The emoji that turns any message into an inquiry. */
export const TICKET_EMOJI = 'ticket';
/** How long event handling waits for a user's profile (it runs before Slack is answered). */
const PROFILE_WAIT_MS = 1_500;

/** `thumbsup::skin-tone-2` → `thumbsup`: the reaction map is keyed by the base emoji. */
export function baseEmoji(reaction: string): string {
  return reaction.replace(/::skin-tone-\d$/, '');
}

interface ReactionEvent {
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
}

async function onReaction(env: SlackContext, event: ReactionEvent, removed: boolean): Promise<void> {
  // Signed payloads are still checked for shape: a field of another type would record nonsense.
  if (
    typeof event.user !== 'string' ||
    typeof event.reaction !== 'string' ||
    typeof event.item !== 'object' ||
    event.item === null
  )
    return;
  if (event.item.type !== 'message' || typeof event.item.channel !== 'string' || typeof event.item.ts !== 'string')
    return;
  const channel = event.item.channel;
  const ts = event.item.ts;
  const emoji = baseEmoji(event.reaction);
  // Reactions anywhere else in the channels koe is in mean nothing (but 🎫): skip the name lookup.
  const onMirror = env.ctx.store.transaction((tx) => tx.findMirrorByMessage('slack', channel, ts)) !== undefined;
  if (!onMirror && (emoji !== TICKET_EMOJI || removed)) return;
  // Only staff reactions count; a removal only undoes one that was recorded, so it needs no check.
  let name = env.directory.cachedName(event.user);
  if (!removed) {
    const who = await standingOf(env, { userId: event.user }, PROFILE_WAIT_MS);
    // Not knowing must not let an outsider resolve; failing makes Slack deliver the event again.
    if (who.kind === 'unknown')
      throw new Error(`slack: could not tell whether ${event.user} is staff; the reaction will be retried`);
    if (who.kind === 'outsider') {
      env.log.debug({ userId: event.user, channel, ts }, 'slack: reaction by someone not staff ignored');
      return;
    }
    name = who.user.name ?? name;
  }
  const outcome = react(env.ctx, {
    platform: 'slack',
    channel,
    messageRef: ts,
    actor: slackActor(event.user, name),
    emoji,
    removed,
  });

  if (!outcome.ok) {
    // Not a mirror: only 🎫 means anything here. It records the message as a customer inquiry.
    if (outcome.code !== 'NOT_A_MIRROR' || emoji !== TICKET_EMOJI || removed) return;
    const message = await fetchMessage(env, channel, ts);
    if (!message) return;
    const recorded = await recordSlackMessage(env, { channel, message, recordedBy: { userId: event.user, name } });
    const words = miscWords(env.config.locale);
    const text = recorded.ok
      ? recorded.created
        ? words.recorded(recorded.inquiryId)
        : words.recordedAlready(recorded.inquiryId)
      : refusalReply(replyContext(env), recorded);
    const threadTs = message.thread_ts;
    env.background('🎫: confirm', () =>
      postEphemeral(env, { channel, user: event.user, ...(threadTs && { threadTs }) }, renderNotice(text)),
    );
    return;
  }
  if (outcome.actionFailure) {
    const failure = outcome.actionFailure;
    const why = failureReply(replyContext(env), failure, {
      holder: failure.by ? formatActor(failure.by.id, failure.by.name) : undefined,
    });
    env.background('reaction: refusal', () =>
      postEphemeral(
        env,
        { channel, user: event.user },
        renderNotice(miscWords(env.config.locale).reactionRefused(why)),
      ),
    );
  }
}

interface MessageEvent extends SlackMessageLike {
  channel: string;
  subtype?: string;
  /** The poster's workspace (Slack Connect channels carry it). */
  user_team?: string;
  team?: string;
}

/** Message subtypes that carry a person's words; edits, deletions, joins and bot posts do not. */
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

/**
 * A message in a customer-facing source channel: a top-level post from a customer opens an inquiry
 * (or joins their recent one); a reply in its thread is a follow-up from the customer (inbound) or a
 * reply from staff (outbound, which sets first-response time). Staff top-level posts are ignored.
 */
async function onSourceMessage(env: SlackContext, event: MessageEvent): Promise<void> {
  const source = env.config.sources.find((s) => s.platform === 'slack' && s.channel === event.channel);
  if (!source) return;
  if (!PERSON_SUBTYPES.has(event.subtype) || event.bot_id || !event.user || event.user === env.identity().botUserId)
    return;
  if (typeof event.user !== 'string' || typeof event.ts !== 'string') return; // not a message Slack sends
  const who = await standingOf(env, { userId: event.user, teamId: event.user_team ?? event.team }, PROFILE_WAIT_MS);
  const profile = who.kind === 'unknown' ? null : who.user;
  // Guessing staff vs customer would misfile the message; failing makes Slack deliver it again.
  if (!profile) throw new Error(`slack: could not look up user ${event.user}; the event will be retried`);
  if (profile.isBot) return;
  const staff = who.kind === 'staff';
  const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;

  if (!inThread) {
    if (!staff) {
      const recorded = await recordSlackMessage(env, {
        channel: event.channel,
        message: event,
        options: { joinWindowMs: source.joinWindowMinutes * 60_000 },
      });
      if (!recorded.ok)
        env.log.warn(
          { code: 'code' in recorded ? recorded.code : recorded.refusal, channel: event.channel, ts: event.ts },
          'slack: source message not recorded',
        );
    }
    // Handled: a restart reads the channel back from here (readBackSources).
    env.cursors.note('slack', event.channel, event.ts, env.now());
    return;
  }

  const inquiryId = env.read.inquiryForSourceMessage(`slack:${event.channel}`, event.thread_ts ?? '');
  if (inquiryId === null) return; // a thread koe does not track (e.g. under a staff announcement)
  const outcome = addMessage(env.ctx, {
    inquiryId,
    direction: staff ? 'outbound' : 'inbound',
    body: bodyOf(env, event),
    author: slackActor(event.user, profile.name),
    externalId: event.ts,
    at: tsToMs(event.ts),
  });
  if (!outcome.ok) env.log.warn({ code: outcome.code, inquiryId }, 'slack: thread reply not recorded');
}

/** Reactions on mirrors, 🎫 on any message, and messages in source channels. */
export function registerEvents(app: App, env: SlackContext): void {
  app.event('reaction_added', async ({ event }) => onReaction(env, event, false));
  app.event('reaction_removed', async ({ event }) => onReaction(env, event, true));
  app.event('message', async ({ event }) => {
    const message = event as unknown as MessageEvent;
    // A team member's message in a mirror's thread is a note; anything else may be a customer's.
    if (await onMirrorThreadMessage(env, message)) return;
    await onSourceMessage(env, message);
  });
}

/** Oldest first by Slack timestamp ("seconds.micros"; milliseconds would tie within one). */
const byTs = (a: { ts: string }, b: { ts: string }) => {
  const [as = '0', af = '0'] = a.ts.split('.');
  const [bs = '0', bf = '0'] = b.ts.split('.');
  return Number(as) - Number(bs) || Number(af.padEnd(6, '0')) - Number(bf.padEnd(6, '0'));
};

/**
 * Reads what customers posted in source channels while koe was away, from each channel's cursor on,
 * through the same handling as a live message (which records each message once, by its ts). Slack
 * retries an event only a few times over minutes; after a longer stop those posts would never
 * become inquiries. A channel koe has never handled a message in is not read (a first start imports
 * no history); thread replies are not read back. Returns how many messages were read, and the
 * channels that could not be read, to try again (read-back-retry.ts).
 */
export async function readBackSources(env: SlackContext): Promise<{ read: number; unread: UnreadChannel[] }> {
  let read = 0;
  const unread: UnreadChannel[] = [];
  for (const source of env.config.sources.filter((s) => s.platform === 'slack')) {
    const after = env.cursors.get('slack', source.channel);
    if (!after) continue;
    const result = await readBackChannel(env, { channel: source.channel, after });
    read += result.read;
    if (!result.ok) unread.push({ channel: source.channel, after });
  }
  return { read, unread };
}

/** Reads one source channel back from `after`; `ok` is false when its history could not be read. */
export async function readBackChannel(
  env: SlackContext,
  { channel, after }: UnreadChannel,
  max = 1_000,
): Promise<{ read: number; ok: boolean }> {
  const found: MessageEvent[] = [];
  let page: string | undefined;
  let ok = true;
  try {
    do {
      // Newest first, top-level messages only, strictly after `after`.
      const answer = await env.web.conversations.history({
        channel,
        oldest: after,
        limit: 200,
        ...(page && { cursor: page }),
      });
      for (const m of answer.messages ?? []) found.push({ ...(m as SlackMessageLike), channel });
      page = answer.response_metadata?.next_cursor || undefined;
    } while (page && found.length < max);
  } catch (error) {
    env.log.warn({ err: error, channel }, 'slack: could not read back a source channel; will try again');
    ok = false;
    page = undefined;
  }
  if (page)
    env.log.warn(
      { channel, read: found.length },
      'slack: more messages were posted while koe was away than it reads back; the newest were read',
    );
  let read = 0;
  for (const message of found.slice(0, max).sort(byTs)) {
    try {
      await onSourceMessage(env, message);
    } catch (error) {
      env.log.warn(
        { err: error, channel, ts: message.ts },
        'slack: could not take in a message posted while koe was away',
      );
    }
    read += 1;
  }
  return { read, ok };
}
