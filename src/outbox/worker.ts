import { DELIVERY_KINDS, type Platform } from '../core/surfaces.ts';
import type { Logger } from '../lib/logger.ts';
import { PermanentDeliveryError, RateLimitedError } from '../platforms/delivery-errors.ts';
import type { PostedMessage, Sender } from '../platforms/types.ts';
import type { Db } from '../storage/db.ts';
import { createViewLoader } from '../storage/inquiry-views.ts';
import { createOutboxStore, type Delivered, type DeliveryRow } from '../storage/outbox-store.ts';
import { backoffMs } from './backoff.ts';
import { ChannelPacer } from './channel-pacer.ts';

export interface OutboxWorkerOptions {
  db: Db;
  senders: Partial<Record<Platform, Sender>>;
  log: Logger;
  now?: () => number;
  /** Transient failures before a row is dead-lettered. */
  maxAttempts?: number;
  /** How long an attempt may run before another worker treats it as interrupted. */
  leaseMs?: number;
  /** Idle poll interval; enqueues also wake the worker at once. */
  pollMs?: number;
  /** How often the list of channels with work is rebuilt from the table (rows retried from the CLI, other processes). */
  resyncMs?: number;
  backoff?: { baseMs?: number; capMs?: number };
  random?: () => number;
}

export interface OutboxWorker {
  start(): void;
  /** Look for due rows now (called after a commit that enqueued some). */
  wake(): void;
  /** Stops taking rows and waits for attempts in progress. */
  stop(): Promise<void>;
  /** Resolves when nothing is pending or in flight (dead rows aside), or rejects after `timeoutMs`. */
  drain(timeoutMs?: number): Promise<void>;
}

/**
 * Delivers the outbox: one attempt at a time per channel, each channel paced by its platform,
 * channels in parallel so a slow one holds up no other. Crash-safe: the lease is committed before the
 * API call, and an attempt that may have landed is looked up (by its delivery id) before re-posting.
 */
