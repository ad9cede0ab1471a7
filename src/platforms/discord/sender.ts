import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIMessage, type REST } from 'discord.js';
import type { Inquiry, Mirror } from '../../core/inquiries/types.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DeliveryKind, PostedMessage, RenderSettings, Sender } from '../types.ts';
import { toDeliveryError } from './errors.ts';
import { DISCORD_LIMITS, truncate } from './limits.ts';
import { escapeMarkdown } from './markdown.ts';
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

/** Posts with every mention off but those of `users` (an SLA warning's assignee), under the delivery's nonce. */
function postMessage(
  rest: REST,
  channel: string,
  body: DiscordMessageBody,
  deliveryId: number,
  users: string[],
): Promise<APIMessage> {
  const mentions = users.length ? { allowed_mentions: { parse: [] as never[], users } } : mentionsOff;
  return rest.post(Routes.channelMessages(channel), {
    body: { ...body, ...mentions, nonce: nonceFor(deliveryId), enforce_nonce: true },
  }) as Promise<APIMessage>;
}

/** One alert line (an SLA warning), in an embed where the delivery marker goes; names in it are text, not markup. */
async function postAlertLine(
  rest: REST,
  req: { deliveryId: number; channel: string; text: string },
): Promise<PostedMessage> {
  const line = truncate(escapeMarkdown(req.text), DISCORD_LIMITS.embedDescription);
  const body = withDeliveryMarker({ embeds: [{ description: line }] }, req.deliveryId);
  const message = await postMessage(rest, req.channel, body, req.deliveryId, []);
  return { messageRef: message.id, threadRef: null };
}

/**
 * A thread message for someone (`mention`, an actor id): their mention as its content, and the one
 * user it may notify, when a Discord user; the body as rendered, notifying no one, otherwise.
 */
function addressed(body: DiscordMessageBody, mention: string | null | undefined) {
  const id = mention?.startsWith('discord:') ? mention.slice('discord:'.length) : null;
  if (!id || !/^\d{5,25}$/.test(id)) return { body, users: [] as string[] };
  return { body: { ...body, content: `<@${id}>` }, users: [id] };
}
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

  const createMessage = (channel: string, body: DiscordMessageBody, deliveryId: number, users: string[] = []) =>
    postMessage(rest, channel, body, deliveryId, users);

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

    async postToThread({ deliveryId, mirror, view, message, mention }) {
      const threadId = mirror.threadRef ?? mirror.messageRef;
      const { body, users } = addressed(renderThreadMessage(view, message, render, { deliveryId }), mention);
      const posted = await call(async () => {
        try {
          return await createMessage(threadId, body, deliveryId, users);
        } catch (error) {
          // The first message of an inquiry's thread: start the thread on the mirror, then post.
          if (!isCode(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
          await startThread(mirror, threadName(view, render.locale));
          return createMessage(threadId, body, deliveryId, users);
        }
      });
      return { messageRef: posted.id, threadRef: threadId };
    },

    postAlert: (req) => call(() => postAlertLine(rest, req)),

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
