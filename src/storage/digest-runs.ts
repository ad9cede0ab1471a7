import type { Platform } from '../core/surfaces.ts';
import type { Digest } from '../core/digests/types.ts';
import type { Db } from './db.ts';
import { prepareDigestDelivery } from './outbox-store.ts';

export interface DigestRunTarget {
  /** The digest's config name; with the period start it is the exactly-once key. */
  name: string;
  platform: Platform;
  channel: string;
}

export type ClaimResult =
  | { posted: true; runId: number; deliveryId: number }
  | { posted: false; runId: number; deliveryId: number | null };

/** The outbox destination digests are queued under (ordering in the outbox is per destination). */
export function digestDestination(name: string): string {
  return `digest:${name}`;
}

/**
 * Records that `digest` is being posted for its period and queues its delivery, in one IMMEDIATE
 * transaction. The unique (digest_name, period_start) index makes the insert the lock: of any number
 * of processes racing, exactly one inserts the run and its outbox row; the others find the run and
 * queue nothing. A crash before the commit leaves neither row, so a restart posts it then.
 */
export function claimDigestRun(db: Db, target: DigestRunTarget, digest: Digest, nowMs: number): ClaimResult {
  const sqlite = db.$client;
  const insertRun = sqlite.prepare(
    `INSERT INTO digest_runs (digest_name, period, period_start, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (digest_name, period_start) DO NOTHING`,
  );
  const findRun = sqlite.prepare<[string, string], { id: number; deliveryId: number | null }>(
    `SELECT id, delivery_id AS deliveryId FROM digest_runs WHERE digest_name = ? AND period_start = ?`,
  );
  const insertDelivery = prepareDigestDelivery(db);
  const linkRun = sqlite.prepare(`UPDATE digest_runs SET delivery_id = ? WHERE id = ?`);

  return sqlite
    .transaction((): ClaimResult => {
      const inserted = insertRun.run(target.name, digest.period.kind, digest.period.start, nowMs);
      if (inserted.changes === 0) {
        const run = findRun.get(target.name, digest.period.start)!;
        return { posted: false, runId: run.id, deliveryId: run.deliveryId };
      }
      const runId = Number(inserted.lastInsertRowid);
      const deliveryId = insertDelivery(
        { destination: digestDestination(target.name), platform: target.platform, channel: target.channel },
        JSON.stringify(digest),
        nowMs,
      );
      linkRun.run(deliveryId, runId);
      return { posted: true, runId, deliveryId };
    })
    .immediate();
}

/** Whether a run of digest `name` for the period starting `periodStart` is already recorded. */
export function hasDigestRun(db: Db, name: string, periodStart: string): boolean {
  return (
    db.$client
      .prepare(`SELECT 1 FROM digest_runs WHERE digest_name = ? AND period_start = ?`)
      .get(name, periodStart) !== undefined
  );
}

/**
 * Marks the period that was due when digest `name` was first seen as handled, without posting it:
 * a run row with no delivery, written only while the digest has no run at all. So the first start
 * after a digest is added does not post the period that ended before anyone asked for it; the
 * next scheduled period is its first. Returns whether this call wrote the row.
 */
export function recordDigestAdded(
  db: Db,
  target: { name: string; period: 'day' | 'week' },
  periodStart: string,
  nowMs: number,
): boolean {
  const inserted = db.$client
    .prepare(
      `INSERT INTO digest_runs (digest_name, period, period_start, created_at)
       SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM digest_runs WHERE digest_name = ?)
       ON CONFLICT (digest_name, period_start) DO NOTHING`,
    )
    .run(target.name, target.period, periodStart, nowMs, target.name);
  return inserted.changes > 0;
}
