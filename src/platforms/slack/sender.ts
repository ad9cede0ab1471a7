import type { Logger } from '../../lib/logger.ts';
import type { DeliveryKind, PostedMessage, Sender } from '../types.ts';
import { renderDigestBlocks } from './render-digest.ts';
import {
  DIGEST_METADATA_EVENT_TYPE,
  inquiryMetadata,
  METADATA_EVENT_TYPE,
  renderInquiry,
  renderThreadMessage,
  type SlackMessage,
  type SlackRenderSettings,
} from './render.ts';
import { renderFailedNotice } from './render-reply.ts';
import { mrkdwnLiteral, msToTs } from './text.ts';
import { deliveryCall, type WebClient } from './web-client.ts';

/** Slack's posting pace: about one message per second per channel. */
export const SLACK_PACE_MS = 1_000;
/** How far `findDelivered` pages back through a channel before giving up (200 messages a page). */
const MAX_HISTORY_PAGES = 10;

export interface SlackSenderOptions {
  web: WebClient;
  render: SlackRenderSettings;
  log: Logger;
  /** Least gap between two calls to one channel; tests shorten it. */
  paceMs?: number;
  /** The workspace's URL (`https://acme.slack.com/`, from auth.test), for links to mirrors in digests. */
  workspaceUrl?: () => string | null;
}

/** A permalink built without an API call: `https://acme.slack.com/archives/C123/p1700000000000100`. */
export function slackMessageUrl(workspaceUrl: string, channel: string, ts: string): string {
  return `${workspaceUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
}

interface HistoryMessage {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** The metadata of an alert line koe posted (an SLA warning in `sla.alertChannel`). */
export const ALERT_METADATA_EVENT_TYPE = 'koe_alert';

const FOUND_EVENT_TYPES = new Set([METADATA_EVENT_TYPE, DIGEST_METADATA_EVENT_TYPE, ALERT_METADATA_EVENT_TYPE]);

const carries = (m: HistoryMessage, deliveryId: number) =>
  FOUND_EVENT_TYPES.has(m.metadata?.event_type ?? '') && Number(m.metadata?.event_payload?.delivery_id) === deliveryId;

/** A thread message for someone: their mention above it (and in the notification text), when a Slack user. */
function addressed(message: SlackMessage, mention: string | null | undefined): SlackMessage {
  const userId = mention?.startsWith('slack:') ? mention.slice('slack:'.length) : null;
  if (!userId || !/^[UW][A-Z0-9]{1,30}$/.test(userId)) return message;
  const to = `<@${userId}>`;
  return {
    text: `${to} ${message.text}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: to } }, ...message.blocks],
  };
}

/**
 * The Slack destination: posts mirrors as Block Kit, updates them in place, posts follow-ups in their
 * threads. Every post carries message metadata with its delivery id, which is how `findDelivered`
 * recognises a post whose answer was lost (Slack has no idempotency key for chat.postMessage).
 */
