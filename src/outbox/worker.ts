import { DELIVERY_KINDS, type Platform } from '../core/surfaces.ts';
import type { Logger } from '../lib/logger.ts';
import { ChannelUnavailableError, PermanentDeliveryError, RateLimitedError } from '../platforms/delivery-errors.ts';
import type { ReplySender, Sender } from '../platforms/types.ts';
import type { Db } from '../storage/db.ts';
import { createViewLoader } from '../storage/view-loader.ts';
import { createOutboxStore, type Delivered, type DeliveryRow, type OutboxStore } from '../storage/outbox-store.ts';
import { backoffMs } from './backoff.ts';
import { ChannelPacer } from './channel-pacer.ts';
import { attemptDelivery } from './attempts.ts';
import type { ReplyHooks } from './reply-attempts.ts';

export interface OutboxWorkerOptions {
  db: Db;
  senders: Partial<Record<Platform, Sender>>;
  /** Customer channels' senders for `reply` rows, by the row's platform (`slack`, `discord`, `webhook`). */
  replySenders?: Partial<Record<string, ReplySender>>;
  /** Told when a reply was sent or failed for good (the core's markReplySent / markReplyFailed). */
  replyHooks?: ReplyHooks;
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
  const w = workerState(options);
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;
  let again = false;
  let wakePending = false;

  function schedule(delayMs: number): void {
    if (!w.running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = null;
    wakePending = false;
    if (!w.running) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      const t = w.now();
      refreshChannels(w, t);
      const { chosen, nextWake } = chooseRows(w, t);
      startAttempts(w, chosen, t, () => schedule(0));
      schedule(Math.max(1, nextWake));
    } catch (error) {
      w.log.error({ err: error }, 'outbox: could not read due deliveries');
      schedule(w.pollMs);
    } finally {
      ticking = false;
      if (again) {
        again = false;
        schedule(0);
      }
    }
  }

  return {
    start() {
      if (w.running) return;
      w.running = true;
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
      w.running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([...w.inFlight]);
    },
    drain: (timeoutMs = 10_000) => drain(w.store, timeoutMs),
  };
}

/** What the worker's parts share: its settings, its queries, and what it knows between looks at the queue. */
interface WorkerState {
  senders: Partial<Record<Platform, Sender>>;
  replySenders: Partial<Record<string, ReplySender>>;
  replyHooks?: ReplyHooks;
  log: Logger;
  now: () => number;
  maxAttempts: number;
  leaseMs: number;
  pollMs: number;
  resyncMs: number;
  backoff: OutboxWorkerOptions['backoff'];
  random: () => number;
  store: OutboxStore;
  loadView: ReturnType<typeof createViewLoader>;
  /**
   * Channels that may have pending rows, so a tick asks each channel for its head instead of
   * scanning the whole queue: a backlog in one channel then costs the others nothing.
   */
  channels: Map<string, { platform: string; channel: string }>;
  lastSeenId: number;
  lastResyncAt: number;
  lastInterruptedAt: number;
  /** Pacing key → when that channel may send next. */
  pacers: Map<string, ChannelPacer>;
  inFlight: Set<Promise<void>>;
  running: boolean;
}

function workerState(options: OutboxWorkerOptions): WorkerState {
  return {
    senders: options.senders,
    replySenders: options.replySenders ?? {},
    replyHooks: options.replyHooks,
    log: options.log,
    now: options.now ?? Date.now,
    maxAttempts: options.maxAttempts ?? 10,
    leaseMs: options.leaseMs ?? 60_000,
    pollMs: options.pollMs ?? 250,
    resyncMs: options.resyncMs ?? 2_000,
    backoff: options.backoff,
    random: options.random ?? Math.random,
    store: createOutboxStore(options.db),
    loadView: createViewLoader(options.db),
    channels: new Map(),
    lastSeenId: 0,
    lastResyncAt: -Infinity,
    lastInterruptedAt: -Infinity,
    pacers: new Map(),
    inFlight: new Set(),
    running: false,
  };
}

const keyOf = (row: { platform: string; channel: string }) => `${row.platform}:${row.channel}`;

function pacerOf(w: WorkerState, key: string): ChannelPacer {
  let pacer = w.pacers.get(key);
  if (!pacer) {
    pacer = new ChannelPacer();
    w.pacers.set(key, pacer);
  }
  return pacer;
}

function refreshChannels(w: WorkerState, t: number): void {
  const add = (r: { platform: string; channel: string }) =>
    w.channels.set(keyOf(r), { platform: r.platform, channel: r.channel });
  if (t - w.lastResyncAt >= w.resyncMs) {
    w.lastResyncAt = t;
    w.lastSeenId = w.store.maxId();
    for (const r of w.store.channelsWithWork()) add(r);
    return;
  }
  for (const r of w.store.newRows(w.lastSeenId)) {
    add(r);
    w.lastSeenId = Math.max(w.lastSeenId, r.id);
  }
}

