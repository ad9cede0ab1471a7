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
});
