import { Worker } from 'node:worker_threads';
import type { Logger } from '../lib/logger.ts';
import type { Db } from './db.ts';

export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the main thread. SQLite runs them in whichever connection commits past
 * 1,000 WAL pages, so under an intake burst the request path paid for copying pages into the
 * database and for the two fsyncs, and saw the latency spikes (README, Benchmarks).
 * A thread with its own connection checkpoints every `intervalMs` instead. The main connection keeps
 * a much higher autocheckpoint as a backstop, so the WAL stays bounded should the thread fall
 * behind or die.
 */
export function startWalCheckpointer(
  db: Db,
  path: string,
  options: { log: Logger; intervalMs?: number; backstopPages?: number },
): WalCheckpointer {
  const { log } = options;
  db.$client.pragma(`wal_autocheckpoint = ${options.backstopPages ?? 10_000}`);
  const worker = new Worker(new URL('./wal-checkpoint-thread.mjs', import.meta.url), {
    workerData: { path, intervalMs: options.intervalMs ?? 250 },
  });
  let failures = 0;
  worker.on('message', (m: { type: 'error'; message: string }) => {
    if (m.type === 'error' && failures++ === 0)
      log.warn({ err: m.message }, 'storage: background WAL checkpoint failed; the main connection still checkpoints');
  });
  worker.on('error', (error) =>
    log.error({ err: error }, 'storage: WAL checkpoint thread stopped; the main connection still checkpoints'),
  );
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    // One stop, however often it is asked for (SIGINT then SIGTERM, or a stop after a failed start):
    // a second call waiting for an exit that already happened would sit out the whole timeout.
    stop() {
      stopping ??= (async () => {
        // Referenced again while stopping, so a process that is shutting down waits for the thread to
        // close its connection instead of exiting with the stop unsettled.
        worker.ref();
        worker.postMessage('stop');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((r) => (timer = setTimeout(r, 2_000)))]);
        clearTimeout(timer);
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
