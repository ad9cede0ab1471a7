import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.ts';
import { createEmbeddingStore } from '../../src/storage/embedding-store.ts';
import { tempDb } from '../helpers/temp-db.ts';

const vec = (...xs: number[]) => Float32Array.from(xs);
const hash = (i: number) => i.toString(16).padStart(64, '0');

describe('the embedding store', () => {
  let t: ReturnType<typeof tempDb>;
  afterEach(() => t.cleanup());

  it('gives back exactly the numbers saved, per model, and nothing for an unknown hash', () => {
    t = tempDb();
    const store = createEmbeddingStore(t.db);
    store.save('m1', [{ hash: hash(1), vector: vec(0.5, -1.25, 3e-8) }], 1000);
    store.save('m2', [{ hash: hash(1), vector: vec(9, 9, 9) }], 1000);
    const found = store.load('m1', [hash(1), hash(2)]);
    expect([...found.keys()]).toEqual([hash(1)]);
    expect(found.get(hash(1))).toEqual(vec(0.5, -1.25, 3e-8));
    expect(store.load('m2', [hash(1)]).get(hash(1))).toEqual(vec(9, 9, 9));
    expect(store.load('m3', [hash(1)]).size).toBe(0);
  });

  it('keeps the first embedding of a text (the same text embeds the same)', () => {
    t = tempDb();
    const store = createEmbeddingStore(t.db);
    store.save('m', [{ hash: hash(1), vector: vec(1, 2) }], 1000);
    store.save('m', [{ hash: hash(1), vector: vec(3, 4) }], 2000);
    expect(store.load('m', [hash(1)]).get(hash(1))).toEqual(vec(1, 2));
  });

  it('saves from a view into a larger buffer only the view’s numbers', () => {
    t = tempDb();
    const store = createEmbeddingStore(t.db);
    const whole = vec(1, 2, 3, 4, 5);
    store.save('m', [{ hash: hash(1), vector: whole.subarray(1, 3) }], 1000);
    expect(store.load('m', [hash(1)]).get(hash(1))).toEqual(vec(2, 3));
  });

  it('looks up more hashes than one query may bind (SQLite takes 32,766 parameters)', () => {
    t = tempDb();
    const store = createEmbeddingStore(t.db);
    const entries = Array.from({ length: 33_000 }, (_, i) => ({ hash: hash(i), vector: vec(i, -i) }));
    store.save('m', entries, 1000);
    const found = store.load('m', [...entries.map((e) => e.hash), hash(99_999)]);
    expect(found.size).toBe(33_000);
    expect(found.get(hash(32_999))).toEqual(vec(32_999, -32_999));
  });

  it('looks up no hashes without asking the database anything wrong', () => {
    t = tempDb();
    expect(createEmbeddingStore(t.db).load('m', []).size).toBe(0);
  });

  it('keeps only the given hashes of one model, and every other model’s', () => {
    t = tempDb();
    const store = createEmbeddingStore(t.db);
    store.save(
      'm',
      [1, 2, 3].map((i) => ({ hash: hash(i), vector: vec(i) })),
      1000,
    );
    store.save('other', [{ hash: hash(1), vector: vec(7) }], 1000);
    store.keepOnly('m', new Set([hash(2), hash(9)]));
    expect([...store.load('m', [hash(1), hash(2), hash(3)]).keys()]).toEqual([hash(2)]);
    expect(store.load('other', [hash(1)]).size).toBe(1);
  });

  it('outlives the connection: a restart reads what was saved', () => {
    t = tempDb();
    createEmbeddingStore(t.db).save('m', [{ hash: hash(5), vector: vec(0.25) }], 1000);
    const reopened = openDb(t.path);
    try {
      expect(
        createEmbeddingStore(reopened)
          .load('m', [hash(5)])
          .get(hash(5)),
      ).toEqual(vec(0.25));
    } finally {
      reopened.$client.close();
    }
  });
});
