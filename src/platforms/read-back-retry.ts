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

/**
 * Reads back what the source channels got while koe was away; channels it could not read are tried
 * again later (the returned retries, stopped with the runtime). A failure is logged, never thrown:
 * koe runs without the read-back.
 */
export async function readBackAtStart(options: {
  readSources: () => Promise<{ read: number; unread: UnreadChannel[] }>;
  readChannel: (channel: UnreadChannel) => Promise<{ ok: boolean }>;
  log: Logger;
  platform: string;
  delaysMs?: number[];
}): Promise<{ stop(): void } | undefined> {
  const { log, platform } = options;
  try {
    const { read, unread } = await options.readSources();
    if (read > 0)
      log.info({ messages: read }, `${platform}: read the messages posted in source channels while koe was away`);
    return retryReadBack({
      unread,
      read: async (c) => (await options.readChannel(c)).ok,
      log,
      platform,
      ...(options.delaysMs && { delaysMs: options.delaysMs }),
    });
  } catch (error) {
    log.warn({ err: error }, `${platform}: could not read back the messages posted while koe was away`);
    return undefined;
  }
}
