import type { Db } from './db.ts';

/**
 * Group commit for the intake path: writes that arrive in the same turn of the event loop run in
 * one SQLite transaction. Jobs write through the Store, whose transactions become savepoints when
 * nested, so one failing job rolls back alone. Every caller is answered only after the shared
 * COMMIT, so nothing is acknowledged before it is stored. Under concurrent load this turns N
 * commits (each rewriting the same index pages into the WAL) into one.
 */
export function createWriteBatcher(db: Db, maxBatch = 256) {
  type Job = { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  type JobResult = { ok: true; value: unknown } | { ok: false; error: unknown };
  let queue: Job[] = [];
  let scheduled = false;
  const runBatch = db.$client.transaction((jobs: Job[]): JobResult[] =>
    jobs.map((job) => {
      try {
        return { ok: true, value: job.fn() };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    scheduled = false;
    const jobs = queue;
    queue = [];
    let results: JobResult[];
    try {
      results = runBatch.immediate(jobs);
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
