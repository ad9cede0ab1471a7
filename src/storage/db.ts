import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { GIT_IGNORE, ignoreInGit } from '../lib/git-ignore.ts';
import { createPrivate, type ModeLog, PRIVATE_FILE, privateDir, tighten } from '../lib/private-files.ts';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The migrations drizzle-kit generated, shipped at the repository's top level. */
export const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** The files SQLite keeps beside the database: the WAL, its shared-memory index, a rollback journal. */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

export interface OpenDbOptions {
  /** Where a file found readable by other local users, and tightened, is named. */
  log?: ModeLog;
  /** Other files koe keeps in the database's directory (the intake token), so it counts as koe's own. */
  companions?: readonly string[];
}

/**
 * Opens (creating if needed) the SQLite file with the pragmas koe relies on: WAL so readers never
 * block the writer, synchronous=NORMAL (an acknowledged inquiry survives a killed or crashed koe; a
 * power cut may roll back the last commits, SQLite's trade-off for WAL + NORMAL; FULL cost an fsync
 * per request), foreign keys on, and a busy timeout so a second process waits instead of failing.
 *
 * The database holds customer data, so only its owner may read it, whatever the umask: the directory
 * is created 0700, the file is created 0600 before SQLite opens it (never a moment readable by
 * others), and SQLite gives the WAL and shared-memory files it creates the database's mode. Any of
 * them found looser (left by an older koe, or copied) is tightened before the database is opened,
 * and the WAL and shared-memory files are checked again once SQLite has them open.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  const { log, companions = [] } = options;
  const files = [path, ...SIDE_FILES.map((suffix) => `${path}${suffix}`)];
  if (path !== ':memory:') {
    const own = new Set([...files.map((f) => basename(f)), ...companions, GIT_IGNORE]);
    const ownTemp = (name: string) => companions.some((c) => name.startsWith(`.${c}.`) && name.endsWith('.tmp'));
    privateDir(dirname(path), (name) => own.has(name) || ownTemp(name), log);
    ignoreInGit(dirname(path), (name) => own.has(name) || ownTemp(name));
    createPrivate(path);
    for (const file of files) tighten(file, PRIVATE_FILE, log);
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  if (path !== ':memory:') for (const file of files.slice(1)) tighten(file, PRIVATE_FILE, log);
  return drizzle(sqlite, { schema }) as Db;
}

/** Applies pending migrations from `drizzle/`; safe to run on every start. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
}
