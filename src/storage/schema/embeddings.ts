import { blob, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The sentence embeddings of labeled texts (learning/sentence-encoder.ts), so a restart retrains in
 * seconds instead of embedding every English label again (about 10 ms each). Keyed by the encoder
 * and a SHA-256 of the text it read; only the current labels' are kept.
 */
export const textEmbeddings = sqliteTable(
  'text_embeddings',
  {
    model: text('model').notNull(),
    textHash: text('text_hash').notNull(),
    /** Float32 numbers, little-endian. */
    vector: blob('vector', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.textHash] })],
);
