import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../../../src/core/reasons/classifier-random.ts';
import {
  DEFAULT_SOFTMAX_OPTIONS,
  epochsFor,
  predictInto,
  trainSoftmax,
} from '../../../src/core/reasons/classifier-softmax.ts';
import type { SparseVector } from '../../../src/core/reasons/features-tfidf.ts';

// Small, exact checks of the SGD (the classifier's tests check that it learns): every weight after a
// few updates against plain dense SGD written out here, and the probabilities of a known model.

const vector = (entries: [number, number][]): SparseVector => ({
  indices: Int32Array.from(entries, ([i]) => i),
  values: Float32Array.from(entries, ([, v]) => v),
});

/**
 * Plain SGD on the same example order: the true weights decay by (1 − rate·λ), then step by
 * rate·x·(p − y), the rate decaying linearly from `learningRate` to 1e-4 of it.
 */
function denseSgd(
  vectors: SparseVector[],
  labels: number[],
  classes: number,
  features: number,
  o: { epochs: number; learningRate: number; l2: number; seed: number },
): number[] {
  const w = new Array<number>(features * classes).fill(0);
  const random = seededRandom(o.seed);
  const order = Int32Array.from(vectors.keys());
  const total = o.epochs * vectors.length;
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const n of order) {
      const x = vectors[n]!;
      const rate = o.learningRate * Math.max(1e-4, 1 - step++ / total);
      const scores = Array.from({ length: classes }, (_, c) =>
        [...x.indices].reduce((s, f, k) => s + w[f * classes + c]! * x.values[k]!, 0),
      );
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let i = 0; i < w.length; i++) w[i] = w[i]! * (1 - rate * o.l2);
      x.indices.forEach((f, k) => {
        for (let c = 0; c < classes; c++) {
          w[f * classes + c] = w[f * classes + c]! - rate * x.values[k]! * (e[c]! / sum - (c === labels[n] ? 1 : 0));
        }
      });
    }
  }
  return w;
}

// Three classes over four features; the last feature is shared by everything.
const toy = [
  vector([
    [0, 1],
    [3, 0.5],
  ]),
  vector([
    [1, 0.8],
    [3, 0.6],
  ]),
  vector([
    [2, 0.9],
    [3, 0.4],
  ]),
  vector([
    [0, 0.7],
    [1, 0.7],
  ]),
];
const toyLabels = [0, 1, 2, 0];

describe('trainSoftmax', () => {
  it('takes exactly the SGD steps of plain dense softmax regression, decay included', () => {
    const options = { epochs: 3, learningRate: 1.5, l2: 0.05, seed: 4 };
    const model = trainSoftmax(toy, Int32Array.from(toyLabels), 3, 4, options);
    expect(model.classes).toBe(3);
    expect(model.features).toBe(4);
    const expected = denseSgd(toy, toyLabels, 3, 4, options);
    expect(model.weights).toHaveLength(12);
    model.weights.forEach((w, i) => {
      expect(w).toBeCloseTo(expected[i]!, 5);
    });
    // Not all zero, and the decay matters: without it the weights would be larger.
    const noDecay = denseSgd(toy, toyLabels, 3, 4, { ...options, l2: 0 });
    expect(Math.abs(noDecay[0]! - expected[0]!)).toBeGreaterThan(0.01);
  });

  it('takes its defaults for the knobs not given, and its passes from minSteps', () => {
    const model = trainSoftmax(toy, Int32Array.from(toyLabels), 3, 4, { minSteps: 12 });
    // 12 updates over 4 examples: 3 passes at the default rate, decay and seed.
    const expected = denseSgd(toy, toyLabels, 3, 4, {
      epochs: 3,
      learningRate: DEFAULT_SOFTMAX_OPTIONS.learningRate,
      l2: DEFAULT_SOFTMAX_OPTIONS.l2,
      seed: DEFAULT_SOFTMAX_OPTIONS.seed,
    });
    model.weights.forEach((w, i) => {
      expect(w).toBeCloseTo(expected[i]!, 5);
    });
  });

  it('folds a shrinking scale back into the weights rather than letting them overflow', () => {
    // A decay of 0.6 per update shrinks the scale below 1e-6 every 15 updates; 400 updates would
    // take the Float32 weights past their range without the fold-back.
    const options = { epochs: 100, learningRate: 1, l2: 0.6, seed: 2 };
    const model = trainSoftmax(toy, Int32Array.from(toyLabels), 3, 4, options);
    const expected = denseSgd(toy, toyLabels, 3, 4, options);
    model.weights.forEach((w, i) => {
      expect(Number.isFinite(w)).toBe(true);
      expect(w).toBeCloseTo(expected[i]!, 4);
    });
  });

  it('leaves every weight 0 with no examples or fewer than two classes', () => {
    expect([...trainSoftmax([], new Int32Array(0), 3, 4).weights]).toEqual(new Array(12).fill(0));
    const one = trainSoftmax(toy, new Int32Array(4), 1, 4, { epochs: 2 });
    expect([...one.weights]).toEqual([0, 0, 0, 0]);
  });
});

describe('predictInto', () => {
  it('writes the softmax of the weighted sums', () => {
    // weights[feature * classes + class]: feature 0 → (1, 0), feature 1 → (0, 2).
    const model = { classes: 2, features: 2, weights: Float32Array.from([1, 0, 0, 2]) };
    const out = new Float64Array(2);
    predictInto(model, vector([[0, 1]]), out);
    expect(out[0]).toBeCloseTo(Math.E / (Math.E + 1), 12);
    expect(out[1]).toBeCloseTo(1 / (Math.E + 1), 12);
    // Written over whatever was there, and the scores add up across features.
    predictInto(
      model,
      vector([
        [0, 3],
        [1, 1],
      ]),
      out,
    );
    expect(out[0]).toBeCloseTo(Math.exp(3) / (Math.exp(3) + Math.exp(2)), 12);
    expect(out[0]! + out[1]!).toBeCloseTo(1, 12);
    // Large scores do not overflow.
    predictInto(model, vector([[1, 600]]), out);
    expect(out[1]).toBeCloseTo(1, 12);
    expect(out[0]).toBeGreaterThanOrEqual(0);
  });
});

describe('epochsFor', () => {
  it('makes enough passes for minSteps updates, between 2 and 500', () => {
    expect(epochsFor(10_000)).toBe(4);
    expect(epochsFor(1_000, 40_000)).toBe(40);
    expect(epochsFor(1_001, 40_000)).toBe(40);
    expect(epochsFor(999, 40_000)).toBe(41);
    expect(epochsFor(100_000)).toBe(2);
    expect(epochsFor(40_000)).toBe(2);
    expect(epochsFor(20)).toBe(500);
    expect(epochsFor(80)).toBe(500);
    expect(epochsFor(81)).toBe(494);
    expect(epochsFor(0, 300)).toBe(300);
    expect(epochsFor(1, 300)).toBe(300);
  });
});
