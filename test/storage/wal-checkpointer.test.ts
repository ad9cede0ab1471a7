import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
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

  it('lets go of the database file once stopped: with the main connection closed too, SQLite removes the WAL', async () => {
    t = tempDb();
    const sqlite = t.db.$client;
    sqlite.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)');
    sqlite.prepare('INSERT INTO filler (text) VALUES (?)').run('x');
    checkpointer = startWalCheckpointer(t.db, t.path, { log: silentLogger(), intervalMs: 20 });
    // The thread has its connection once it has checkpointed the row into the database file.
    await waitFor(() => {
      try {
        return rowsInMainFile('filler') === 1;
      } catch {
        return false;
      }
    });
    const stopping = checkpointer.stop();
    expect(stopping).toBeInstanceOf(Promise);
    await stopping;
    checkpointer = undefined;
    sqlite.close();
    expect(existsSync(`${t.path}-wal`)).toBe(false);
  });

  it('sets the main connection’s backstop as asked', async () => {
    t = tempDb();
    checkpointer = startWalCheckpointer(t.db, t.path, { log: silentLogger(), backstopPages: 3_000 });
    expect(t.db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(3_000);
  });

  it('warns when a background checkpoint fails, and says the main connection still checkpoints', async () => {
    t = tempDb();
    const notADatabase = join(t.dir, 'not-a-database');
    writeFileSync(notADatabase, 'x'.repeat(4_096));
    const warnings: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const log = { ...silentLogger(), warn: (obj: Record<string, unknown>, msg: string) => warnings.push({ obj, msg }) };
    checkpointer = startWalCheckpointer(t.db, notADatabase, { log: log as never, intervalMs: 20 });
    await waitFor(() => warnings.length > 0, 10_000, 'the warning');
    expect(warnings[0]).toEqual({
      obj: { err: expect.stringMatching(/not a database/) },
      msg: expect.stringMatching(/background WAL checkpoint failed/),
    });
  });

  it('logs an error when its thread dies, and still stops', async () => {
    t = tempDb();
    const errors: Array<{ obj: Record<string, unknown>; msg: string }> = [];
    const log = { ...silentLogger(), error: (obj: Record<string, unknown>, msg: string) => errors.push({ obj, msg }) };
    // The thread cannot open a file in a directory that is not there: it throws, and the thread ends.
    checkpointer = startWalCheckpointer(t.db, join(t.dir, 'gone', 'koe.db'), { log: log as never, intervalMs: 20 });
    await waitFor(() => errors.length > 0, 10_000, 'the error');
    expect(errors[0]!.obj.err).toBeInstanceOf(Error);
    expect(errors[0]!.msg).toMatch(/WAL checkpoint thread stopped/);
    await checkpointer.stop();
  });
});