/** What one look at the queue chose: the rows to lease per pacing key, and how soon to look again. */
interface Choice {
  chosen: Map<string, DeliveryRow[]>;
  nextWake: number;
}

/**
 * One row per free channel, or for an unpaced sender (the console) its whole ready head at once:
 * taking those one per tick capped delivery at a row per timer turn (~1 ms) and paid a lease and a
 * commit for each.
 */
function chooseRows(w: WorkerState, t: number): Choice {
  const choice: Choice = { chosen: new Map(), nextWake: w.pollMs };
  // A lease only runs out long after it was taken, so looking once per poll interval is enough;
  // every enqueue wakes the worker, and the look-up on each wake cost intake bursts.
  if (t - w.lastInterruptedAt >= w.pollMs) {
    w.lastInterruptedAt = t;
    for (const row of w.store.interrupted(t)) consider(w, choice, t, [row]);
  }
  for (const [key, { platform, channel }] of w.channels) {
    const pacer = pacerOf(w, key);
    if (pacer.busy || choice.chosen.has(key)) continue;
    // A paused channel's head cannot go yet: skip the query (every enqueue wakes the worker).
    const paused = pacer.waitMs(t);
    if (paused > 0) {
      choice.nextWake = Math.min(choice.nextWake, paused);
      continue;
    }
    // A paced channel sends one row per turn: a few are read to find one not in backoff.
    const head = w.store.channelHead(platform, channel, unpaced(w, platform) ? 100 : 20);
    if (head.length === 0) {
      w.channels.delete(key);
      continue;
    }
    // Rows not in backoff go, in id order; a row in backoff holds up only its own inquiry.
    const ready = head.filter((r) => r.next_attempt_at <= t);
    if (ready.length === 0)
      choice.nextWake = Math.min(choice.nextWake, Math.min(...head.map((r) => r.next_attempt_at)) - t);
    else consider(w, choice, t, unpaced(w, ready[0]!.platform) ? ready : ready.slice(0, 1));
  }
  return choice;
}

/** Chooses `rows` (one channel's) unless the channel is busy, already chosen, or must wait. */
function consider(w: WorkerState, choice: Choice, t: number, rows: DeliveryRow[]): void {
  const key = keyOf(rows[0]!);
  const pacer = pacerOf(w, key);
  if (pacer.busy || choice.chosen.has(key)) return;
  const until = Math.max(pacer.pausedUntil, rows[0]!.status === 'pending' ? rows[0]!.next_attempt_at : 0);
  if (until > t) {
    choice.nextWake = Math.min(choice.nextWake, until - t);
    return;
  }
  choice.chosen.set(key, rows);
}

/** Leases the chosen rows in one transaction and starts one attempt per channel on those it got. */
function startAttempts(w: WorkerState, chosen: Map<string, DeliveryRow[]>, t: number, onSettled: () => void): void {
  const ids = [...chosen.values()].flatMap((rows) => rows.map((r) => r.id));
  const leased = ids.length > 0 ? w.store.lease(ids, t, t + w.leaseMs) : new Set<number>();
  for (const [key, rows] of chosen) {
    const mine = rows.filter((r) => leased.has(r.id)); // another worker may have taken some
    if (mine.length === 0) continue;
    const pacer = pacerOf(w, key);
    pacer.begin();
    const attempt = deliverInOrder(w, key, mine).finally(() => {
      pacer.end();
      w.inFlight.delete(attempt);
      onSettled();
    });
    w.inFlight.add(attempt);
  }
}

/** A sender that asks for no gap between calls: its rows can be taken a batch at a time. */
function unpaced(w: WorkerState, platform: string): boolean {
  const sender = w.senders[platform as Platform];
  const replies = w.replySenders[platform];
  return (
    sender !== undefined &&
    DELIVERY_KINDS.every((kind) => sender.paceMs(kind) === 0) &&
    (replies === undefined || replies.paceMs() === 0)
  );
}

/** The gap a row's channel needs after it, from whichever sender delivers it. */
function paceOf(w: WorkerState, row: DeliveryRow): number {
  if (row.kind === 'reply' || row.kind === 'acknowledge') return w.replySenders[row.platform]?.paceMs() ?? 0;
  return w.senders[row.platform as Platform]?.paceMs(row.kind) ?? 0;
}

/**
 * Delivers one channel's leased rows one after another, recording the delivered ones in one
 * transaction. A 429 or a stop hands the rows not yet attempted back untouched.
 */
async function deliverInOrder(w: WorkerState, key: string, rows: DeliveryRow[]): Promise<void> {
  const delivered: Delivered[] = [];
  const record = () => {
    if (delivered.length > 0) w.store.completeAll(delivered.splice(0), w.now());
  };
  try {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (i > 0 && (!w.running || pacerOf(w, key).waitMs(w.now()) > 0)) {
        giveBack(w, rows.slice(i));
        break;
      }
      const outcome = await deliver(w, row);
      if (outcome) delivered.push(outcome);
      else record(); // a failure was recorded on its own; keep the delivered ones with it
    }
  } finally {
    record();
  }
}

