// Worker-thread entry for the WAL checkpointer (./wal-checkpointer.ts). Plain JavaScript: it needs
// nothing but its own connection to the database file.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path);
const timer = setInterval(() => {
  try {
    // PASSIVE: copies what no reader still needs, never waits for or blocks the writer. Only
    // failures are reported: a message every interval would wake the main thread for nothing.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
