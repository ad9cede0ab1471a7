import cron, { type ScheduledTask } from 'node-cron';
import type { DigestConfig } from '../config/load-config.ts';
import { makeDigest } from '../core/digests/make-digest.ts';
import { periodStartDueAt } from '../core/digests/periods.ts';
import type { Locale, Reason } from '../core/reasons/taxonomy.ts';
import type { SlaSettings } from '../core/sla/policy.ts';
import type { Logger } from '../lib/logger.ts';
import type { Db } from '../storage/db.ts';
import { createDigestQueries } from '../storage/digest-queries.ts';
import { claimDigestRun, hasDigestRun, recordDigestAdded } from '../storage/digest-runs.ts';
import { formatRunTime, nextFireTime } from './next-fire.ts';
import { type CronSchedule, previousFireTime } from './previous-fire.ts';

export interface DigestSchedulerOptions {
  db: Db;
  digests: readonly DigestConfig[];
  /** IANA zone the cron schedules and the local days are read in. */
  timezone: string;
  locale: Locale;
  reasons: readonly Reason[];
  /** The promises in business time the digest measures against. */
  sla: SlaSettings;
  log: Logger;
  now?: () => number;
  /** Called after a digest delivery was committed, to wake the outbox worker. */
  onEnqueued?: () => void;
}

/** What one run of one digest did. */
export interface DigestRunOutcome {
  digest: string;
  periodStart: string;
  /** True when this process recorded the run and queued the post; false when it was already done. */
  posted: boolean;
  deliveryId: number | null;
}

export interface DigestScheduler {
  /** Catches up on missed runs, then starts the cron schedules. */
  start(): void;
  stop(): Promise<void>;
  /** For each digest, posts the period of its latest scheduled time if that was missed (one, not a flood). */
  catchUp(): DigestRunOutcome[];
  /** When each digest runs next (epoch ms; null when not within a year). */
  nextRuns(): Array<{ digest: string; schedule: string; nextRun: number | null }>;
  /** Runs digest `name` as if its schedule fired at `firedAtMs`. */
  fire(name: string, firedAtMs: number): DigestRunOutcome;
}

/**
 * Schedules the configured digests with node-cron in the configured timezone. Exactly once per
 * digest and period, across restarts and processes: a run is recorded in `digest_runs` together
 * with its outbox delivery in one transaction, and the unique (digest, period) key lets only one
 * process record it. The outbox then delivers it like any other post.
 */
export function createDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  const { db, log } = options;
  const now = options.now ?? Date.now;
  const queries = createDigestQueries(db);
  const tasks = new Map<string, ScheduledTask>();
  const byName = new Map(options.digests.map((d) => [d.name, d]));

  function run(digest: DigestConfig, periodStart: string): DigestRunOutcome {
    // Cheap check first: a run already recorded (by us before a restart, or by another process)
    // needs no digest built. The claim below is what actually guarantees exactly-once.
    if (hasDigestRun(db, digest.name, periodStart)) {
      return { digest: digest.name, periodStart, posted: false, deliveryId: null };
    }
    const nowMs = now();
    const built = makeDigest(queries, {
      name: digest.name,
      kind: digest.period,
      date: periodStart,
      timezone: options.timezone,
      locale: options.locale,
      reasons: options.reasons,
      sla: options.sla,
      nowMs,
    });
    const claim = claimDigestRun(db, digest, built, nowMs);
    if (claim.posted) {
      log.info(
        { digest: digest.name, period: digest.period, periodStart, deliveryId: claim.deliveryId, total: built.total },
        'digest queued',
      );
      options.onEnqueued?.();
    }
    return { digest: digest.name, periodStart, posted: claim.posted, deliveryId: claim.deliveryId };
  }

  function fire(name: string, firedAtMs: number): DigestRunOutcome {
    const digest = byName.get(name);
    if (!digest) throw new RangeError(`no digest named "${name}"`);
    return run(digest, periodStartDueAt(digest.period, firedAtMs, options.timezone));
  }

  function taskFor(digest: DigestConfig): ScheduledTask {
    let task = tasks.get(digest.name);
    if (!task) {
      task = cron.createTask(
        digest.schedule,
        () => {
          try {
            // The injected clock, not node-cron's date, so tests can pin the period; they agree in production.
            fire(digest.name, now());
          } catch (error) {
            log.error({ err: error, digest: digest.name }, 'digest run failed');
          }
        },
        { timezone: options.timezone, name: `koe-digest-${digest.name}`, noOverlap: true },
      );
      tasks.set(digest.name, task);
    }
    return task;
  }

  function scheduleOf(digest: DigestConfig): CronSchedule {
    const task = taskFor(digest);
    return { fields: cron.parse(digest.schedule), matches: (date) => task.match(date) };
  }

  function catchUp(): DigestRunOutcome[] {
    const outcomes: DigestRunOutcome[] = [];
    const nowMs = now();
    for (const digest of options.digests) {
      try {
        const last = previousFireTime(scheduleOf(digest), nowMs, options.timezone);
        if (last === null) continue;
        const skipped = skipIfNew(options, digest, last, nowMs);
        if (skipped) {
          outcomes.push(skipped);
          continue;
        }
        const outcome = fire(digest.name, last);
        if (outcome.posted)
          log.info({ digest: digest.name, periodStart: outcome.periodStart }, 'digest caught up after downtime');
        outcomes.push(outcome);
      } catch (error) {
        log.error({ err: error, digest: digest.name }, 'digest catch-up failed');
      }
    }
    return outcomes;
  }

  /** The next time each digest runs, as the start log and `koe doctor` show it. */
  function nextRuns(): Array<{ digest: string; schedule: string; nextRun: number | null }> {
    return options.digests.map((d) => ({
      digest: d.name,
      schedule: d.schedule,
      nextRun: nextFireTime(scheduleOf(d), now(), options.timezone),
    }));
  }

  return {
    start() {
      catchUp();
      for (const digest of options.digests) void taskFor(digest).start();
      logNextRuns(nextRuns(), options.timezone, log);
    },
    nextRuns,
    async stop() {
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
    },
    catchUp,
    fire,
  };
}

/**
 * A digest seen for the first time (no run recorded) was added after its last scheduled time: that
 * period is recorded as skipped, not posted, so adding a digest does not post yesterday's at once.
 */
function skipIfNew(
  options: DigestSchedulerOptions,
  digest: DigestConfig,
  lastFire: number,
  nowMs: number,
): DigestRunOutcome | null {
  const periodStart = periodStartDueAt(digest.period, lastFire, options.timezone);
  if (!recordDigestAdded(options.db, digest, periodStart, nowMs)) return null;
  options.log.info(
    { digest: digest.name, periodStart },
    'digest added: the period that was due before it was configured is not posted',
  );
  return { digest: digest.name, periodStart, posted: false, deliveryId: null };
}

/** One start line per digest saying when it runs next, so a wrong schedule shows on the first day. */
function logNextRuns(
  runs: Array<{ digest: string; schedule: string; nextRun: number | null }>,
  timezone: string,
  log: Logger,
): void {
  for (const { digest, schedule, nextRun } of runs) {
    const at = nextRun === null ? 'not within a year' : formatRunTime(nextRun, timezone);
    log.info({ digest, schedule, nextRun: at }, `digest "${digest}" next runs at ${at}`);
  }
}
