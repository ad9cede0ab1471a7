import type { Logger } from '../lib/logger.ts';

/** A source channel whose read-back after a stop failed, and the cursor it must be read from. */
export interface UnreadChannel {
  channel: string;
  after: string;
}

/**
 * Tries again, later, to read back source channels that could not be read at start (a rate-limited
 * history call, a channel briefly out of reach). The cursor is the one captured at start: live
 * messages move the stored cursor on meanwhile, and reading from there would skip what was posted
 * while koe was away. Reading a message twice is harmless (each is taken in once).
 */
export function retryReadBack(options: {
  unread: UnreadChannel[];
  read: (channel: UnreadChannel) => Promise<boolean>;
  log: Logger;
  platform: string;
  delaysMs?: number[];
}): { stop(): void } {
  const delays = options.delaysMs ?? [60_000, 5 * 60_000, 15 * 60_000];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = (pending: UnreadChannel[], round: number) => {
    if (stopped || pending.length === 0) return;
    if (round >= delays.length) {
      for (const { channel } of pending) {
        options.log.error(
          { channel },
          `${options.platform}: gave up reading back what was posted in a source channel while koe was away`,
        );
      }
      return;
    }
    timer = setTimeout(async () => {
      const still: UnreadChannel[] = [];
      for (const channel of pending) if (!stopped && !(await options.read(channel))) still.push(channel);
      attempt(still, round + 1);
    }, delays[round]);
    timer.unref();
  };
  attempt(options.unread, 0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
