import cron from 'node-cron';
import type { Config } from '../config/load-config.ts';
import { type CheckResult, failed, passed } from '../lib/check.ts';
import { formatRunTime, nextFireTime } from '../scheduler/next-fire.ts';

/** When each configured digest runs next, read with node-cron's own matcher in koe's timezone. */
export async function digestChecks(config: Config, nowMs: number = Date.now()): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const digest of config.digests) {
    const label = `digest "${digest.name}"`;
    const task = cron.createTask(digest.schedule, () => {}, { timezone: config.timezone });
    try {
      const next = nextFireTime(
        { fields: cron.parse(digest.schedule), matches: (date) => task.match(date) },
        nowMs,
        config.timezone,
      );
      results.push(
        next === null
          ? failed(label, `"${digest.schedule}" does not run within a year`, 'check its schedule (five cron fields)')
          : passed(label, `"${digest.schedule}" next runs at ${formatRunTime(next, config.timezone)}`),
      );
    } finally {
      await task.destroy();
    }
  }
  return results;
}
