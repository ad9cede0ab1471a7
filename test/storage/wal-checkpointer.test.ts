import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/lib/logger.ts';
import { startWalCheckpointer, type WalCheckpointer } from '../../src/storage/wal-checkpointer.ts';
import { tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

let t: ReturnType<typeof tempDb>;
let checkpointer: WalCheckpointer | undefined;
afterEach(async () => {
  await checkpointer?.stop();
  checkpointer = undefined;
  t.cleanup();
});

/** Rows of `table` in the database file alone: what checkpoints have copied out of the WAL. */
function rowsInMainFile(table: string): number {
  const copy = join(t.dir, 'main-only.db');
  copyFileSync(t.path, copy); // without koe.db-wal beside it
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the background WAL checkpointer', () => {
  it('copies committed pages into the database file from its own thread, while the main connection only keeps a backstop', async () => {
    t = tempDb();
    const sqlite = t.db.$client;
    const inMainFile = () => {
      try {
        return rowsInMainFile('filler');
      } catch {
        return 0; // the table itself is not in the main file yet
      }
    };
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
    const insert = sqlite.prepare('INSERT INTO filler (text) VALUES (?)');
    // ~500 pages, under SQLite's own 1,000-page autocheckpoint: still only in the WAL.
    sqlite.transaction(() => {
      for (let i = 0; i < 2_000; i++) insert.run('x'.repeat(1_000));
    })();
    expect(inMainFile()).toBe(0);

    checkpointer = startWalCheckpointer(t.db, t.path, { log: silentLogger(), intervalMs: 50 });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await waitFor(() => inMainFile() === 2_000, 10_000, 'the 2,000 rows checkpointed into the database file');
    expect(inMainFile()).toBe(2_000);
  });

  it('stops once however often it is asked to, and every caller sees that one stop', async () => {
    const t = tempDb();
    try {
      checkpointer = startWalCheckpointer(t.db, t.path, { log: silentLogger() });
      const first = checkpointer.stop();
      const second = checkpointer.stop();
      expect(second).toBe(first);
      await Promise.all([first, second]);
      expect(checkpointer.stop()).toBe(first);
    } finally {
      t.cleanup();
    }
  });

  it('stops its thread and leaves the database usable', async () => {
    t = tempDb();
    checkpointer = startWalCheckpointer(t.db, t.path, { log: silentLogger(), intervalMs: 50 });
    await checkpointer.stop();
    checkpointer = undefined;
    t.db.$client.exec('CREATE TABLE after_stop (id INTEGER PRIMARY KEY)');
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM after_stop').get()).toEqual({ n: 0 });
  });
});
