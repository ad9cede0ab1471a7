import type { Db } from './db.ts';

/**
 * Group commit for the intake path: writes that arrive in the same turn of the event loop run in
 * one SQLite transaction, each inside its own savepoint (better-sqlite3 turns a nested transaction
 * into a SAVEPOINT), so one failing write rolls back alone. Every caller is answered only after the
 * shared COMMIT, so nothing is acknowledged before it is durable. Under concurrent load this turns
 * N commits (each rewriting the same index pages into the WAL) into one.
 */
export function createWriteBatcher(db: Db, maxBatch = 256) {
  type Job = { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let queue: Job[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const jobs = queue;
    queue = [];
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.$client
        .transaction(() => {
          for (const job of jobs) {
            try {
              // A savepoint per job: a throw undoes this job's writes only.
              results.push({ ok: true, value: db.$client.transaction(job.fn)() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
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
    /** Runs `fn` (synchronous, may open its own transaction) in the next group commit. */
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
