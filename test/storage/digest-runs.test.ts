import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/core/digests/types.ts';
import { claimDigestRun, digestDestination, hasDigestRun, recordDigestAdded } from '../../src/storage/digest-runs.ts';
import { tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const DAILY = { name: 'daily', platform: 'slack', channel: 'C-DIGEST' } as const;
const digestFor = (start: string) =>
  ({ version: 2, name: 'daily', period: { kind: 'day', start }, total: 3 }) as unknown as Digest;

const runs = () =>
  t.db.$client
    .prepare(
      `SELECT id, digest_name AS name, period, period_start AS start, delivery_id AS deliveryId FROM digest_runs`,
    )
    .all();
const digestDeliveries = () =>
  t.db.$client
    .prepare(`SELECT id, kind, destination, platform, channel, payload, status, next_attempt_at AS due FROM deliveries`)
    .all();

describe('digest runs: each digest posted once per period', () => {
  it('records the run and queues its delivery together, linked, on the first claim', () => {
    const digest = digestFor('2026-11-20');
    const claim = claimDigestRun(t.db, DAILY, digest, 5_000);
    expect(claim).toEqual({ posted: true, runId: expect.any(Number), deliveryId: expect.any(Number) });
    expect(runs()).toEqual([
      { id: claim.runId, name: 'daily', period: 'day', start: '2026-11-20', deliveryId: claim.deliveryId },
    ]);
    expect(digestDeliveries()).toEqual([
      {
        id: claim.deliveryId,
        kind: 'digest',
        destination: 'digest:daily',
        platform: 'slack',
        channel: 'C-DIGEST',
        payload: JSON.stringify(digest),
        status: 'pending',
        due: 5_000,
      },
    ]);
  });

  it('answers a second claim of the same period with the first run and its delivery, and queues nothing', () => {
    const first = claimDigestRun(t.db, DAILY, digestFor('2026-11-20'), 5_000);
    const second = claimDigestRun(t.db, DAILY, digestFor('2026-11-20'), 6_000);
    expect(second).toEqual({ posted: false, runId: first.runId, deliveryId: first.deliveryId });
    expect(digestDeliveries()).toHaveLength(1);
  });

  it('claims the next period, and another digest’s same period, as runs of their own', () => {
    const a = claimDigestRun(t.db, DAILY, digestFor('2026-11-20'), 5_000);
    const b = claimDigestRun(t.db, DAILY, digestFor('2026-11-21'), 6_000);
    const c = claimDigestRun(t.db, { ...DAILY, name: 'other' }, digestFor('2026-11-20'), 7_000);
    expect([a.posted, b.posted, c.posted]).toEqual([true, true, true]);
    expect(new Set([a.runId, b.runId, c.runId]).size).toBe(3);
    expect(digestDeliveries().map((d) => (d as { destination: string }).destination)).toEqual([
      'digest:daily',
      'digest:daily',
      'digest:other',
    ]);
  });

  it('finds a recorded run by digest and period start only', () => {
    expect(hasDigestRun(t.db, 'daily', '2026-11-20')).toBe(false);
    claimDigestRun(t.db, DAILY, digestFor('2026-11-20'), 5_000);
    expect(hasDigestRun(t.db, 'daily', '2026-11-20')).toBe(true);
    expect(hasDigestRun(t.db, 'daily', '2026-11-21')).toBe(false);
    expect(hasDigestRun(t.db, 'other', '2026-11-20')).toBe(false);
  });

  it('names the outbox destination of a digest after the digest', () => {
    expect(digestDestination('weekly-C1')).toBe('digest:weekly-C1');
  });
});

describe('a digest seen for the first time (recordDigestAdded)', () => {
  it('marks the due period handled without a delivery, once, and only while the digest has no run', () => {
    expect(recordDigestAdded(t.db, { name: 'daily', period: 'day' }, '2026-11-20', 1_000)).toBe(true);
    expect(runs()).toEqual([{ id: 1, name: 'daily', period: 'day', start: '2026-11-20', deliveryId: null }]);
    expect(hasDigestRun(t.db, 'daily', '2026-11-20')).toBe(true);
    // Already known: neither the same period nor a later one is written.
    expect(recordDigestAdded(t.db, { name: 'daily', period: 'day' }, '2026-11-20', 2_000)).toBe(false);
    expect(recordDigestAdded(t.db, { name: 'daily', period: 'day' }, '2026-11-21', 2_000)).toBe(false);
    expect(runs()).toHaveLength(1);
    expect(digestDeliveries()).toEqual([]);
  });

  it('writes nothing for a digest that was already posted', () => {
    claimDigestRun(t.db, DAILY, digestFor('2026-11-19'), 5_000);
    expect(recordDigestAdded(t.db, { name: 'daily', period: 'day' }, '2026-11-20', 6_000)).toBe(false);
    expect(hasDigestRun(t.db, 'daily', '2026-11-20')).toBe(false);
    expect(recordDigestAdded(t.db, { name: 'weekly', period: 'week' }, '2026-11-16', 6_000)).toBe(true);
  });
});
