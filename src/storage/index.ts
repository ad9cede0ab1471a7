import type { DigestQueries } from '../core/digests/digest-source.ts';
import type { Digest } from '../core/digests/types.ts';
import { migrateDb, openDb } from './db.ts';
import { createDigestQueries } from './digest-queries.ts';
import { type ClaimResult, claimDigestRun, type DigestRunTarget } from './digest-runs.ts';
import { countLabels, type LabeledText, loadLabels } from './label-queries.ts';
import { type DeliveryRow, type DeliveryStatus, listDeliveries, requeueDead } from './outbox-store.ts';

export type { ClaimResult, DeliveryRow, DeliveryStatus, DigestRunTarget, LabeledText };

/** What the command-line tools may do with koe's database; they never hold it themselves. */
export interface Storage {
  digests: DigestQueries;
  claimDigestRun(target: DigestRunTarget, digest: Digest, nowMs: number): ClaimResult;
  countLabels(): ReturnType<typeof countLabels>;
  loadLabels(options: { reasonIds?: readonly string[] }): LabeledText[];
  listDeliveries(status: DeliveryStatus, limit: number): DeliveryRow[];
  requeueDead(which: readonly number[] | 'all', nowMs: number): number;
  close(): void;
}

/** Opens the SQLite file at `path`, migrating it to the current schema first. */
export function openStorage(path: string): Storage {
  const db = openDb(path);
  try {
    migrateDb(db);
  } catch (error) {
    db.$client.close();
    throw error;
  }
  return {
    digests: createDigestQueries(db),
    claimDigestRun: (target, digest, nowMs) => claimDigestRun(db, target, digest, nowMs),
    countLabels: () => countLabels(db),
    loadLabels: (options) => loadLabels(db, options),
    listDeliveries: (status, limit) => listDeliveries(db, status, limit),
    requeueDead: (which, nowMs) => requeueDead(db, which, nowMs),
    close: () => db.$client.close(),
  };
}
