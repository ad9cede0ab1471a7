import type { Message, Mirror } from '../core/inquiries/types.ts';
import type { PostedMessage, StoreTx } from '../core/store.ts';
import type { DeliveryKind } from '../core/surfaces.ts';
import type { Db } from './db.ts';

/** An outbox row as the worker reads it. */
export interface DeliveryRow {
  id: number;
  kind: DeliveryKind;
  inquiry_id: number | null;
  message_id: number | null;
  destination: string;
  platform: string;
  channel: string;
  payload: string | null;
  status: 'pending' | 'in_flight' | 'done' | 'dead' | 'cancelled';
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  /** Why the last attempt failed; kept when `koe deliveries retry` resets `attempts` (see the worker). */
  last_error: string | null;
}

/** A row the worker delivered, to be recorded: for a post, the message it became. */
export interface Delivered {
  row: DeliveryRow;
  posted: PostedMessage | null;
  /** When the inquiry was read for rendering (0 when nothing was rendered). */
  renderedAt: number;
}

const ROW_COLUMNS =
  'id, kind, inquiry_id, message_id, destination, platform, channel, payload, status, attempts, next_attempt_at, created_at, last_error';

// The head of one channel's queue: pending rows in id order that are not behind an earlier
// unfinished row of the same inquiry and destination (so an update never overtakes its post, and
// thread replies keep their order). Rows of other inquiries are not held up by one in backoff.
// An undone reply (cancelled) holds up nothing, nor does a failed one: it waits for a person's
// Retry, and the replies written after it must not wait with it.
const CHANNEL_HEAD_SQL = `
  SELECT ${ROW_COLUMNS} FROM deliveries d
  WHERE d.status = 'pending' AND d.platform = @platform AND d.channel = @channel
    AND NOT EXISTS (
      SELECT 1 FROM deliveries e
      WHERE e.inquiry_id = d.inquiry_id AND e.destination = d.destination AND e.id < d.id
        AND e.status NOT IN ('done', 'cancelled') AND NOT (e.kind = 'reply' AND e.status = 'dead')
    )
  ORDER BY d.id
  LIMIT @limit`;

const MIRROR_COLUMNS =
  'id, inquiry_id AS inquiryId, destination, platform, channel, message_ref AS messageRef, thread_ref AS threadRef';

/** The outbox's SQL, prepared once: the worker runs it for every delivery. */
export function createOutboxStore(db: Db) {
  const sqlite = db.$client;
  return { ...queueReads(sqlite), ...attemptWrites(sqlite), ...completion(sqlite), ...mirrorsAndMessages(sqlite) };
}

type Sqlite = Db['$client'];

