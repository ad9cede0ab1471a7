import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { migrateDb, openDb } from '../../src/storage/db.ts';
import { deliveries } from '../../src/storage/schema/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { coreContext, tempDir } from '../helpers/temp-db.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('koe deliveries', () => {
  it('lists dead-lettered deliveries and puts them back in the queue', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dbPath = join(t.dir, 'koe.db');
    const db = openDb(dbPath);
    migrateDb(db);
    const ctx = coreContext(db);
    for (const body of ['a', 'b', 'c']) createInquiry(ctx, { source: 'web', body });
    db.update(deliveries)
      .set({ status: 'dead', attempts: 10, lastError: 'channel_not_found' })
      .where(eq(deliveries.id, 2))
      .run();
    db.update(deliveries)
      .set({ status: 'dead', attempts: 10, lastError: 'http 503' })
      .where(eq(deliveries.id, 3))
      .run();
    const env = { DATABASE_URL: dbPath };

    const list = await runCli(['deliveries'], { cwd: t.dir, env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/3\s+post\s+#3 → everyone \(console:stdout\)\s+attempts=10\s+http 503/);
    expect(list.stdout).toContain('channel_not_found');

    expect((await runCli(['deliveries', 'retry'], { cwd: t.dir, env })).code).toBe(2);
    const one = await runCli(['deliveries', 'retry', '--id', '2'], { cwd: t.dir, env });
    expect(one.stdout).toContain('requeued 1 dead delivery');
    expect(db.select().from(deliveries).where(eq(deliveries.id, 2)).get()).toMatchObject({
      status: 'pending',
      attempts: 0,
    });
    const all = await runCli(['deliveries', 'retry', '--all'], { cwd: t.dir, env });
    expect(all.stdout).toContain('requeued 1 dead delivery');
    expect((await runCli(['deliveries'], { cwd: t.dir, env })).stdout).toContain('no dead deliveries');
    db.$client.close();
  }, 40_000);
});
