import { describe, expect, it } from 'vitest';
import type { SentenceEncoder } from '../../src/learning/sentence-encoder.ts';
import { trainWithEncoder } from '../../src/learning/train-in-thread.ts';

// The labels' words cannot tell the reasons apart; the encoder's (made-up) embeddings can. So a
// model that names them right was trained on the embeddings and classifies with the encoder.
const WORDS = ['please help me', 'help me please', 'me please help'];
const labels = ['refund', 'login'].flatMap((reasonId) =>
  Array.from({ length: 15 }, (_, i) => ({
    text: `${WORDS[i % 3]} ${reasonId === 'refund' ? 'r' : 'l'}${i}`,
    reasonId,
  })),
);
const vectorOf = (text: string) => (/ r\d+$|money/.test(text) ? Float32Array.of(1, 0) : Float32Array.of(0, 1));

function countingEncoder() {
  const calls = { all: [] as string[][], one: [] as string[] };
  const encoder: SentenceEncoder = {
    embed(text) {
      calls.one.push(text);
      return vectorOf(text);
    },
    async embedAll(texts) {
      calls.all.push([...texts]);
      return texts.map(vectorOf);
    },
    prefetch: async () => {},
    close: async () => {},
  };
  return { encoder, calls };
}

describe('training with the sentence encoder', () => {
  it('embeds every label once, trains on the embeddings and classifies with the encoder', async () => {
    const { encoder, calls } = countingEncoder();
    const model = await trainWithEncoder(labels, { epochs: 30 }, encoder);
    expect(calls.all).toEqual([labels.map((l) => l.text)]);
    expect(model.classify('please help me money', 0).ranked[0]?.reasonId).toBe('refund');
    expect(model.classify('please help me', 0).ranked[0]?.reasonId).toBe('login');
    expect(calls.one).toEqual(['please help me money', 'please help me']);
  });

  it('trains on words alone without an encoder', async () => {
    const model = await trainWithEncoder(labels, { epochs: 30, calibrate: false }, null);
    // Words alone cannot tell these reasons apart: neither is likely.
    expect(model.classify('please help me money', 0).confidence).toBeLessThan(0.6);
  });
});
