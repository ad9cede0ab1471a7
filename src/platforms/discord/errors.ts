import { DiscordAPIError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import { ChannelUnavailableError, PermanentDeliveryError, RateLimitedError } from '../delivery-errors.ts';

/** Discord error codes after which retrying the same request cannot succeed. */
const PERMANENT_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.InvalidFormBodyOrContentType,
  RESTJSONErrorCodes.CannotSendAnEmptyMessage,
  RESTJSONErrorCodes.ThreadLocked,
]);

/** The Discord error code of `error`, if it is an API error. */
export function discordCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

/**
 * Maps what discord.js threw to the outbox's retry decision: rate limits wait (the channel pauses,
 * the attempt does not count), the permanent codes dead-letter, everything else is transient.
 */
export function toDeliveryError(error: unknown): unknown {
  if (error instanceof RateLimitError) {
    // `retryAfter` on a 429, `timeToReset` when discord.js refused before sending (bucket empty).
    const waitMs = Math.max(error.retryAfter, error.timeToReset, 0);
    return new RateLimitedError(
      Math.ceil(waitMs) || 1000,
      `discord rate limit on ${error.method.toUpperCase()} ${error.route}: ${Math.ceil(waitMs)} ms`,
    );
  }
  if (error instanceof DiscordAPIError) {
    // The bot cannot see or write in the channel: a role or permission a person can grant.
    if (error.code === RESTJSONErrorCodes.MissingAccess || error.code === RESTJSONErrorCodes.MissingPermissions) {
      return new ChannelUnavailableError(`discord ${error.status} ${error.code}: ${error.message}`);
    }
    if (typeof error.code === 'number' && PERMANENT_CODES.has(error.code)) {
      return new PermanentDeliveryError(`discord ${error.status} ${error.code}: ${error.message}`);
    }
  }
  return error;
}
