import type { Failure, Outcome } from '../../core/errors.ts';
import { createInquiry, createInquiryInput, type CreateOptions, prepareGuess } from '../../core/inquiries/index.ts';
import { type AdapterRefusal, miscWords } from '../replies.ts';
import { slackActor, type SlackContext } from './context.ts';
import { fileLines, filesOf, type SlackFileObject } from './files.ts';
import { METADATA_EVENT_TYPE, DIGEST_METADATA_EVENT_TYPE, REPLY_METADATA_EVENT_TYPE } from './render.ts';
import { slackMessageUrl } from './sender.ts';
import { slackToPlain, tsToMs } from './text.ts';

/** The parts of a Slack message koe reads. */
export interface SlackMessageLike {
  ts: string;
  text?: string;
  user?: string;
  username?: string;
  bot_id?: string;
  bot_profile?: { name?: string };
  files?: SlackFileObject[];
  thread_ts?: string;
  metadata?: { event_type?: string };
}

const PERMALINK_WAIT_MS = 1_500;
const NAME_WAIT_MS = 1_000;

/** A message's permalink from Slack, or one built from the workspace URL if Slack is slow or refuses. */
export async function permalinkOf(env: SlackContext, channel: string, ts: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const fromSlack = env.web.chat
    .getPermalink({ channel, message_ts: ts })
    .then((r) => r.permalink ?? null)
    .catch((error: unknown) => {
      env.log.debug({ err: error, channel, ts }, 'slack: chat.getPermalink failed');
      return null;
    });
  const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), PERMALINK_WAIT_MS)));
  const link = await Promise.race([fromSlack, late]);
  clearTimeout(timer);
  if (link) return link;
  const base = env.identity().url;
  return base ? slackMessageUrl(base, channel, ts) : null;
}

/** The message at `ts` in `channel` (top level or in a thread), via conversations.history / .replies. */
export async function fetchMessage(env: SlackContext, channel: string, ts: string): Promise<SlackMessageLike | null> {
  const top = await env.web.conversations.history({
    channel,
    latest: ts,
    oldest: ts,
    inclusive: true,
    limit: 1,
    include_all_metadata: true,
  });
  const hit = (top.messages as SlackMessageLike[] | undefined)?.find((m) => m.ts === ts);
  if (hit) return hit;
  const thread = await env.web.conversations.replies({
    channel,
    ts,
    inclusive: true,
    limit: 1,
    include_all_metadata: true,
  });
  return (thread.messages as SlackMessageLike[] | undefined)?.find((m) => m.ts === ts) ?? null;
}

/**
 * koe's own posts: mirrors and thread lines (`koe_inquiry`), digests, and the replies it sent into
 * customers' threads (`koe_reply`). Slack sends them back to koe as messages (events, and the reads
 * of a channel's history); none of them is a customer's message, a follow-up, or staff's answer.
 */
export function isKoePost(message: Pick<SlackMessageLike, 'metadata'>): boolean {
  const eventType = message.metadata?.event_type;
  return (
    eventType === METADATA_EVENT_TYPE ||
    eventType === DIGEST_METADATA_EVENT_TYPE ||
    eventType === REPLY_METADATA_EVENT_TYPE
  );
}

/**
 * The body an inquiry or follow-up gets from a Slack message: its text made readable, then a line per
 * attached file with its name and permalink (`📎 name (link)`), which Slack's renderer draws as links.
 */
export function bodyOf(env: SlackContext, message: SlackMessageLike): string {
  const text = slackToPlain(message.text ?? '').trim();
  const files = fileLines(filesOf(message.files));
  if (text && files) return `${text}\n\n${files}`;
  return text || files || miscWords(env.config.locale).emptyMessage;
}

/**
 * Turns a Slack message into an inquiry (the message shortcut, the 🎫 reaction, a customer's post in
 * a source channel). Idempotent: the source is `slack:<channel>` and the external id is the message
 * ts, so capturing the same message twice returns the first inquiry.
 */
export async function recordSlackMessage(
  env: SlackContext,
  input: {
    channel: string;
    message: SlackMessageLike;
    recordedBy?: { userId: string; name: string | null };
    options?: CreateOptions;
  },
): Promise<Outcome<{ inquiryId: number; created: boolean; joined: boolean }> | AdapterRefusal> {
  const { channel, message } = input;
  if (isKoePost(message)) return { ok: false, refusal: 'ownPost' };
  const authorName = message.user
    ? ((await env.directory.lookup(message.user, { timeoutMs: NAME_WAIT_MS }))?.name ??
      env.directory.cachedName(message.user))
    : (message.bot_profile?.name ?? message.username ?? null);
  const url = await permalinkOf(env, channel, message.ts);
  const parsed = createInquiryInput.safeParse({
    source: `slack:${channel}`,
    externalId: message.ts,
    ...(message.user || authorName
      ? {
          customer: {
            ...(message.user && { id: message.user }),
            ...(authorName && { name: authorName.slice(0, 500) }),
          },
        }
      : {}),
    body: bodyOf(env, message).slice(0, 100_000),
    ...(url && url.length <= 3000 && { url }),
    receivedAt: new Date(tsToMs(message.ts)).toISOString(),
  });
  if (!parsed.success) {
    env.log.warn(
      { issues: parsed.error.issues, channel, ts: message.ts },
      'slack: message could not become an inquiry',
    );
    const failure: Failure = { ok: false, code: 'INVALID_INPUT', message: parsed.error.issues[0]?.message };
    return failure;
  }
  // Already past two awaits (the name, the permalink): the embedding is made off the event loop too.
  await prepareGuess(env.ctx, parsed.data);
  const outcome = createInquiry(env.ctx, parsed.data, {
    ...input.options,
    ...(input.recordedBy && { recordedBy: slackActor(input.recordedBy.userId, input.recordedBy.name) }),
  });
  if (!outcome.ok) return outcome;
  return { ok: true, inquiryId: outcome.inquiry.id, created: outcome.created, joined: outcome.joined };
}
