import {
  ChannelType,
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  RateLimitError,
  Routes,
  type APIChannel,
  type APIMessage,
  type REST,
} from 'discord.js';
import type { Logger } from '../../lib/logger.ts';
import { PermanentDeliveryError } from '../delivery-errors.ts';
import type { PostedMessage, RenderSettings, ReplyDelivery, ReplySender } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { toDeliveryError } from './errors.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { customerReplyFits, renderCustomerReply } from './render-reply.ts';
import { nonceFor, snowflakeAt } from './sender.ts';

export interface DiscordReplySenderOptions {
  rest: REST;
  render: RenderSettings;
  log: Logger;
  botUserId: () => Promise<string>;
  /** A channel's type from the gateway's cache, when it is there (REST is asked otherwise). */
  cachedChannelType?: (channelId: string) => ChannelType | null;
  /** Whether `messageId` is already recorded as one of `source`'s messages (a reply found before). */
  recorded: (source: string, messageId: string) => boolean;
  paceMs?: number;
  lookupPages?: number;
}

/** Where one reply is written: a channel, and the customer's message it answers (text channels only). */
interface ReplyRoute {
  channel: string;
  reference: string | null;
}

/**
 * Replies to customers on Discord, where they wrote. The inquiry's source channel says how: in a
 * text channel the inquiry's external id is the customer's message, and the reply answers it with
 * a message reference (Discord's "reply", which shows the quoted message); in a forum (or media
 * channel) the external id is the post's thread, and the reply is written in that thread.
 *
 * Exactly once: each send carries a nonce derived from its delivery with `enforce_nonce`, so
 * Discord returns the message already made for a repeated send (discord.js's own retry of a 5xx or
 * timeout, a quick restart). Past those minutes `findSentReply` looks for koe's message with the
 * same text (and the same referenced message) since the delivery was queued, skipping any message
 * already recorded as another reply, so two identical replies are still told apart.
 */
export function createDiscordReplySender(options: DiscordReplySenderOptions): ReplySender {
  const { rest, render, log } = options;
  const pace = options.paceMs ?? 1_000;
  const lookupPages = options.lookupPages ?? 10;
  const types = new Map<string, ChannelType>();

  async function channelType(channelId: string): Promise<ChannelType> {
    const known = types.get(channelId) ?? options.cachedChannelType?.(channelId) ?? null;
    if (known !== null) return known;
    const channel = (await rest.get(Routes.channel(channelId)).catch((e: unknown) => {
      throw toReplyError(e, render);
    })) as APIChannel;
    types.set(channelId, channel.type);
    return channel.type;
  }

  async function routeOf(req: ReplyDelivery): Promise<ReplyRoute> {
    const externalId = req.view.inquiry.externalId;
    if (!externalId) throw new PermanentDeliveryError(wordsFor(render.locale).discord.replies.errors.gone);
    const type = await channelType(req.channel);
    const threaded = type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
    return threaded ? { channel: externalId, reference: null } : { channel: req.channel, reference: externalId };
  }

  function contentOf(req: ReplyDelivery): string {
    const { fits, length } = customerReplyFits(req.message);
    if (!fits) {
      const words = wordsFor(render.locale).discord.replies;
      throw new PermanentDeliveryError(words.tooLong({ length, max: DISCORD_LIMITS.content }));
    }
    return renderCustomerReply(req.message);
  }

  return {
    paceMs: () => pace,

    async sendReply(req) {
      const content = contentOf(req);
      const route = await routeOf(req);
      const body = {
        content,
        allowed_mentions: { parse: [] as never[] },
        flags: MessageFlags.SuppressEmbeds,
        nonce: nonceFor(req.deliveryId),
        enforce_nonce: true,
        ...(route.reference && { message_reference: { message_id: route.reference, fail_if_not_exists: false } }),
      };
      try {
        const posted = (await rest.post(Routes.channelMessages(route.channel), { body })) as APIMessage;
        return { messageRef: posted.id, threadRef: null };
      } catch (error) {
        throw toReplyError(error, render);
      }
    },

    async findSentReply(req) {
      const content = contentOf(req);
      const route = await routeOf(req);
      const me = await options.botUserId();
      const source = req.view.inquiry.source;
      const matches = (m: APIMessage) =>
        m.author.id === me &&
        m.content === content &&
        (route.reference === null || m.message_reference?.message_id === route.reference) &&
        !options.recorded(source, m.id);
      let after = snowflakeAt(req.sinceMs);
      for (let page = 0; page < lookupPages; page += 1) {
        const batch = (await rest
          .get(Routes.channelMessages(route.channel), { query: new URLSearchParams({ after, limit: '100' }) })
          .catch((e: unknown) => {
            throw toReplyError(e, render);
          })) as APIMessage[];
        // Oldest first: of two identical unrecorded replies, the earlier one is this delivery's.
        const found = [...batch].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).find(matches);
        if (found) {
          log.info(
            { deliveryId: req.deliveryId, messageId: found.id },
            'discord: found the reply of an interrupted send',
          );
          const posted: PostedMessage = { messageRef: found.id, threadRef: null };
          return posted;
        }
        if (batch.length < 100) return null;
        after = batch.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
      }
      log.warn({ deliveryId: req.deliveryId }, 'discord: reply lookup window exhausted; assuming it never landed');
      return null;
    },
  };
}

/**
 * What a failed reply means for the outbox. 429 waits (RateLimitedError). A refusal that will not
 * change (no access or permission, the channel or thread gone, a locked thread, any other 4xx but
 * 401 and 429) fails the reply at once, with a reason in the team's words for its line and notice.
 * 5xx, timeouts and a bad token (401, fixed by a restart with the right one) are retried.
 */
export function toReplyError(error: unknown, render: Pick<RenderSettings, 'locale'>): unknown {
  if (error instanceof RateLimitError) return toDeliveryError(error);
  if (!(error instanceof DiscordAPIError)) return error;
  const words = wordsFor(render.locale).discord.replies.errors;
  const code = typeof error.code === 'number' ? error.code : 0;
  const reason = (() => {
    if (code === RESTJSONErrorCodes.ThreadLocked) return words.locked;
    if (code === RESTJSONErrorCodes.MissingAccess || code === RESTJSONErrorCodes.MissingPermissions)
      return words.noAccess;
    if (error.status === 403) return words.noAccess;
    if (error.status === 404) return words.gone;
    if (error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429)
      return words.rejected(`${error.status} ${code}`);
    return null;
  })();
  return reason ? new PermanentDeliveryError(`${reason} (discord ${error.status} ${code})`) : error;
}
