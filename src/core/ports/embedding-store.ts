/**
 * Sentence embeddings kept across restarts (learning/sentence-encoder.ts), keyed by the encoder's
 * name and a hash of the text it read. Only the current labels' are kept: `keepOnly` drops the rest.
 */
export interface EmbeddingStore {
  /** The stored embeddings among `hashes`, by hash. */
  load(model: string, hashes: readonly string[]): Map<string, Float32Array>;
  save(model: string, entries: ReadonlyArray<{ hash: string; vector: Float32Array }>, nowMs: number): void;
  /** Deletes the model's embeddings whose hash is not in `hashes`. */
  keepOnly(model: string, hashes: ReadonlySet<string>): void;
}