/** Returns leased rows that were never attempted to the queue as they were before the lease. */
function giveBack(w: WorkerState, rows: DeliveryRow[]): void {
  for (const row of rows) {
    w.store.reschedule(
      row.id,
      { status: 'pending', attempts: row.attempts, nextAttemptAt: row.next_attempt_at, lastError: row.last_error },
      w.now(),
    );
  }
}

/** One leased row: what to record when it was delivered, or null after recording its failure. */
async function deliver(w: WorkerState, row: DeliveryRow): Promise<Delivered | null> {
  const key = keyOf(row);
  // An earlier attempt may have reached the platform before we lost track of it: one was counted,
  // or one failed (`last_error`) and `koe deliveries retry` then reset the count. Without the second
  // test a retried dead post whose last attempt had landed (answer lost) was posted again.
  const uncertain = row.attempts > 0 || row.last_error !== null;
  try {
    const { posted, renderedAt } = await attemptDelivery(w, row, uncertain);
    const pace = paceOf(w, row);
    if (pace > 0) pacerOf(w, key).paced(w.now(), pace);
    w.channels.set(key, { platform: row.platform, channel: row.channel });
    return { row, posted, renderedAt };
  } catch (error) {
    recordFailure(w, row, error);
    return null;
  }
}

/** Records a failed attempt: a 429 pauses the channel, a permanent error or the last attempt dead-letters, the rest back off. */
function recordFailure(w: WorkerState, row: DeliveryRow, error: unknown): void {
  const key = keyOf(row);
  const attempt = row.attempts + 1;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RateLimitedError) {
    // Not the row's fault: the attempt is not counted, and the whole channel waits. A 429 says
    // nothing landed, so the row's last error stays what it was (a 429 alone must not make the
    // next attempt look for an earlier post).
    const until = pacerOf(w, key).rateLimited(w.now(), error.retryAfterMs);
    w.store.reschedule(
      row.id,
      { status: 'pending', attempts: row.attempts, nextAttemptAt: until, lastError: row.last_error },
      w.now(),
    );
    w.log.warn({ deliveryId: row.id, channel: key, retryAfterMs: error.retryAfterMs }, 'outbox: rate limited');
  } else if (error instanceof ChannelUnavailableError && row.kind !== 'reply' && row.kind !== 'acknowledge') {
    // A person must invite koe: the channel waits (not counted, not dead), and is tried again later.
    const until = pacerOf(w, key).rateLimited(w.now(), error.retryAfterMs);
    w.store.reschedule(
      row.id,
      { status: 'pending', attempts: row.attempts, nextAttemptAt: until, lastError: row.last_error },
      w.now(),
    );
    w.log.warn(
      { deliveryId: row.id, channel: key, retryInMs: error.retryAfterMs, err: message },
      `outbox: koe cannot post in ${key}; invite it there (Slack: /invite @koe in the channel; Discord: allow the bot's role View Channel and Send Messages in it), and npx koe doctor checks it; its deliveries wait meanwhile`,
    );
  } else if (error instanceof PermanentDeliveryError || attempt >= w.maxAttempts) {
    // The core hears first: a crash before the row is dead retries it, and failing twice is harmless.
    if (row.kind === 'reply' && row.message_id !== null) tellFailed(w, row.message_id, message);
    w.store.reschedule(
      row.id,
      { status: 'dead', attempts: attempt, nextAttemptAt: w.now(), lastError: message },
      w.now(),
    );
    w.log.error(
      { deliveryId: row.id, kind: row.kind, channel: key, attempt, err: message },
      'outbox: delivery dead-lettered',
    );
  } else {
    const delay = backoffMs(attempt, w.backoff, w.random);
    w.store.reschedule(
      row.id,
      { status: 'pending', attempts: attempt, nextAttemptAt: w.now() + delay, lastError: message },
      w.now(),
    );
    w.log.warn(
      { deliveryId: row.id, kind: row.kind, channel: key, attempt, retryInMs: delay, err: message },
      'outbox: delivery failed, will retry',
    );
  }
}

function tellFailed(w: WorkerState, messageId: number, error: string): void {
  try {
    w.replyHooks?.failed(messageId, error);
  } catch (hookError) {
    w.log.error({ err: hookError, messageId }, 'outbox: could not record a failed reply');
  }
}

/** Polls until nothing is pending or in flight (dead rows aside); real time, whatever the worker's clock. */
async function drain(store: OutboxStore, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (store.unfinishedCount() > 0) {
    if (Date.now() > deadline) throw new Error(`outbox not drained within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
