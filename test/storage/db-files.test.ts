import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/storage/db.ts';
import { tempDir } from '../helpers/temp-db.ts';

/**
 * openDb in process (test/cli/file-modes.test.ts checks the same through a started koe, in a child
 * process): the database, its WAL and shared-memory files 0600 and its directory 0700, what counts
 * as koe's own directory, and a `.gitignore` only there.
 */

// The umask is left as it is: Stryker runs tests in worker threads, where process.umask(mask) throws.
// Under the usual 022 new files would be 0644 unless koe says otherwise, and the loose files
// below are made loose by chmod, whatever the umask.

let dir: ReturnType<typeof tempDir>;
let db: Db | undefined;
afterEach(() => {
  db?.$client.close();
  db = undefined;
  dir.cleanup();
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

function recorder() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, log: { warn: (obj: Record<string, unknown>) => lines.push(obj) } as never };
}

/** A data directory as an older koe (or a copy under umask 022) left it: everything readable by others. */
function looseDataDir(files: string[]): string {
  dir = tempDir();
  const data = join(dir.dir, 'data');
  mkdirSync(data);
  for (const f of files) {
    writeFileSync(join(data, f), '');
    chmodSync(join(data, f), 0o644);
  }
  chmodSync(data, 0o755);
  return data;
}

describe('the database file and its directory', () => {
  it('creates a new directory 0700, the database and its WAL files 0600, and a .gitignore there', () => {
    dir = tempDir();
    const data = join(dir.dir, 'new', 'data');
    const path = join(data, 'koe.db');
    db = openDb(path);
    db.$client.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)'); // the WAL has something in it
    expect(modeOf(data)).toBe(0o700);
    for (const f of ['koe.db', 'koe.db-wal', 'koe.db-shm']) expect([f, modeOf(join(data, f))]).toEqual([f, 0o600]);
    expect(readdirSync(data).sort()).toEqual(['.gitignore', 'koe.db', 'koe.db-shm', 'koe.db-wal']);
  });

  it('opens with the pragmas koe relies on', () => {
    dir = tempDir();
    db = openDb(join(dir.dir, 'koe.db'));
    const pragma = (name: string) => db!.$client.pragma(name, { simple: true });
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1); // NORMAL
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
  });

  it('tightens a directory of koe’s own files left loose (database, side files, companions and their temp files)', () => {
    const files = ['koe.db', 'koe.db-wal', 'koe.db-shm', 'koe.db-journal', 'intake-token', '.intake-token.123.ab.tmp'];
    const data = looseDataDir(files);
    const { lines, log } = recorder();
    db = openDb(join(data, 'koe.db'), { log, companions: ['intake-token'] });
    expect(modeOf(data)).toBe(0o700);
    // (SQLite deletes the empty journal as it opens; it was tightened before, as the warnings say.)
    for (const f of ['koe.db', 'koe.db-wal', 'koe.db-shm']) expect([f, modeOf(join(data, f))]).toEqual([f, 0o600]);
    expect(existsSync(join(data, '.gitignore'))).toBe(true);
    expect(lines.map((l) => l.path)).toEqual(
      expect.arrayContaining([
        data,
        ...['koe.db', 'koe.db-wal', 'koe.db-shm', 'koe.db-journal'].map((f) => join(data, f)),
      ]),
    );
  });

  it.each([
    ['another file', 'notes.txt'],
    ['a companion not named', 'intake-token'],
    ['a temp file of no companion', '.notes.123.tmp'],
    ['a companion’s name without the temp file’s dot', 'intake-token.123.tmp'],
    ['a companion’s temp name not ending in .tmp', '.intake-token.123.bak'],
  ])(
    'leaves a directory holding %s as it is (mode, no .gitignore), and still makes the database 0600',
    (_what, other) => {
      const data = looseDataDir(['koe.db', other]);
      const companions = other.includes('intake-token') && other !== 'intake-token' ? ['intake-token'] : [];
      const { lines, log } = recorder();
      db = openDb(join(data, 'koe.db'), { log, companions });
      expect(modeOf(data)).toBe(0o755);
      expect(existsSync(join(data, '.gitignore'))).toBe(false);
      expect(modeOf(join(data, 'koe.db'))).toBe(0o600);
      expect(lines).toContainEqual(expect.objectContaining({ path: data, mode: '0755' }));
    },
  );

  it('treats a companion’s temp file as koe’s own (an intake token being written)', () => {
    const data = looseDataDir(['koe.db', '.intake-token.4242.ff.tmp']);
    db = openDb(join(data, 'koe.db'), { companions: ['intake-token'] });
    expect(modeOf(data)).toBe(0o700);
    expect(existsSync(join(data, '.gitignore'))).toBe(true);
  });

  it('keeps an existing .gitignore as it is', () => {
    const data = looseDataDir(['koe.db']);
    writeFileSync(join(data, '.gitignore'), 'mine\n');
    db = openDb(join(data, 'koe.db'));
    expect(modeOf(data)).toBe(0o700); // .gitignore is koe's own name in its directory
    expect(statSync(join(data, '.gitignore')).size).toBe(5);
  });

  it('creates no file for an in-memory database', () => {
    dir = tempDir();
    const before = readdirSync('.');
    db = openDb(':memory:');
    db.$client.exec('CREATE TABLE t (x)');
    expect(readdirSync('.')).toEqual(before);
  });
});