/** What the worker reads of the queue: which channels have work, and what each may send next. */
function queueReads(sqlite: Sqlite) {
  const channelHead = sqlite.prepare<{ platform: string; channel: string; limit: number }, DeliveryRow>(
    CHANNEL_HEAD_SQL,
  );
  // Both below stay cheap with a long backlog in a paced channel (a burst waiting for Slack's one
  // post a second): the first seeks from channel to channel in the queue index instead of reading
  // every pending row; the second reads a primary-key range (`+status` keeps SQLite from choosing the
  // status index, which meant scanning the whole pending backlog on every tick).
  const nextChannelWithWork = sqlite.prepare<
    { platform: string; channel: string },
    { platform: string; channel: string }
  >(
    `SELECT platform, channel FROM deliveries
     WHERE status = 'pending' AND (platform, channel) > (@platform, @channel)
     ORDER BY status, platform, channel LIMIT 1`,
  );
  const newRows = sqlite.prepare<{ after: number }, { id: number; platform: string; channel: string }>(
    `SELECT max(id) AS id, platform, channel FROM deliveries WHERE id > @after AND +status = 'pending' GROUP BY platform, channel`,
  );
  const maxId = sqlite.prepare<[], { id: number | null }>(`SELECT max(id) AS id FROM deliveries`);
  const interrupted = sqlite.prepare<{ now: number }, DeliveryRow>(
    `SELECT ${ROW_COLUMNS} FROM deliveries WHERE status = 'in_flight' AND locked_until < @now ORDER BY id LIMIT 200`,
  );
  const unfinished = sqlite.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'in_flight')`,
  );
  return {
    /** The first few rows of a channel's queue that may go next (some may still be in backoff). */
    channelHead: (platform: string, channel: string, limit = 20) => channelHead.all({ platform, channel, limit }),
    /** Every channel with pending rows (one index seek per channel). */
    channelsWithWork: () => {
      const found: Array<{ platform: string; channel: string }> = [];
      let after = { platform: '', channel: '' };
      for (let next = nextChannelWithWork.get(after); next; next = nextChannelWithWork.get(after)) {
        found.push(next);
        after = next;
      }
      return found;
    },
    /** The channels of pending rows added after `after`, each with its newest id (a primary-key range). */
    newRows: (after: number) => newRows.all({ after }),
    maxId: () => maxId.get()?.id ?? 0,
    /** Rows whose attempt was interrupted (a crashed worker): in flight past their lease. */
    interrupted: (now: number) => interrupted.all({ now }),
    unfinishedCount: () => unfinished.get()?.n ?? 0,
  };
}

/** Taking rows for an attempt, and handing back or failing the ones not delivered. */
function attemptWrites(sqlite: Sqlite) {
  const lease = sqlite.prepare(
    `UPDATE deliveries SET status = 'in_flight', attempts = attempts + 1, locked_until = @lockedUntil, updated_at = @now
     WHERE id = @id AND (status = 'pending' OR (status = 'in_flight' AND locked_until < @now))`,
  );
  const reschedule = sqlite.prepare(
    `UPDATE deliveries SET status = @status, attempts = @attempts, next_attempt_at = @nextAttemptAt, last_error = @lastError,
       locked_until = NULL, updated_at = @now WHERE id = @id`,
  );
  const leaseAll = sqlite.transaction(
    (ids: number[], now: number, lockedUntil: number) =>
      new Set(ids.filter((id) => lease.run({ id, now, lockedUntil }).changes > 0)),
  );
  return {
    /**
     * Leases the given rows in one transaction; returns the ids this worker now owns (another
     * worker may have taken some).
     */
    lease: (ids: number[], now: number, lockedUntil: number): Set<number> => leaseAll.immediate(ids, now, lockedUntil),
    reschedule: (
      id: number,
      fields: { status: 'pending' | 'dead'; attempts: number; nextAttemptAt: number; lastError: string | null },
      now: number,
    ) => reschedule.run({ id, ...fields, now }),
  };
}

/** Recording delivered rows: each done, and what it made of its mirror, in one transaction. */
function completion(sqlite: Sqlite) {
  const markDone = sqlite.prepare(
    `UPDATE deliveries SET status = 'done', delivered_at = @now, locked_until = NULL, last_error = NULL,
       posted_ref = @postedRef, updated_at = @now WHERE id = @id`,
  );
  const insertMirror = sqlite.prepare(
    `INSERT INTO mirrors (inquiry_id, destination, platform, channel, message_ref, thread_ref, created_at, updated_at)
     VALUES (@inquiryId, @destination, @platform, @channel, @messageRef, @threadRef, @now, @renderedAt)
     ON CONFLICT DO NOTHING`,
  );
  const touchMirror = sqlite.prepare(
    `UPDATE mirrors SET updated_at = max(updated_at, @renderedAt) WHERE inquiry_id = @inquiryId AND destination = @destination`,
  );
  const completeAll = sqlite.transaction((done: Delivered[], now: number) => {
    for (const { row, posted, renderedAt } of done) {
      if (row.kind === 'post' && posted && row.inquiry_id !== null) {
        insertMirror.run({
          inquiryId: row.inquiry_id,
          destination: row.destination,
          platform: row.platform,
          channel: row.channel,
          messageRef: posted.messageRef,
          threadRef: posted.threadRef ?? null,
          now,
          renderedAt,
        });
      }
      if (row.kind === 'update' && row.inquiry_id !== null && renderedAt > 0) {
        touchMirror.run({ inquiryId: row.inquiry_id, destination: row.destination, renderedAt });
      }
      markDone.run({ id: row.id, now, postedRef: posted?.messageRef ?? null });
    }
  });
  return {
    /** Records delivered rows, and for posts their mirrors, in one transaction. */
    completeAll: (done: Delivered[], now: number) => completeAll.immediate(done, now),
  };
}

/** The mirror an attempt edits or replies under (and the thread it may open), and the message it posts. */
function mirrorsAndMessages(sqlite: Sqlite) {
  const setThread = sqlite.prepare(`UPDATE mirrors SET thread_ref = @threadRef WHERE id = @id AND thread_ref IS NULL`);
  const mirror = sqlite.prepare<{ inquiryId: number; destination: string }, Mirror>(
    `SELECT ${MIRROR_COLUMNS} FROM mirrors WHERE inquiry_id = @inquiryId AND destination = @destination`,
  );
  const mirrorUpdatedAt = sqlite.prepare<{ id: number }, { updated_at: number }>(
    `SELECT updated_at FROM mirrors WHERE id = @id`,
  );
  const message = sqlite.prepare<{ id: number }, Message>(
    `SELECT id, inquiry_id AS inquiryId, direction, body, author_id AS authorId, author_name AS authorName,
       external_id AS externalId, created_at AS createdAt, reply_state AS replyState, reply_error AS replyError,
       sent_at AS sentAt FROM messages WHERE id = @id`,
  );
  const threadPost = sqlite.prepare<{ messageId: number; destination: string }, { posted_ref: string | null }>(
    `SELECT posted_ref FROM deliveries WHERE message_id = @messageId AND kind = 'thread' AND destination = @destination
       AND status = 'done' ORDER BY id DESC LIMIT 1`,
  );
  return {
    mirror: (inquiryId: number | null, destination: string): Mirror | null =>
      inquiryId === null ? null : (mirror.get({ inquiryId, destination }) ?? null),
    mirrorUpdatedAt: (id: number) => mirrorUpdatedAt.get({ id })?.updated_at ?? 0,
    /** Stores a thread a sender created on first use (Discord threads start lazily). */
    setThread: (mirrorId: number, threadRef: string) => setThread.run({ id: mirrorId, threadRef }),
    message: (id: number | null) => (id === null ? undefined : message.get({ id })),
    /** The ref of the thread message that showed `messageId` in `destination`, or null if it was never posted. */
    threadPostRef: (messageId: number, destination: string) =>
      threadPost.get({ messageId, destination })?.posted_ref ?? null,
  };
}

export type OutboxStore = ReturnType<typeof createOutboxStore>;

/**
 * What the core's Store does with the outbox inside its own transaction (fan-out on intake, claims,
 * replies): queue rows and ask what is already queued. Prepared once, with raw SQL: intake runs these
 * for every inquiry (see sqlite-store.ts).
 */
export function createOutboxQueue(
  db: Db,
): Pick<StoreTx, 'routedDestinations' | 'hasPendingUpdate' | 'enqueue' | 'cancelPendingReply' | 'requeueFailedReply'> {
  const sqlite = db.$client;
  const routedDestinations = sqlite.prepare<[number], { destination: string }>(
    `SELECT DISTINCT destination FROM deliveries WHERE inquiry_id = ? AND kind = 'post'`,
  );
  const pendingUpdate = sqlite.prepare<[number, string], { id: number }>(
    `SELECT id FROM deliveries
     WHERE inquiry_id = ? AND destination = ? AND kind = 'update' AND status = 'pending' AND attempts = 0 LIMIT 1`,
  );
  const enqueue = sqlite.prepare(
    `INSERT INTO deliveries (kind, inquiry_id, message_id, destination, platform, channel, payload, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  // Only a row no attempt has ever taken: once leased, the reply may already be on the wire. A
  // retried reply's row has its attempts reset but keeps its last error, and that attempt may have
  // landed after all, so it cannot be undone either.
  const cancelReply = sqlite.prepare(
    `UPDATE deliveries SET status = 'cancelled', updated_at = ?
     WHERE message_id = ? AND kind = 'reply' AND status = 'pending' AND attempts = 0 AND last_error IS NULL`,
  );
  const requeueReply = sqlite.prepare(
    `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
     WHERE message_id = @messageId AND kind = 'reply' AND status = 'dead'`,
  );
  return {
    routedDestinations: (inquiryId) => routedDestinations.all(inquiryId).map((r) => r.destination),
    hasPendingUpdate: (inquiryId, destination) => pendingUpdate.get(inquiryId, destination) !== undefined,
    enqueue: (rows, nowMs) => {
      for (const r of rows) {
        const payload = r.payload === undefined ? null : JSON.stringify(r.payload);
        const due = Math.max(nowMs, r.notBefore ?? nowMs);
        enqueue.run(
          r.kind,
          r.inquiryId,
          r.messageId ?? null,
          r.destination,
          r.platform,
          r.channel,
          payload,
          due,
          nowMs,
          nowMs,
        );
      }
    },
    cancelPendingReply: (messageId, nowMs) => cancelReply.run(nowMs, messageId).changes > 0,
    requeueFailedReply: (messageId, nowMs) => requeueReply.run({ now: nowMs, messageId }).changes > 0,
  };
}

