import { afterEach, describe, expect, it } from 'vitest';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { inquiries } from '../../src/storage/schema/index.ts';
import { createWriteBatcher } from '../../src/storage/write-batch.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
afterEach(() => t.cleanup());

describe('group commit', () => {
  it('commits concurrent writes together, and a failing one rolls back alone', async () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const batch = createWriteBatcher(t.db);
    const results = await Promise.allSettled([
      batch.run(() => createInquiry(ctx, { source: 'web', body: 'one' })),
      batch.run(() =>
        ctx.store.transaction((tx) => {
          tx.insertInquiry(
            {
              source: 'web',
              externalId: null,
              customerId: null,
              subject: null,
              body: 'doomed',
              url: null,
              reasonId: null,
              reasonSource: null,
              reasonConfidence: null,
              metadata: null,
              receivedAt: 1,
            },
            1,
          );
          throw new Error('boom');
        }),
      ),
      batch.run(() => createInquiry(ctx, { source: 'web', body: 'three' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(
      t.db
        .select({ body: inquiries.body })
        .from(inquiries)
        .all()
        .map((r) => r.body),
    ).toEqual(['one', 'three']);
  });

  it('answers nobody when the shared commit fails', async () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const batch = createWriteBatcher(t.db);
    // Another connection holds the write lock past the busy timeout: the batch cannot begin.
    const other = new (
      t.db.$client.constructor as new (
        path: string,
        opts: object,
      ) => import('better-sqlite3').Database
    )(t.path, {});
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    t.db.$client.pragma('busy_timeout = 50');
    const results = await Promise.allSettled([
      batch.run(() => createInquiry(ctx, { source: 'web', body: 'a' })),
      batch.run(() => createInquiry(ctx, { source: 'web', body: 'b' })),
    ]);
    other.exec('ROLLBACK');
    other.close();
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(t.db.select().from(inquiries).all()).toHaveLength(0);
  });

  it('answers each caller with what its job returned, and the failing job with its own error', async () => {
    t = tempDb();
    const batch = createWriteBatcher(t.db);
    const results = await Promise.allSettled([
      batch.run(() => 'first'),
      batch.run(() => 42),
      batch.run(() => {
        throw new Error('boom');
      }),
      batch.run(() => ({ id: 7 })),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'first' },
      { status: 'fulfilled', value: 42 },
      { status: 'rejected', reason: new Error('boom') },
      { status: 'fulfilled', value: { id: 7 } },
    ]);
    // Batches that all succeed answer from the first, optimistic run.
    expect(await Promise.all([batch.run(() => 1), batch.run(() => 2)])).toEqual([1, 2]);
  });

  it('keeps taking batches, one after another', async () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const batch = createWriteBatcher(t.db);
    for (const body of ['a', 'b', 'c']) {
      const out = await batch.run(() => createInquiry(ctx, { source: 'web', body }));
      expect(out.ok).toBe(true);
    }
    expect(t.db.select({ body: inquiries.body }).from(inquiries).all()).toEqual([
      { body: 'a' },
      { body: 'b' },
      { body: 'c' },
    ]);
  });

  it('runs a full batch at once, without waiting for the next turn of the event loop', async () => {
    t = tempDb();
    const batch = createWriteBatcher(t.db, 2);
    const ran: string[] = [];
    const first = batch.run(() => ran.push('one'));
    expect(ran).toEqual([]); // one of two: waits for the turn to end
    const second = batch.run(() => ran.push('two'));
    expect(ran).toEqual(['one', 'two']); // the second filled the batch: both ran, in order, right away
    const third = batch.run(() => ran.push('three'));
    expect(ran).toEqual(['one', 'two']);
    await Promise.all([first, second, third]);
    expect(ran).toEqual(['one', 'two', 'three']);
  });

  it('does not run jobs again when the commit itself fails (not one of the jobs)', async () => {
    t = tempDb();
    const batch = createWriteBatcher(t.db);
    let calls = 0;
    // Foreign keys checked at COMMIT: a job that breaks one throws nothing, and the commit fails.
    const results = await Promise.allSettled([
      batch.run(() => {
        calls += 1;
        t.db.$client.pragma('defer_foreign_keys = ON');
        t.db.$client
          .prepare(`INSERT INTO messages (inquiry_id, direction, body, created_at) VALUES (999, 'inbound', 'x', 0)`)
          .run();
      }),
      batch.run(() => 'fine'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(calls).toBe(1);
    expect(t.db.$client.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 0 });
  });
});
