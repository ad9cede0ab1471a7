/** The platform said "slow down": wait `retryAfterMs`, then try again; this attempt does not count. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterMs: number,
    message = `rate limited for ${retryAfterMs} ms`,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** Retrying cannot help (channel gone, bot removed, payload rejected): dead-letter at once. */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * koe may not post in the channel (not invited, lost access): a person must fix it, and then every
 * delivery to it should go. So the channel waits, retried every `retryAfterMs`, and nothing is
 * dead-lettered meanwhile (a dead post would hold up its inquiry's updates for good). A reply to a
 * customer is the exception: it fails at once, visibly, so a person answers another way.
 */
export class ChannelUnavailableError extends PermanentDeliveryError {
  constructor(
    message: string,
    readonly retryAfterMs = 5 * 60_000,
  ) {
    super(message);
    this.name = 'ChannelUnavailableError';
  }
}
