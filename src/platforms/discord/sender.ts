import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIMessage, type REST } from 'discord.js';
import type { Inquiry, Mirror } from '../../core/inquiries/types.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DeliveryKind, PostedMessage, RenderSettings, Sender } from '../types.ts';
import { toDeliveryError } from './errors.ts';
import { DISCORD_LIMITS } from './limits.ts';
import {
  hasDeliveryMarker,
  renderInquiryMessage,
  renderThreadMessage,
  threadName,
  withDeliveryMarker,
  type DiscordMessageBody,
} from './render.ts';
import { renderDigestEmbeds } from './render-digest.ts';
import { replyLineMethods } from './reply-lines.ts';

/** Discord's epoch (2015-01-01), for turning a time into the smallest snowflake at or after it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** The smallest snowflake of `epochMs`: `after` it lists every message created since then. */
export function snowflakeAt(epochMs: number): string {
  const ms = BigInt(Math.max(0, Math.floor(epochMs)));
  return ms <= DISCORD_EPOCH_MS ? '0' : ((ms - DISCORD_EPOCH_MS) << 22n).toString();
}

/**
 * The nonce of a delivery's post (≤ 25 chars). With `enforce_nonce`, Discord returns the message
 * already created with it (for a few minutes) instead of creating a second one: this covers a retry
 * by discord.js after a timeout or 5xx, and a quick restart; `findDelivered` covers the rest.
 */
export function nonceFor(deliveryId: number): string {
  return `koe-${deliveryId}`.slice(0, DISCORD_LIMITS.nonce);
}

export interface DiscordSenderOptions {
  /** The discord.js client's REST manager (token set, `rejectOnRateLimit` for channel routes). */
  rest: REST;
  render: RenderSettings;
  log: Logger;
  /** koe's own user id, to tell its messages apart when looking for a lost post. */
  botUserId: () => Promise<string>;
  /** Least gap between two deliveries to one channel. */
  paceMs?: number;
  /** Messages scanned at most per lookup (pages of 100). */
  lookupPages?: number;
  /** The guild of a channel, for links to mirrors in digests (`https://discord.com/channels/g/c/m`). */
  guildOf?: (channelId: string) => string | null;
  /** Whether an inquiry can be answered from koe (its mirror then shows Reply to customer). */
  canReply?: (inquiry: Inquiry) => boolean;
}

const mentionsOff = { allowed_mentions: { parse: [] as never[] } };
const isCode = (error: unknown, code: number) => error instanceof DiscordAPIError && error.code === code;

// Discord allows about 5 messages per 5 s per channel; one a second stays clear of the bucket.
const DEFAULT_PACE_MS = 1_000;
const THREAD_ARCHIVE_MINUTES = 10_080; // 7 days, the longest Discord allows

/**
 * The Discord Sender: posts mirrors as embeds, edits them in place, writes follow-ups into a thread
 * started on the mirror (created on the first one), posts digests. Every post carries a nonce and a
 * footer marker derived from its delivery id, so a mirror is never posted twice across a crash.
 */
