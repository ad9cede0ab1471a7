import { webApi } from '@slack/bolt';
import type { Logger } from '../../lib/logger.ts';
import { ChannelUnavailableError, PermanentDeliveryError, RateLimitedError } from '../delivery-errors.ts';
import { slackSdkLogger } from './sdk-logger.ts';

export type WebClient = InstanceType<typeof webApi.WebClient>;

/** How long one Web API call may take before it counts as failed (well inside the outbox lease). */
export const CALL_TIMEOUT_MS = 10_000;

/**
 * The Web API client koe uses for every call. koe owns retries and pacing (the outbox), so the SDK
 * neither retries (its default is 10 retries over ~30 minutes: an at-least-once risk for
 * chat.postMessage) nor queues behind a 429: a 429 throws at once and becomes `RateLimitedError`.
 */
export function createWebClient(options: { token: string; apiUrl?: string; log: Logger }): WebClient {
  return new webApi.WebClient(options.token, {
    ...(options.apiUrl && { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` }),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: CALL_TIMEOUT_MS,
    logger: slackSdkLogger(options.log),
  });
}

/**
 * Platform errors that no retry can fix: the channel or message is gone, the bot is not in the
 * channel or lost its token or scope, or the payload itself is refused.
 */
const PERMANENT = new Set([
  'is_archived',
  'channel_is_archived',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'metadata_must_be_sent_from_app',
  'msg_too_long',
  'msg_blocks_too_long',
  'no_text',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'ekm_access_denied',
  'team_access_not_granted',
  'thread_not_found',
  'user_not_found',
  'invalid_arguments',
]);

/** The Slack error code of a Web API failure (`channel_not_found`, …), if it is one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  return undefined;
}

/**
 * Turns a Web API failure into the outbox's vocabulary: 429 → `RateLimitedError` (Retry-After in
 * ms), refusals no retry can fix → `PermanentDeliveryError`, anything else (5xx, network, timeout,
 * `internal_error`) stays as it is and counts as transient.
 */
export function toDeliveryError(error: unknown): unknown {
  if (error instanceof webApi.WebAPIRateLimitedError) return new RateLimitedError(Math.max(1, error.retryAfter) * 1000);
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = error.data.error;
    if (code === 'ratelimited' || code === 'rate_limited') return new RateLimitedError(1000);
    // Not invited (a private channel koe is not in answers channel_not_found): fixable by a person.
    if (code === 'not_in_channel' || code === 'channel_not_found') return new ChannelUnavailableError(`slack: ${code}`);
    if (PERMANENT.has(code)) return new PermanentDeliveryError(`slack: ${code}`);
    return new Error(`slack: ${code}`);
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return new Error(`slack: HTTP ${error.statusCode}`);
  }
  return error;
}

/** Calls `fn`, rethrowing its failure in the outbox's vocabulary. */
export async function deliveryCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toDeliveryError(error);
  }
}
