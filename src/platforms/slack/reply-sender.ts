import type { Locale } from '../../core/reasons/taxonomy.ts';
import type { Logger } from '../../lib/logger.ts';
import { PermanentDeliveryError } from '../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { REPLY_METADATA_EVENT_TYPE } from './render.ts';
import { renderCustomerReply, replyAuthorName, replyMetadata, USERNAME_MAX } from './render-reply.ts';
import { SLACK_PACE_MS } from './sender.ts';
import { msToTs } from './text.ts';
import { slackErrorCode, toDeliveryError, type WebClient } from './web-client.ts';

/** How far `findSentReply` pages through the customer's thread (200 messages a page). */
const MAX_REPLY_PAGES = 10;
/** How long a reply waits for its author's picture; without it the app's own icon shows. */
const ICON_WAIT_MS = 1_500;

export interface SlackReplySenderOptions {
  web: WebClient;
  locale: Locale;
  log: Logger;
  paceMs?: number;
  /**
   * Whether the token has `chat:write.customize` (from the scopes Slack reports), or null when
   * unknown: then koe tries, and falls back to a name line if Slack refuses.
   */
  canCustomize: () => boolean | null;
}

/** Slack's error codes for a reply, grouped by what the team can do about them. */
type Reason = Exclude<keyof ReturnType<typeof wordsFor>['slack']['replyErrors'], 'rejected'>;
const REASONS: Record<string, Reason> = {
  not_in_channel: 'noAccess',
  missing_scope: 'noAccess',
  no_permission: 'noAccess',
  restricted_action: 'noAccess',
  restricted_action_read_only_channel: 'noAccess',
  restricted_action_thread_only_channel: 'noAccess',
  restricted_action_non_threadable_channel: 'noAccess',
  ekm_access_denied: 'noAccess',
  team_access_not_granted: 'noAccess',
  channel_not_found: 'gone',
  is_archived: 'archived',
  channel_is_archived: 'archived',
  thread_not_found: 'threadGone',
  message_not_found: 'threadGone',
  msg_too_long: 'tooLong',
  msg_blocks_too_long: 'tooLong',
  invalid_auth: 'token',
  not_authed: 'token',
  account_inactive: 'token',
  token_revoked: 'token',
  token_expired: 'token',
};

/**
 * A failed call in the outbox's vocabulary (`toDeliveryError`: 429 → RateLimitedError, a refusal
 * no retry can fix → PermanentDeliveryError, 5xx and network → transient), with a permanent
 * refusal said in words the team can act on: it becomes the failed line and the author's notice.
 */
export function replyDeliveryError(error: unknown, locale: Locale): unknown {
  const mapped = toDeliveryError(error);
  if (!(mapped instanceof PermanentDeliveryError)) return mapped;
  const code = slackErrorCode(error) ?? 'unknown';
  const words = wordsFor(locale).slack.replyErrors;
  const reason = REASONS[code];
  const sentence = reason === undefined ? words.rejected(code) : words[reason];
  return new PermanentDeliveryError(reason === undefined ? sentence : `${sentence} (slack: ${code})`);
}

interface ThreadMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * The way back to a customer who wrote in a Slack source channel: koe posts the reply in the
 * customer's thread (`thread_ts`: the ts of their first message, the inquiry's external id), as the
 * bot, under the author's name where the token may (`chat:write.customize`), else with a name line.
 * Each post carries message metadata with its delivery id; `findSentReply` looks for it in the
 * thread, which is what keeps a reply whose answer was lost (a crash, a timeout, a 5xx after the
 * post landed) from being sent twice. Link previews are off: koe never unfurls what someone typed.
 */
export function createSlackReplySender(options: SlackReplySenderOptions): ReplySender {
  const { web, locale, log } = options;
  const paceMs = options.paceMs ?? SLACK_PACE_MS;
  let customizeRefused = false;

  async function post(req: ReplyDelivery, threadTs: string, named: boolean) {
    const message = renderCustomerReply(req.message, { named });
    const icon = named ? await iconOf(web, req.message.authorId, log) : null;
    return web.chat.postMessage({
      channel: req.channel,
      thread_ts: threadTs,
      text: message.text,
      blocks: message.blocks,
      metadata: replyMetadata(req.deliveryId),
      unfurl_links: false,
      unfurl_media: false,
      ...(named && {
        username: replyAuthorName(req.message).slice(0, USERNAME_MAX),
        ...(icon && { icon_url: icon }),
      }),
    });
  }

  return {
    paceMs: () => paceMs,

    async sendReply(req) {
      const threadTs = threadOf(req, locale);
      const named = !customizeRefused && options.canCustomize() !== false;
      let result: Awaited<ReturnType<typeof post>>;
      try {
        result = await post(req, threadTs, named);
      } catch (error) {
        // Slack refused the name and icon, not the reply: a refused call posted nothing, so post it again with a name line.
        if (!named || slackErrorCode(error) !== 'missing_scope') throw replyDeliveryError(error, locale);
        customizeRefused = true;
        log.info({ channel: req.channel }, 'slack: no chat:write.customize; replies name their author in a line');
        result = await post(req, threadTs, false).catch((again: unknown) => {
          throw replyDeliveryError(again, locale);
        });
      }
      if (!result.ts) throw new Error('slack: chat.postMessage answered without a ts');
      return { messageRef: result.ts, threadRef: threadTs };
    },

    async findSentReply(req) {
      const threadTs = threadOf(req, locale);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_REPLY_PAGES; page++) {
        const result = await web.conversations
          .replies({
            channel: req.channel,
            ts: threadTs,
            oldest: msToTs(req.sinceMs),
            include_all_metadata: true,
            limit: 200,
            cursor,
          })
          .catch((error: unknown) => {
            throw replyDeliveryError(error, locale);
          });
        const found = ((result.messages ?? []) as ThreadMessage[]).find(
          (m) =>
            m.metadata?.event_type === REPLY_METADATA_EVENT_TYPE &&
            Number(m.metadata.event_payload?.delivery_id) === req.deliveryId,
        );
        if (found?.ts) {
          log.info({ deliveryId: req.deliveryId, channel: req.channel, ts: found.ts }, 'slack: reply already sent');
          const posted: PostedMessage = { messageRef: found.ts, threadRef: threadTs };
          return posted;
        }
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor || !result.has_more) break;
      }
      return null;
    },
  };
}

/** The customer's thread: the ts of the message that opened the inquiry. */
function threadOf(req: ReplyDelivery, locale: Locale): string {
  const ts = req.view.inquiry.externalId;
  if (!ts || !/^\d+\.\d+$/.test(ts))
    throw new PermanentDeliveryError(`${wordsFor(locale).slack.replyErrors.threadGone} (slack: no thread)`);
  return ts;
}

/** The author's Slack picture, when they are a Slack user and Slack answers quickly; else none. */
async function iconOf(web: WebClient, authorId: string | null, log: Logger): Promise<string | null> {
  const user = /^slack:([UW][A-Z0-9]{1,30})$/.exec(authorId ?? '')?.[1];
  if (!user) return null;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ICON_WAIT_MS)));
  const asked = web.users
    .info({ user })
    .then((r) => {
      const image = (r.user?.profile as { image_72?: string } | undefined)?.image_72;
      return typeof image === 'string' && /^https:\/\/\S+$/.test(image) && image.length <= 1_000 ? image : null;
    })
    .catch((error: unknown) => {
      log.debug({ err: error, user }, 'slack: no picture for a reply');
      return null;
    });
  const icon = await Promise.race([asked, late]);
  clearTimeout(timer);
  return icon;
}