/** Where a digest's delivery goes: its outbox destination (`digestDestination`) and channel. */
export interface DigestDeliveryTarget {
  destination: string;
  platform: string;
  channel: string;
}

/**
 * Prepares the insert of a digest's delivery; the returned function queues one and returns its id.
 * The caller runs it inside its own transaction (claimDigestRun: the run and its row commit together).
 */
export function prepareDigestDelivery(
  db: Db,
): (target: DigestDeliveryTarget, digestJson: string, nowMs: number) => number {
  const insert = db.$client.prepare(
    `INSERT INTO deliveries (kind, inquiry_id, message_id, destination, platform, channel, payload, status, attempts,
                             next_attempt_at, created_at, updated_at)
     VALUES ('digest', NULL, NULL, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
  );
  return (target, digestJson, nowMs) =>
    Number(
      insert.run(target.destination, target.platform, target.channel, digestJson, nowMs, nowMs, nowMs).lastInsertRowid,
    );
}

export type DeliveryStatus = DeliveryRow['status'];

/** The newest deliveries with `status`, for `koe deliveries list`. */
export function listDeliveries(db: Db, status: DeliveryStatus, limit: number): DeliveryRow[] {
  return db.$client
    .prepare<[string, number], DeliveryRow>(
      `SELECT ${ROW_COLUMNS} FROM deliveries WHERE status = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(status, limit);
}

/**
 * Puts dead deliveries back in the queue with a fresh budget of attempts (`koe deliveries retry`).
 * `last_error` stays, which tells the worker an earlier attempt may have landed (a lost answer), so
 * it looks the post up before posting it again. Returns how many were requeued.
 */
export function requeueDead(db: Db, which: readonly number[] | 'all', nowMs: number): number {
  const set = `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now
    WHERE status = 'dead'`;
  if (which === 'all') return db.$client.prepare(set).run({ now: nowMs }).changes;
  const byId = db.$client.prepare(`${set} AND id = @id`);
  return db.$client.transaction(() => which.reduce((n, id) => n + byId.run({ now: nowMs, id }).changes, 0))();
}
