import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestConfig } from '../../src/config/load-config.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createDigestScheduler, type DigestScheduler } from '../../src/scheduler/digest-scheduler.ts';
import { testSlaSettings } from '../helpers/sla.ts';
import { tempDb } from '../helpers/temp-db.ts';

const jst = (s: string) => Date.parse(`${s}+09:00`);
const DAILY: DigestConfig = {
  name: 'daily',
  platform: 'console',
  channel: 'stdout',
  period: 'day',
  schedule: '0 9 * * *',
};

let t: ReturnType<typeof tempDb>;
const schedulers: DigestScheduler[] = [];
beforeEach(() => {
  t = tempDb();
});
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  t.cleanup();
});

function scheduler(nowMs: number): DigestScheduler {
  const s = createDigestScheduler({
    db: t.db,
    digests: [DAILY],
    timezone: 'Asia/Tokyo',
    locale: 'en',
    reasons: DEFAULT_REASONS,
    sla: testSlaSettings(),
    log: silentLogger(),
    now: () => nowMs,
  });
  schedulers.push(s);
  return s;
}

const digestDeliveries = () =>
  t.db.$client.prepare(`SELECT id FROM deliveries WHERE kind = 'digest'`).all() as { id: number }[];

describe('a digest added to the config', () => {
  it('does not post the period that was due before it was configured, on its first start', () => {
    const outcomes = scheduler(jst('2026-11-21T15:00:00')).catchUp();
    expect(outcomes).toEqual([{ digest: 'daily', periodStart: '2026-11-20', posted: false, deliveryId: null }]);
    expect(digestDeliveries()).toEqual([]);
  });

  it('posts its first scheduled period, and catches up a later missed one as before', () => {
    scheduler(jst('2026-11-21T15:00:00')).catchUp(); // added on the 21st
    expect(scheduler(jst('2026-11-22T09:00:00')).fire('daily', jst('2026-11-22T09:00:00'))).toMatchObject({
      periodStart: '2026-11-21',
      posted: true,
    });
    // Down over the 23rd's 09:00: the 22nd is caught up, since the digest was known by then.
    expect(scheduler(jst('2026-11-23T12:00:00')).catchUp()).toEqual([
      expect.objectContaining({ periodStart: '2026-11-22', posted: true }),
    ]);
    expect(digestDeliveries()).toHaveLength(2);
  });

  it('says when each digest runs next, in its timezone', () => {
    const [next] = scheduler(jst('2026-11-21T15:00:00')).nextRuns();
    expect(next).toEqual({ digest: 'daily', schedule: '0 9 * * *', nextRun: jst('2026-11-22T09:00:00') });
  });
});
