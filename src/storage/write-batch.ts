import type { Db } from './db.ts';
import { runFlattened } from './flat-transactions.ts';

/**
 * Group commit for the intake path: writes that arrive in the same turn of the event loop run in
 * one SQLite transaction, and every caller is answered only after the shared COMMIT, so nothing is
 * acknowledged before it is stored. Under concurrent load this turns N commits (each rewriting the
 * same index pages into the WAL) into one.
 *
 * Jobs first run optimistically, their verbs flattened into the batch (no savepoint each). Should
 * one throw, the whole batch rolls back and runs again with a savepoint per job, so the failing one
 * rolls back alone. Jobs are the Store's verbs: pure database work, safe to run twice.
 */
export function createWriteBatcher(db: Db, maxBatch = 256) {
  type Job = { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  type JobResult = { ok: true; value: unknown } | { ok: false; error: unknown };
  const sqlite = db.$client;
  let jobFailed = false;
  const runOptimistic = sqlite.transaction((jobs: Job[]): JobResult[] =>
    runFlattened(sqlite, () =>
      jobs.map((job) => {
        try {
          return { ok: true, value: job.fn() };
        } catch (error) {
          jobFailed = true;
          throw error;
        }
      }),
    ),
  );
  const runIsolated = sqlite.transaction((jobs: Job[]): JobResult[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: job.fn() };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  let queue: Job[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const jobs = queue;
    queue = [];
    let results: JobResult[];
    try {
      jobFailed = false;
      try {
        results = runOptimistic.immediate(jobs);
      } catch (error) {
        if (!jobFailed) throw error;
        results = runIsolated.immediate(jobs); // rolled back above: run again, each job on its own
      }
    } catch (error) {
      // The shared commit failed: nothing was stored, so nobody is acknowledged.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const r = results[i]!;
      if (r.ok) job.resolve(r.value);
      else job.reject(r.error);
    });
  }

  return {
    /** Runs `fn` (synchronous; its writes go through the Store) in the next group commit. */
    run<T>(fn: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (queue.length >= maxBatch) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}

export type WriteBatcher = ReturnType<typeof createWriteBatcher>;
