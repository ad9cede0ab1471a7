/**
 * When one channel of one platform may take its next delivery, like discord.js's per-bucket handler:
 * one attempt at a time, then the platform's pace after each delivery, or after a 429 the Retry-After
 * the platform asked for. The outbox worker keeps one per platform and channel.
 *
 * Times are passed in (epoch ms), never read here: the worker reads its clock once per look at the
 * queue and judges every channel by that one reading.
 */
export class ChannelPacer {
  #busy = false;
  #until = 0;

  /** Whether an attempt is in progress: a channel makes one at a time. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Epoch ms before which the channel must not send (0 until a delivery or a 429 set a wait). */
  get pausedUntil(): number {
    return this.#until;
  }

  /** How long from `now` until the channel may send; 0 when it may send now. */
  waitMs(now: number): number {
    return Math.max(0, this.#until - now);
  }

  /** Whether an attempt may start at `now`: none in progress and no wait left. */
  isFree(now: number): boolean {
    return !this.#busy && this.waitMs(now) === 0;
  }

  /** An attempt starts (the worker leased the channel's next rows). */
  begin(): void {
    this.#busy = true;
  }

  /** The attempt ended, delivered or not; only the wait it set still holds the channel. */
  end(): void {
    this.#busy = false;
  }

  /**
   * A delivery went out at `now`: the next may go `paceMs` later. The latest outcome sets the wait:
   * the worker attempts only a free channel, so any earlier wait has run out by then.
   */
  paced(now: number, paceMs: number): void {
    if (paceMs > 0) this.#until = now + paceMs;
  }

  /** The platform answered 429 at `now`: nothing goes before Retry-After has passed. Returns that instant. */
  rateLimited(now: number, retryAfterMs: number): number {
    this.#until = now + retryAfterMs;
    return this.#until;
  }
}
