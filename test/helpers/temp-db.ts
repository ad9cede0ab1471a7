import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreContext, Route } from '../../src/core/context.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { DEFAULT_REACTION_ACTIONS } from '../../src/config/schema.ts';
import { migrateDb, openDb, type Db } from '../../src/storage/db.ts';
import { createSqliteStore } from '../../src/storage/sqlite-store.ts';

/** A temp directory removed by `cleanup`. */
export function tempDir(prefix = 'koe-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated SQLite file in a temp dir. */
export function tempDb(): { db: Db; path: string; dir: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'koe.db');
  const db = openDb(path);
  migrateDb(db);
  return {
    db,
    path,
    dir,
    cleanup: () => {
      db.$client.close();
      cleanup();
    },
  };
}

/** A settable clock, epoch ms. */
export function manualClock(startMs = Date.parse('2026-11-20T00:00:00Z')) {
  let t = startMs;
  return { now: () => t, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

/** A core context over `db` with default reasons and the given routes. */
export function coreContext(db: Db, overrides: Partial<CoreContext> = {}): CoreContext & { wakes: number } {
  const routes: Route[] = [{ name: 'everyone', platform: 'console', channel: 'stdout' }];
  const ctx = {
    store: createSqliteStore(db),
    now: Date.now,
    reasons: DEFAULT_REASONS,
    routes,
    reactions: DEFAULT_REACTION_ACTIONS,
    guessReason: () => null,
    onEnqueued: () => {
      ctx.wakes += 1;
    },
    wakes: 0,
    ...overrides,
  };
  return ctx;
}
