/**
 * A sentence embedding as classifier features: a dense block after the TF-IDF and rule blocks.
 *
 * TF-IDF knows only the words the team's labels used; a sentence encoder trained on a large corpus
 * also knows their paraphrases ("my card hasn't shown up" near "card not arrived"). On BANKING77 the
 * two together name the right reason more often than either alone (the README's Benchmarks). The
 * encoder lives outside the core (src/learning/sentence-encoder.ts); here it is only numbers.
 */
import type { SparseVector } from './features-tfidf.ts';

/**
 * Scale of the embedding block against the word and character blocks (each of unit length).
 * Measured on BANKING77 over three seeds: 0.75–1.25 are within noise of each other, 0.5 and 2 lose.
 */
export const EMBEDDING_WEIGHT = 1;

/**
 * The length every embedding of `embeddings` shares, or 0 when there are none. Embeddings of
 * another length (from another encoder) are not comparable, so a mix is refused rather than guessed.
 */
export function embeddingDims(embeddings: readonly (Float32Array | null | undefined)[]): number {
  let dims = 0;
  for (const e of embeddings) {
    if (!e) continue;
    if (dims === 0) dims = e.length;
    else if (e.length !== dims) throw new Error(`embeddings of ${dims} and ${e.length} numbers cannot be mixed`);
  }
  return dims;
}

/**
 * `vector` with `embedding` as its dense block, scaled to unit length × EMBEDDING_WEIGHT. A text
 * without an embedding (another language than the encoder's, or no encoder) gets no block: its
 * words alone decide, as in a model trained without one.
 */
export function withEmbedding(
  vector: SparseVector,
  embedding: Float32Array | null | undefined,
  dims: number,
): SparseVector {
  if (!embedding || embedding.length !== dims || dims === 0) return vector;
  let sum = 0;
  for (let i = 0; i < dims; i++) sum += embedding[i]! * embedding[i]!;
  if (sum === 0) return vector;
  const scale = EMBEDDING_WEIGHT / Math.sqrt(sum);
  return { indices: vector.indices, values: vector.values, dense: embedding.map((v) => v * scale) };
}
