import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestConfig } from '../../src/config/load-config.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker } from '../../src/outbox/worker.ts';
import { renderDigestText } from '../../src/platforms/console/render-digest.ts';
import { createConsoleSender } from '../../src/platforms/console/sender.ts';
import { createDigestScheduler, type DigestScheduler } from '../../src/scheduler/digest-scheduler.ts';
import { claimDigestRun, recordDigestAdded } from '../../src/storage/digest-runs.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { manualClock, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { testSlaSettings } from '../helpers/sla.ts';

const jst = (s: string) => Date.parse(`${s}+09:00`);
const DAILY: DigestConfig = {
  name: 'daily',
  platform: 'console',
  channel: 'stdout',
  period: 'day',
  schedule: '0 9 * * *',
};
const WEEKLY: DigestConfig = {
  name: 'weekly',
  platform: 'console',
  channel: 'stdout',
  period: 'week',
  schedule: '0 9 * * 1',
};

let t: ReturnType<typeof tempDb>;
let scheduler: DigestScheduler | undefined;
beforeEach(() => {
  t = tempDb();
});
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  t.cleanup();
});

function makeScheduler(
  now: () => number,
  digests: DigestConfig[] = [DAILY],
  timezone = 'Asia/Tokyo',
  onEnqueued?: () => void,
) {
  scheduler = createDigestScheduler({
    db: t.db,
    digests,
    timezone,
    locale: 'en',
    reasons: DEFAULT_REASONS,
    sla: testSlaSettings(),
    log: silentLogger(),
    now,
    onEnqueued,
  });
  return scheduler;
}

const runs = () =>
  t.db.$client
    .prepare(
      'SELECT digest_name AS name, period, period_start AS start, delivery_id AS deliveryId FROM digest_runs ORDER BY id',
    )
    .all() as {
    name: string;
    period: string;
    start: string;
    deliveryId: number;
  }[];
const digestDeliveries = () =>
  t.db.$client
    .prepare(`SELECT id, destination, platform, channel, payload FROM deliveries WHERE kind = 'digest' ORDER BY id`)
    .all() as {
    id: number;
    destination: string;
    payload: string;
  }[];

describe('a scheduled run', () => {
  it('queues the previous JST day once, however often it fires for that period', () => {
    const clock = manualClock(jst('2026-11-21T09:00:00'));
    let wakes = 0;
    const s = makeScheduler(clock.now, [DAILY], 'Asia/Tokyo', () => (wakes += 1));
    addInquiry(t.db, { receivedAt: jst('2026-11-20T23:30:00'), reasonId: 'bug' });
    const first = s.fire('daily', clock.now());
    const again = s.fire('daily', clock.now() + 60_000);
    expect(first).toMatchObject({ digest: 'daily', periodStart: '2026-11-20', posted: true });
    expect(again).toMatchObject({ periodStart: '2026-11-20', posted: false });
    expect(wakes).toBe(1);
    const rows = digestDeliveries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.deliveryId,
      destination: 'digest:daily',
      platform: 'console',
      channel: 'stdout',
    });
    const payload = JSON.parse(rows[0]!.payload);
    expect(payload).toMatchObject({
      version: 2,
      name: 'daily',
      total: 1,
      period: { kind: 'day', start: '2026-11-20' },
    });
    expect(runs()).toEqual([{ name: 'daily', period: 'day', start: '2026-11-20', deliveryId: first.deliveryId }]);
  });

  it('lets only the first of two claims for one period record a run (the unique key is the lock)', () => {
    const s = makeScheduler(() => jst('2026-11-21T09:00:00'));
    void s;
    const digest = JSON.parse('{"version":1,"period":{"kind":"day","start":"2026-11-20"},"reasons":[]}');
    const a = claimDigestRun(t.db, DAILY, digest, 1);
    const b = claimDigestRun(t.db, DAILY, digest, 2);
    expect(a.posted).toBe(true);
    expect(b).toEqual({ posted: false, runId: a.runId, deliveryId: a.deliveryId });
    expect(digestDeliveries()).toHaveLength(1);
  });
});

