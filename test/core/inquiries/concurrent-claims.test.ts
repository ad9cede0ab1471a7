import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { claim, createInquiry } from '../../../src/core/inquiries/index.ts';
import { events } from '../../../src/storage/schema/index.ts';
import { coreContext, tempDb } from '../../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb> | undefined;
afterEach(() => t?.cleanup());

function startChild(dbPath: string, inquiryId: number, actor: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/claim-child.ts', dbPath, String(inquiryId), actor],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  const ready = new Promise<void>((resolve) => {
    const check = () => (out.includes('ready\n') ? resolve() : child.stdout.once('data', check));
    check();
  });
  const result = once(child, 'exit').then(() => JSON.parse(out.split('\n')[1]!) as { ok: boolean; code?: string });
  return { child, ready, result };
}

describe('claiming under concurrency', () => {
  it('gives the claim to exactly one of eight processes claiming the same inquiry at once', async () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const created = createInquiry(ctx, { source: 'web', body: 'race me' });
    if (!created.ok) throw new Error(created.code);
    const id = created.inquiry.id;

    const children = Array.from({ length: 8 }, (_, i) => startChild(t!.path, id, `discord:agent${i}`));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.end('go\n');
    const outcomes = await Promise.all(children.map((c) => c.result));

    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok).every((o) => o.code === 'ALREADY_CLAIMED')).toBe(true);
    expect(t.db.select().from(events).where(eq(events.type, 'claimed')).all()).toHaveLength(1);
  }, 30_000);

  it('lets exactly one of many in-process claims win when they interleave on the event loop', async () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const created = createInquiry(ctx, { source: 'web', body: 'race me' });
    if (!created.ok) throw new Error(created.code);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        Promise.resolve().then(() => claim(ctx, { inquiryId: created.inquiry.id, actor: { id: `u${i}` } })),
      ),
    );
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
  });
});
