import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadModel } from '../../src/storage/read-model.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const setMetadata = (id: number, json: string) =>
  t.db.$client.prepare(`UPDATE inquiries SET metadata = ? WHERE id = ?`).run(json, id);

describe('a list page within a byte budget (ListFilter.maxBytes)', () => {
  it('ends early with a cursor, gives at least one item however large, and the cursors reach every row once', () => {
    const ids = Array.from({ length: 6 }, (_, i) =>
      addInquiry(t.db, { receivedAt: 1_000 + i, body: 'x'.repeat(3_000) }),
    );
    setMetadata(ids[2]!, JSON.stringify({ big: 'm'.repeat(50_000) })); // alone over the budget
    const model = createReadModel(t.db);
    const seen: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = model.listInquiries({ order: 'oldest', limit: 50, maxBytes: 8_000, cursor });
      seen.push(page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen.length < 10);
    // Two 3 KB rows (and their allowance) fit in 8 KB; the 50 KB one comes alone.
    expect(seen).toEqual([[ids[0], ids[1]], [ids[2]], [ids[3], ids[4]], [ids[5]]]);
  });

  it('counts metadata only when the items carry it, and the body only as cut', () => {
    for (let i = 0; i < 10; i++) {
      const id = addInquiry(t.db, { receivedAt: 1_000 + i, body: 'x'.repeat(20_000) });
      setMetadata(id, JSON.stringify({ big: 'm'.repeat(20_000) }));
    }
    const model = createReadModel(t.db);
    const page = (over: object) => model.listInquiries({ limit: 50, maxBytes: 30_000, ...over });
    expect(page({}).items).toHaveLength(1);
    expect(page({ bodyChars: 500 }).items).toHaveLength(1);
    const summaries = page({ bodyChars: 500, metadata: false });
    expect(summaries.items).toHaveLength(10);
    expect(summaries.nextCursor).toBeNull();
    expect(summaries.items[0]).toMatchObject({ body: 'x'.repeat(500), bodyTruncated: true, metadata: null });
  });

  it('cuts the body by characters, not UTF-16 units, and keeps a body that fits whole', () => {
    const cut = addInquiry(t.db, { receivedAt: 1, body: `${'😀'.repeat(5)}!` });
    const whole = addInquiry(t.db, { receivedAt: 2, body: '😀'.repeat(5) });
    const items = createReadModel(t.db).listInquiries({ order: 'oldest', limit: 10, bodyChars: 5 }).items;
    expect(items.map((i) => [i.id, i.body, i.bodyTruncated])).toEqual([
      [cut, '😀'.repeat(5), true],
      [whole, '😀'.repeat(5), false],
    ]);
  });

  it('cuts a body holding a NUL character where it should (SQLite’s substr() would stop at the NUL)', () => {
    addInquiry(t.db, { receivedAt: 1, body: 'ab\u0000cdefgh' });
    addInquiry(t.db, { receivedAt: 2, body: 'ab\u0000c' });
    const items = createReadModel(t.db).listInquiries({ order: 'oldest', limit: 10, bodyChars: 4 }).items;
    expect(items.map((i) => [i.body, i.bodyTruncated])).toEqual([
      ['ab\u0000c', true],
      ['ab\u0000c', false],
    ]);
  });
});