export function createDiscordSender(options: DiscordSenderOptions): Sender {
  const { rest, render, log } = options;
  const pace = options.paceMs ?? DEFAULT_PACE_MS;
  const lookupPages = options.lookupPages ?? 10;

  const canReply = (view: { inquiry: Inquiry }) => options.canReply?.(view.inquiry) ?? false;

  async function call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toDeliveryError(error);
    }
  }

  function createMessage(channel: string, body: DiscordMessageBody, deliveryId: number): Promise<APIMessage> {
    return rest.post(Routes.channelMessages(channel), {
      body: { ...body, ...mentionsOff, nonce: nonceFor(deliveryId), enforce_nonce: true },
    }) as Promise<APIMessage>;
  }

  /** Starts the thread on a mirror; a thread that already exists (a retried attempt) is fine. */
  async function startThread(mirror: Mirror, name: string): Promise<void> {
    try {
      await rest.post(Routes.threads(mirror.channel, mirror.messageRef), {
        body: { name, auto_archive_duration: THREAD_ARCHIVE_MINUTES },
      });
    } catch (error) {
      if (!isCode(error, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage)) throw error;
    }
  }

  return {
    platform: 'discord',
    paceMs: (_kind: DeliveryKind) => pace,
    ...replyLineMethods({ rest, render }),

    async postInquiry({ deliveryId, channel, view }) {
      const message = await call(() =>
        createMessage(
          channel,
          renderInquiryMessage(view, render, { deliveryId, canReply: canReply(view) }),
          deliveryId,
        ),
      );
      // A thread started from a message shares its id, so the mirror knows its thread before it exists.
      return { messageRef: message.id, threadRef: message.id };
    },

    async updateInquiry({ channel, mirror, view }) {
      await call(() =>
        rest.patch(Routes.channelMessage(channel, mirror.messageRef), {
          body: { ...renderInquiryMessage(view, render, { canReply: canReply(view) }), ...mentionsOff },
        }),
      );
    },

    async postToThread({ deliveryId, mirror, view, message }) {
      const threadId = mirror.threadRef ?? mirror.messageRef;
      const body = renderThreadMessage(view, message, render, { deliveryId });
      const posted = await call(async () => {
        try {
          return await createMessage(threadId, body, deliveryId);
        } catch (error) {
          // The first message of an inquiry's thread: start the thread on the mirror, then post.
          if (!isCode(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
          await startThread(mirror, threadName(view, render.locale));
          return createMessage(threadId, body, deliveryId);
        }
      });
      return { messageRef: posted.id, threadRef: threadId };
    },

    async postDigest({ deliveryId, channel, digest }) {
      const rendered = renderDigestEmbeds(digest, {
        ...render,
        mirrorUrl: (m) => {
          const guild = m.platform === 'discord' ? options.guildOf?.(m.channel) : null;
          return guild ? `https://discord.com/channels/${guild}/${m.channel}/${m.messageRef}` : null;
        },
      });
      const body = withDeliveryMarker({ content: rendered.content, embeds: rendered.embeds }, deliveryId);
      const message = await call(() => createMessage(channel, body, deliveryId));
      return { messageRef: message.id, threadRef: null };
    },

    async findDelivered({ deliveryId, kind, channel, mirror, sinceMs }) {
      if (kind === 'update') return null; // edits are idempotent: the worker simply edits again
      const target = kind === 'thread' && mirror ? (mirror.threadRef ?? mirror.messageRef) : channel;
      const me = await options.botUserId();
      let after = snowflakeAt(sinceMs);
      for (let page = 0; page < lookupPages; page += 1) {
        let batch: APIMessage[];
        try {
          batch = (await rest.get(Routes.channelMessages(target), {
            query: new URLSearchParams({ after, limit: '100' }),
          })) as APIMessage[];
        } catch (error) {
          // No thread yet: the lost attempt never got as far as posting into it.
          if (kind === 'thread' && isCode(error, RESTJSONErrorCodes.UnknownChannel)) return null;
          throw toDeliveryError(error);
        }
        const found = batch.find(
          (m) => m.author.id === me && m.embeds.some((e) => hasDeliveryMarker(e.footer?.text, deliveryId)),
        );
        if (found) {
          log.info({ deliveryId, kind, messageId: found.id }, 'discord: found the message of an interrupted delivery');
          const posted: PostedMessage = {
            messageRef: found.id,
            threadRef: kind === 'post' ? found.id : kind === 'thread' ? target : null,
          };
          return posted;
        }
        if (batch.length < 100) return null;
        // Pages run oldest to newest: continue after the newest message seen.
        after = batch.reduce((max, m) => (BigInt(m.id) > BigInt(max) ? m.id : max), after);
      }
      log.warn(
        { deliveryId, kind, channel: target },
        'discord: lookup window exhausted; assuming the delivery never landed',
      );
      return null;
    },
  };
}
