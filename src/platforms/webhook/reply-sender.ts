import type { Secret } from '../../config/secret.ts';
import type { Inquiry } from '../../core/inquiries/types.ts';
import type { Logger } from '../../lib/logger.ts';
import { signWebhook } from '../../lib/webhook-signature.ts';
import { PermanentDeliveryError, RateLimitedError } from '../delivery-errors.ts';
import type { PostedMessage, ReplyDelivery, ReplySender } from '../types.ts';
import { webhookPayload } from './payload.ts';

/**
 * The way back for API sources (web forms, backends): each reply is one signed POST to the URL the
 * config gives for the inquiry's source (`replies.webhooks`). The outbox row's channel is that source.
 *
 * Exactly once is shared with the receiver. A webhook cannot be asked afterwards whether a request
 * arrived, so `findSentReply` always answers null and an attempt that may have landed (a timeout, a
 * crash before the row was marked done) is sent again, with the same `X-Koe-Delivery`: the receiver
 * keeps the delivery ids it accepted and answers 2xx to one it already has, without acting twice.
 */

export interface WebhookReplySenderOptions {
  webhooks: ReadonlyArray<{ source: string; url: string }>;
  secret: Secret;
  log: Logger;
  /** koe's clock, for `X-Koe-Timestamp`. */
  now?: () => number;
  /** How long a receiver may take to answer before the attempt counts as failed (and is retried). */
  timeoutMs?: number;
  /** The resolution due time koe promised for an inquiry (`inquiry.dueAt` of the payload); absent: null. */
  dueAt?: (inquiry: Inquiry) => number | null;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How long to wait after a 429 that names no Retry-After, and the most any Retry-After is honoured. */
const DEFAULT_RETRY_AFTER_MS = 5_000;
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
/** How much of a refusal's body becomes its reason (shown to staff in the mirror's thread). */
const REASON_CHARS = 200;

export function createWebhookReplySender(options: WebhookReplySenderOptions): ReplySender {
  const urls = new Map(options.webhooks.map((h) => [h.source, h.url]));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return {
    // A receiver is the customer's own server, not a platform with published limits: no gap is kept.
    paceMs: () => 0,
    findSentReply: async () => null,
    async sendReply(req: ReplyDelivery): Promise<PostedMessage> {
      const url = urls.get(req.channel);
      if (!url) throw new PermanentDeliveryError(`no reply webhook is configured for source "${req.channel}"`);
      const body = JSON.stringify(webhookPayload(req, options.dueAt?.(req.view.inquiry) ?? null));
      const timestamp = Math.floor(now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'koe-webhook/1',
        'x-koe-timestamp': String(timestamp),
        'x-koe-signature': signWebhook(options.secret.reveal(), timestamp, body),
        'x-koe-delivery': String(req.deliveryId),
      };
      // Only ids at debug: the body is a customer's conversation, the signature derives from the secret.
      options.log.debug({ deliveryId: req.deliveryId, source: req.channel }, 'webhook: sending a reply');
      const response = await post(url, headers, body, timeoutMs);
      await judge(response, req);
      return { messageRef: `delivery:${req.deliveryId}` };
    },
  };
}

/** One POST, never following a redirect (a redirect could carry the signed body somewhere unconfigured). */
async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number) {
  try {
    return await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Transient either way (the worker retries), but said in words a person reading the row understands.
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new Error(`the webhook did not answer within ${timeoutMs / 1000} s`);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`the webhook could not be reached (${cause?.code ?? cause?.message ?? String(error)})`);
  }
}

/** 2xx is delivered; 429 waits; 5xx is retried; a redirect or any other 4xx fails the reply for good. */
async function judge(response: Response, req: ReplyDelivery): Promise<void> {
  const status = response.status;
  if (status >= 200 && status < 300) {
    await response.body?.cancel();
    return;
  }
  const reason = await shortReason(response);
  const said = `the webhook answered ${status}${reason ? `: ${reason}` : ''}`;
  if (status === 429) throw new RateLimitedError(retryAfterMs(response.headers.get('retry-after')), said);
  if (status >= 500) throw new Error(said);
  if (status >= 300 && status < 400) {
    throw new PermanentDeliveryError(
      `the webhook for "${req.channel}" redirected (${status}); koe does not follow redirects, so put the final URL in replies.webhooks`,
    );
  }
  throw new PermanentDeliveryError(said);
}

/** The start of a refusal's body, on one line: enough for staff to see why, never a whole page. */
async function shortReason(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return response.statusText;
  let text = '';
  const decoder = new TextDecoder();
  try {
    while (text.length < REASON_CHARS * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut short still leaves the status to go on.
  } finally {
    void reader.cancel().catch(() => {});
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const cut = line.length > REASON_CHARS ? `${line.slice(0, REASON_CHARS)}…` : line;
  return cut || response.statusText;
}

/** Retry-After in seconds or as an HTTP date, within sane bounds. */
export function retryAfterMs(value: string | null, nowMs = Date.now()): number {
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  const ms = /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : Date.parse(value) - nowMs;
  if (!Number.isFinite(ms)) return DEFAULT_RETRY_AFTER_MS;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(1000, ms));
}