export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { db, senders, log } = options;
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? 10;
  const leaseMs = options.leaseMs ?? 60_000;
  const pollMs = options.pollMs ?? 250;
  const resyncMs = options.resyncMs ?? 2_000;
  const random = options.random ?? Math.random;
  const store = createOutboxStore(db);
  const loadView = createViewLoader(db);

  // Channels that may have pending rows, so a tick asks each channel for its head instead of
  // scanning the whole queue: a backlog in one channel then costs the others nothing.
  const channels = new Map<string, { platform: string; channel: string }>();
  let lastSeenId = 0;
  let lastResyncAt = -Infinity;
  let lastInterruptedAt = -Infinity;
  const pacers = new Map<string, ChannelPacer>(); // pacing key → when that channel may send next
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;
  let again = false;
  let wakePending = false;

  const keyOf = (row: { platform: string; channel: string }) => `${row.platform}:${row.channel}`;
  const pacerOf = (key: string): ChannelPacer => {
    let pacer = pacers.get(key);
    if (!pacer) {
      pacer = new ChannelPacer();
      pacers.set(key, pacer);
    }
    return pacer;
  };

  function schedule(delayMs: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = null;
    wakePending = false;
    if (!running) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      const t = now();
      let nextWake = pollMs;
      refreshChannels(t);
      // One row per free channel, or for an unpaced sender (the console) its whole ready head at
      // once: taking those one per tick capped delivery at a row per timer turn (~1 ms) and paid a
      // lease and a commit for each.
      const chosen = new Map<string, DeliveryRow[]>();
      const consider = (rows: DeliveryRow[]) => {
        const key = keyOf(rows[0]!);
        const pacer = pacerOf(key);
        if (pacer.busy || chosen.has(key)) return;
        const until = Math.max(pacer.pausedUntil, rows[0]!.status === 'pending' ? rows[0]!.next_attempt_at : 0);
        if (until > t) {
          nextWake = Math.min(nextWake, until - t);
          return;
        }
        chosen.set(key, rows);
      };
      // A lease only runs out long after it was taken, so looking once per poll interval is enough;
      // every enqueue wakes the worker, and the look-up on each wake cost intake bursts.
      if (t - lastInterruptedAt >= pollMs) {
        lastInterruptedAt = t;
        for (const row of store.interrupted(t)) consider([row]);
      }
      for (const [key, { platform, channel }] of channels) {
        const pacer = pacerOf(key);
        if (pacer.busy || chosen.has(key)) continue;
        // A paused channel's head cannot go yet: skip the query (every enqueue wakes the worker).
        const paused = pacer.waitMs(t);
        if (paused > 0) {
          nextWake = Math.min(nextWake, paused);
          continue;
        }
        // A paced channel sends one row per turn: a few are read to find one not in backoff.
        const head = store.channelHead(platform, channel, unpaced(platform) ? 100 : 20);
        if (head.length === 0) {
          channels.delete(key);
          continue;
        }
        // Rows not in backoff go, in id order; a row in backoff holds up only its own inquiry.
        const ready = head.filter((r) => r.next_attempt_at <= t);
        if (ready.length === 0) nextWake = Math.min(nextWake, Math.min(...head.map((r) => r.next_attempt_at)) - t);
        else consider(unpaced(ready[0]!.platform) ? ready : ready.slice(0, 1));
      }
      const ids = [...chosen.values()].flatMap((rows) => rows.map((r) => r.id));
      const leased = ids.length > 0 ? store.lease(ids, t, t + leaseMs) : new Set<number>();
      for (const [key, rows] of chosen) {
        const mine = rows.filter((r) => leased.has(r.id)); // another worker may have taken some
        if (mine.length === 0) continue;
        const pacer = pacerOf(key);
        pacer.begin();
        const attempt = deliverInOrder(key, mine).finally(() => {
          pacer.end();
          inFlight.delete(attempt);
          schedule(0);
        });
        inFlight.add(attempt);
      }
      schedule(Math.max(1, nextWake));
    } catch (error) {
      log.error({ err: error }, 'outbox: could not read due deliveries');
      schedule(pollMs);
    } finally {
      ticking = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  }

  function refreshChannels(t: number): void {
    const add = (r: { platform: string; channel: string }) =>
      channels.set(keyOf(r), { platform: r.platform, channel: r.channel });
    if (t - lastResyncAt >= resyncMs) {
      lastResyncAt = t;
      lastSeenId = store.maxId();
      for (const r of store.channelsWithWork()) add(r);
      return;
    }
    for (const r of store.newRows(lastSeenId)) {
      add(r);
      lastSeenId = Math.max(lastSeenId, r.id);
    }
  }

  /** A sender that asks for no gap between calls: its rows can be taken a batch at a time. */
  function unpaced(platform: string): boolean {
    const sender = senders[platform as Platform];
    return sender !== undefined && DELIVERY_KINDS.every((kind) => sender.paceMs(kind) === 0);
  }

  /**
   * Delivers one channel's leased rows one after another, recording the delivered ones in one
   * transaction. A 429 or a stop hands the rows not yet attempted back untouched.
   */
  async function deliverInOrder(key: string, rows: DeliveryRow[]): Promise<void> {
    const delivered: Delivered[] = [];
    const record = () => {
      if (delivered.length > 0) store.completeAll(delivered.splice(0), now());
    };
    try {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        if (i > 0 && (!running || pacerOf(key).waitMs(now()) > 0)) {
          giveBack(rows.slice(i));
          break;
        }
        const outcome = await deliver(row);
        if (outcome) delivered.push(outcome);
        else record(); // a failure was recorded on its own; keep the delivered ones with it
      }
    } finally {
      record();
    }
  }

  /** Returns leased rows that were never attempted to the queue as they were before the lease. */
  function giveBack(rows: DeliveryRow[]): void {
    for (const row of rows) {
      store.reschedule(
        row.id,
        { status: 'pending', attempts: row.attempts, nextAttemptAt: row.next_attempt_at, lastError: row.last_error },
        now(),
      );
    }
  }

  /** One leased row: what to record when it was delivered, or null after recording its failure. */
  async function deliver(row: DeliveryRow): Promise<Delivered | null> {
    const sender = senders[row.platform as Platform];
    const key = keyOf(row);
    const attempt = row.attempts + 1;
    // An earlier attempt may have reached the platform before we lost track of it: one was counted,
    // or one failed (`last_error`) and `koe deliveries retry` then reset the count. Without the second
    // test a retried dead post whose last attempt had landed (answer lost) was posted again.
    const uncertain = row.attempts > 0 || row.last_error !== null;
    try {
      if (!sender) throw new PermanentDeliveryError(`no sender configured for platform "${row.platform}"`);
      const { posted, renderedAt } = await attemptDelivery(sender, row, uncertain);
      const pace = sender.paceMs(row.kind);
      if (pace > 0) pacerOf(key).paced(now(), pace);
      channels.set(key, { platform: row.platform, channel: row.channel });
      return { row, posted, renderedAt };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RateLimitedError) {
        // Not the row's fault: the attempt is not counted, and the whole channel waits. A 429 says
        // nothing landed, so the row's last error stays what it was (a 429 alone must not make the
        // next attempt look for an earlier post).
        const until = pacerOf(key).rateLimited(now(), error.retryAfterMs);
        store.reschedule(
          row.id,
          { status: 'pending', attempts: row.attempts, nextAttemptAt: until, lastError: row.last_error },
          now(),
        );
        log.warn({ deliveryId: row.id, channel: key, retryAfterMs: error.retryAfterMs }, 'outbox: rate limited');
      } else if (error instanceof PermanentDeliveryError || attempt >= maxAttempts) {
        store.reschedule(
          row.id,
          { status: 'dead', attempts: attempt, nextAttemptAt: now(), lastError: message },
          now(),
        );
        log.error(
          { deliveryId: row.id, kind: row.kind, channel: key, attempt, err: message },
          'outbox: delivery dead-lettered',
        );
      } else {
        const delay = backoffMs(attempt, options.backoff, random);
        store.reschedule(
          row.id,
          { status: 'pending', attempts: attempt, nextAttemptAt: now() + delay, lastError: message },
          now(),
        );
        log.warn(
          { deliveryId: row.id, kind: row.kind, channel: key, attempt, retryInMs: delay, err: message },
          'outbox: delivery failed, will retry',
        );
      }
      return null;
    }
  }

  /**
   * One attempt. Returns the posted message for kinds that post one, and when the inquiry was read
   * for rendering: a mirror shows every change committed before that instant, so a queued update
   * older than it has nothing new to show (0 when nothing was rendered).
   */
  async function attemptDelivery(
    sender: Sender,
    row: DeliveryRow,
    uncertain: boolean,
  ): Promise<{ posted: PostedMessage | null; renderedAt: number }> {
    const mirror = store.mirror(row.inquiry_id, row.destination);
    const lookUp = () =>
      sender.findDelivered({
        deliveryId: row.id,
        kind: row.kind,
        channel: row.channel,
        mirror,
        sinceMs: row.created_at - 60_000,
      });

    if (row.kind === 'digest') {
      if (uncertain) {
        const found = await lookUp();
        if (found) return { posted: found, renderedAt: 0 };
      }
      const digest = row.payload === null ? null : JSON.parse(row.payload);
      return { posted: await sender.postDigest({ deliveryId: row.id, channel: row.channel, digest }), renderedAt: 0 };
    }

    if (row.inquiry_id === null) throw new PermanentDeliveryError(`${row.kind} delivery without an inquiry`);
    const renderedAt = now();
    const view = loadView(row.inquiry_id);
    if (!view) throw new PermanentDeliveryError(`inquiry ${row.inquiry_id} does not exist`);

    if (row.kind === 'post') {
      if (mirror) return { posted: null, renderedAt: 0 };
      if (uncertain) {
        const found = await lookUp();
        // What the lost attempt rendered is unknown: leave the mirror due for every later update.
        if (found) return { posted: found, renderedAt: 0 };
      }
      return { posted: await sender.postInquiry({ deliveryId: row.id, channel: row.channel, view }), renderedAt };
    }

    // Updates and thread messages need the mirror; ordering guarantees its post is done.
    if (!mirror) throw new PermanentDeliveryError(`no mirror of inquiry ${row.inquiry_id} in ${row.destination}`);
    if (row.kind === 'update') {
      // The post (or a later update) already rendered a state at least this new.
      if (store.mirrorUpdatedAt(mirror.id) > row.created_at) return { posted: null, renderedAt: 0 };
      await sender.updateInquiry({ deliveryId: row.id, channel: row.channel, mirror, view });
      return { posted: null, renderedAt };
    }

    const message = store.message(row.message_id);
    if (!message) throw new PermanentDeliveryError(`message ${row.message_id} does not exist`);
    if (uncertain) {
      const found = await lookUp();
      if (found) return { posted: found, renderedAt: 0 };
    }
    const posted = await sender.postToThread({ deliveryId: row.id, channel: row.channel, mirror, view, message });
    // A sender that opened the thread on first use (Discord) reports it; later replies go there.
    if (posted.threadRef && !mirror.threadRef) store.setThread(mirror.id, posted.threadRef);
    return { posted, renderedAt: 0 };
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake() {
      // Intake wakes the worker once per inquiry; one pending immediate tick serves them all.
      if (!wakePending) {
        wakePending = true;
        schedule(0);
      }
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([...inFlight]);
    },
    async drain(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (store.unfinishedCount() > 0) {
        if (Date.now() > deadline) throw new Error(`outbox not drained within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
