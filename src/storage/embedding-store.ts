import type { EmbeddingStore } from '../core/ports/embedding-store.ts';
import type { Db } from './db.ts';

/** SQLite's default limit on bound parameters is 32,766; a look-up binds one per hash plus the model. */
const HASHES_PER_QUERY = 500;

export function createEmbeddingStore(db: Db): EmbeddingStore {
  const sqlite = db.$client;
  const insert = sqlite.prepare<{ model: string; hash: string; vector: Buffer; at: number }>(
    `INSERT INTO text_embeddings (model, text_hash, vector, created_at) VALUES (@model, @hash, @vector, @at)
     ON CONFLICT (model, text_hash) DO NOTHING`,
  );
  const hashesOf = sqlite.prepare<[string], { hash: string }>(
    'SELECT text_hash AS hash FROM text_embeddings WHERE model = ?',
  );
  const remove = sqlite.prepare<[string, string]>('DELETE FROM text_embeddings WHERE model = ? AND text_hash = ?');

  function load(model: string, hashes: readonly string[]): Map<string, Float32Array> {
    const found = new Map<string, Float32Array>();
    for (let i = 0; i < hashes.length; i += HASHES_PER_QUERY) {
      const chunk = hashes.slice(i, i + HASHES_PER_QUERY);
      const rows = sqlite
        .prepare<string[], { hash: string; vector: Buffer }>(
          `SELECT text_hash AS hash, vector FROM text_embeddings WHERE model = ? AND text_hash IN (${chunk.map(() => '?').join(', ')})`,
        )
        .all(model, ...chunk);
      for (const row of rows) found.set(row.hash, toFloats(row.vector));
    }
    return found;
  }

  return {
    load,
    save: sqlite.transaction(
      (model: string, entries: ReadonlyArray<{ hash: string; vector: Float32Array }>, at: number) => {
        for (const { hash, vector } of entries) {
          insert.run({ model, hash, vector: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength), at });
        }
      },
    ),
    keepOnly: sqlite.transaction((model: string, keep: ReadonlySet<string>) => {
      for (const { hash } of hashesOf.all(model)) if (!keep.has(hash)) remove.run(model, hash);
    }),
  };
}

/** A copy, aligned: a Buffer from SQLite may start at any byte of a shared pool. */
function toFloats(buffer: Buffer): Float32Array {
  const out = new Float32Array(buffer.byteLength / 4);
  new Uint8Array(out.buffer).set(buffer);
  return out;
}