export function createSlackSender(options: SlackSenderOptions): Sender {
  const { web, render } = options;
  const paceMs = options.paceMs ?? SLACK_PACE_MS;

  async function post(args: Parameters<WebClient['chat']['postMessage']>[0]): Promise<{ ts: string }> {
    const result = await deliveryCall(() => web.chat.postMessage(args));
    if (!result.ts) throw new Error('slack: chat.postMessage answered without a ts');
    return { ts: result.ts };
  }

  return {
    platform: 'slack',
    paceMs: (_kind: DeliveryKind) => paceMs,

    async postInquiry({ deliveryId, channel, view }) {
      const message = renderInquiry(view, render);
      const { ts } = await post({
        channel,
        ...message,
        metadata: inquiryMetadata(view.inquiry.id, deliveryId),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageRef: ts, threadRef: ts };
    },

    async updateInquiry({ deliveryId, channel, mirror, view }) {
      const message = renderInquiry(view, render);
      await deliveryCall(() =>
        web.chat.update({
          channel,
          ts: mirror.messageRef,
          ...message,
          metadata: inquiryMetadata(view.inquiry.id, deliveryId),
        }),
      );
    },

    async postToThread({ deliveryId, channel, mirror, view, message, mention }) {
      const threadTs = mirror.threadRef ?? mirror.messageRef;
      const { ts } = await post({
        channel,
        thread_ts: threadTs,
        ...addressed(renderThreadMessage(view, message, render), mention),
        metadata: inquiryMetadata(view.inquiry.id, deliveryId),
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageRef: ts, threadRef: threadTs };
    },

    async updateThreadMessage({ channel, view, message, messageRef }) {
      // The line keeps the metadata of the post that made it (its thread delivery), so it stays findable.
      await deliveryCall(() =>
        web.chat.update({ channel, ts: messageRef, ...renderThreadMessage(view, message, render) }),
      );
    },

    async postAlert({ deliveryId, channel, text }) {
      // koe's own line, but it may quote names people chose: shown as typed, never as markup.
      const line = mrkdwnLiteral(text, 3_000);
      const { ts } = await post({
        channel,
        text: line,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line, verbatim: true } }],
        metadata: { event_type: ALERT_METADATA_EVENT_TYPE, event_payload: { delivery_id: deliveryId } },
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageRef: ts, threadRef: null };
    },

    async notifyUser({ userId, view, message }) {
      // A DM from the app: conversations.open (im:write) gives the channel, then an ordinary post.
      const opened = await deliveryCall(() => web.conversations.open({ users: userId }));
      const dm = opened.channel?.id;
      if (!dm) throw new Error('slack: conversations.open answered without a channel');
      await post({
        channel: dm,
        ...renderFailedNotice(view, message, render),
        unfurl_links: false,
        unfurl_media: false,
      });
    },

    async postDigest({ deliveryId, channel, digest }) {
      const base = options.workspaceUrl?.() ?? null;
      const message = renderDigestBlocks(digest, {
        ...render,
        mirrorUrl: (m) => (base && m.platform === 'slack' ? slackMessageUrl(base, m.channel, m.messageRef) : null),
      });
      const { ts } = await post({
        channel,
        text: message.text,
        blocks: message.blocks,
        metadata: { event_type: DIGEST_METADATA_EVENT_TYPE, event_payload: { delivery_id: deliveryId } },
        unfurl_links: false,
        unfurl_media: false,
      });
      return { messageRef: ts, threadRef: ts };
    },

    findDelivered: (req) => findDeliveredPost(web, options.log, req),
  };
}

/**
 * The post an attempt made, found by the delivery id in its metadata (a mirror or digest in the
 * channel's history, a thread line in the mirror's thread), or null when it never landed.
 */
async function findDeliveredPost(
  web: WebClient,
  log: Logger,
  { deliveryId, kind, channel, mirror, sinceMs }: Parameters<Sender['findDelivered']>[0],
): Promise<PostedMessage | null> {
  // Updates are idempotent (chat.update of the same message); only posts can be duplicated.
  if (kind === 'update') return null;
  const oldest = msToTs(sinceMs);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const threadTs = kind === 'thread' ? (mirror?.threadRef ?? mirror?.messageRef) : undefined;
    if (kind === 'thread' && !threadTs) return null;
    const result = await deliveryCall(() =>
      threadTs
        ? web.conversations.replies({ channel, ts: threadTs, oldest, include_all_metadata: true, limit: 200, cursor })
        : web.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200, cursor }),
    );
    const found = ((result.messages ?? []) as HistoryMessage[]).find((m) => carries(m, deliveryId));
    if (found?.ts) {
      log.info(
        { deliveryId, channel, ts: found.ts },
        'slack: found an earlier post of this delivery; not posting again',
      );
      const posted: PostedMessage = { messageRef: found.ts, threadRef: threadTs ?? found.thread_ts ?? found.ts };
      return posted;
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor || !result.has_more) break;
  }
  return null;
}