describe('catching up after downtime', () => {
  it('posts only the most recent missed day, not one per missed day', () => {
    // Posted for 11-18 at 11-19 09:00; then koe was down until 11-21 15:00.
    makeScheduler(() => jst('2026-11-19T09:00:00')).fire('daily', jst('2026-11-19T09:00:00'));
    const s = makeScheduler(() => jst('2026-11-21T15:00:00'));
    const outcomes = s.catchUp();
    expect(outcomes).toEqual([expect.objectContaining({ digest: 'daily', periodStart: '2026-11-20', posted: true })]);
    expect(runs().map((r) => r.start)).toEqual(['2026-11-18', '2026-11-20']);
    expect(s.catchUp()).toEqual([expect.objectContaining({ periodStart: '2026-11-20', posted: false })]);
    expect(digestDeliveries()).toHaveLength(2);
  });

  it('does nothing before the day’s schedule when yesterday’s run was already posted', () => {
    makeScheduler(() => jst('2026-11-20T09:00:00')).fire('daily', jst('2026-11-20T09:00:00')); // the 19th
    const outcomes = makeScheduler(() => jst('2026-11-21T08:59:00')).catchUp(); // last fire: 11-20 09:00 → the 19th
    expect(outcomes).toEqual([expect.objectContaining({ periodStart: '2026-11-19', posted: false })]);
    expect(runs()).toHaveLength(1);
  });

  it('catches up a missed weekly digest with the last complete week', () => {
    // Posted on Monday 11-16 (the week of the 9th); then koe was down over Monday 11-23 09:00.
    makeScheduler(() => jst('2026-11-16T09:00:00'), [WEEKLY]).fire('weekly', jst('2026-11-16T09:00:00'));
    const s = makeScheduler(() => jst('2026-11-25T12:00:00'), [WEEKLY]); // Wednesday
    expect(s.catchUp()).toEqual([
      expect.objectContaining({ digest: 'weekly', periodStart: '2026-11-16', posted: true }),
    ]);
    const payload = JSON.parse(digestDeliveries()[1]!.payload);
    expect(payload.period).toMatchObject({ kind: 'week', start: '2026-11-16', end: '2026-11-22', days: 7 });
  });

  it('reads the schedule in a DST zone as the live schedule would (09:00 New York on the spring-forward day)', () => {
    const known = Date.parse('2026-03-06T14:00:00Z'); // the digest ran on the 6th (09:00 EST), so it is not new
    makeScheduler(() => known, [DAILY], 'America/New_York').fire('daily', known);
    const s = makeScheduler(() => Date.parse('2026-03-08T14:30:00Z'), [DAILY], 'America/New_York'); // 10:30 EDT
    expect(s.catchUp()).toEqual([expect.objectContaining({ periodStart: '2026-03-07', posted: true })]);
    const payload = JSON.parse(digestDeliveries()[1]!.payload);
    // The 7th was a plain 24-hour day in New York; the 8th (23 hours) is tomorrow's digest.
    expect(payload.period.endMs - payload.period.startMs).toBe(24 * 3_600_000);
    const next = makeScheduler(() => Date.parse('2026-03-09T13:30:00Z'), [DAILY], 'America/New_York').catchUp();
    expect(next).toEqual([expect.objectContaining({ periodStart: '2026-03-08', posted: true })]);
    const day8 = JSON.parse(digestDeliveries()[2]!.payload);
    expect(day8.period.endMs - day8.period.startMs).toBe(23 * 3_600_000);
  });
});

describe('two schedulers racing on one SQLite file', () => {
  it('records one run and queues one post across four processes firing at once', async () => {
    addInquiry(t.db, { receivedAt: jst('2026-11-20T12:00:00'), reasonId: 'bug' });
    const firedAt = String(jst('2026-11-21T09:00:00'));
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', 'test/helpers/digest-child.ts', t.path, firedAt], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = children.map((child) => {
      let buffer = '';
      const seen: string[] = [];
      const waiters: (() => void)[] = [];
      child.stdout!.on('data', (d) => {
        buffer += String(d);
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
          seen.push(buffer.slice(0, nl));
          buffer = buffer.slice(nl + 1);
          for (const w of waiters.splice(0)) w();
        }
      });
      return async (n: number) => {
        while (seen.length < n) await new Promise<void>((r) => waiters.push(r));
        return seen[n - 1]!;
      };
    });
    for (const next of lines) expect(await next(1)).toBe('ready');
    for (const child of children) child.stdin!.write('go\n');
    const outcomes = await Promise.all(lines.map(async (next) => JSON.parse(await next(2))));
    expect(outcomes.filter((o) => o.posted)).toHaveLength(1);
    expect(outcomes.every((o) => o.periodStart === '2026-11-20')).toBe(true);
    expect(runs()).toHaveLength(1);
    expect(digestDeliveries()).toHaveLength(1);
  });
});

describe('from schedule to channel', () => {
  it('fires on its cron schedule, and the outbox posts each period once', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += String(d)));
    const sender = createConsoleSender(
      { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS },
      out,
      renderDigestText,
    );
    // A pinned clock: the period cannot change mid-test, whatever the real time (cron still fires in real time).
    const pinned = () => jst('2026-11-21T09:00:00');
    const worker = createOutboxWorker({
      db: t.db,
      senders: { console: sender },
      log: silentLogger(),
      pollMs: 10,
      now: pinned,
    });
    const everySecond: DigestConfig = { ...DAILY, schedule: '* * * * * *' };
    const s = makeScheduler(pinned, [everySecond], 'Asia/Tokyo', () => worker.wake());
    recordDigestAdded(t.db, everySecond, '2026-11-19', 0); // configured days ago, so yesterday is caught up
    const { default: cron } = await import('node-cron');
    let fires = 0;
    const printedDigests = () => printed.match(/Daily digest/g)?.length ?? 0;
    worker.start();
    try {
      s.start(); // catches up at once (yesterday), then fires every second
      for (const task of cron.getTasks().values())
        task.on('execution:finished', () => {
          fires += 1;
        });
      await waitFor(() => printedDigests() === 1, 10_000, 'the caught-up digest');
      const before = fires;
      await waitFor(() => fires > before, 10_000, 'a cron fire'); // the same period again: nothing new
      await worker.drain(5_000);
      const posted = () => runs().filter((r) => r.deliveryId !== null);
      expect(posted()).toHaveLength(1);
      expect(printedDigests()).toBe(1);
      // As if a new period had begun: the next cron fire posts it.
      t.db.$client.exec('DELETE FROM digest_runs WHERE delivery_id IS NOT NULL');
      await waitFor(() => printedDigests() === 2, 10_000, 'a digest posted by a cron fire');
      expect(posted()).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });
});
