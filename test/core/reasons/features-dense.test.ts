import { describe, expect, it } from 'vitest';
import { EMBEDDING_WEIGHT, embeddingDims, withEmbedding } from '../../../src/core/reasons/features-dense.ts';
import type { SparseVector } from '../../../src/core/reasons/features-tfidf.ts';

const words = (): SparseVector => ({ indices: Int32Array.of(0, 3), values: Float32Array.of(0.6, 0.8) });

describe('embeddingDims', () => {
  it('is 0 when no text has an embedding', () => {
    expect(embeddingDims([])).toBe(0);
    expect(embeddingDims([null, undefined])).toBe(0);
  });

  it('is the length the embeddings share, whichever texts lack one', () => {
    expect(embeddingDims([null, Float32Array.of(1, 2, 3), undefined, Float32Array.of(4, 5, 6)])).toBe(3);
  });

  it('refuses embeddings of two lengths (two encoders cannot be compared)', () => {
    expect(() => embeddingDims([Float32Array.of(1, 2), null, Float32Array.of(1, 2, 3)])).toThrow(
      'embeddings of 2 and 3 numbers cannot be mixed',
    );
  });
});

describe('withEmbedding', () => {
  it('gives the vector the embedding as its dense block, scaled to unit length times the block weight', () => {
    const x = withEmbedding(words(), Float32Array.of(3, 0, 4), 3);
    expect([...x.indices]).toEqual([0, 3]);
    expect([...x.values]).toEqual([...words().values]);
    expect(x.dense).toHaveLength(3);
    expect(x.dense![0]).toBeCloseTo(0.6 * EMBEDDING_WEIGHT);
    expect(x.dense![1]).toBe(0);
    expect(x.dense![2]).toBeCloseTo(0.8 * EMBEDDING_WEIGHT);
  });

  it('leaves the words alone when there is no embedding, or one of another length, or a zero one', () => {
    const x = words();
    expect(withEmbedding(x, null, 3)).toBe(x);
    expect(withEmbedding(x, undefined, 3)).toBe(x);
    expect(withEmbedding(x, Float32Array.of(1, 2), 3)).toBe(x);
    expect(withEmbedding(x, Float32Array.of(0, 0, 0), 3)).toBe(x);
    expect(withEmbedding(x, Float32Array.of(1, 2, 3), 0)).toBe(x);
  });

  it('does not change the embedding it was given', () => {
    const embedding = Float32Array.of(3, 4);
    withEmbedding(words(), embedding, 2);
    expect([...embedding]).toEqual([3, 4]);
  });
});
