/**
 * Multinomial logistic regression (softmax) over sparse vectors, trained with
 * SGD and L2 regularisation. Pure and deterministic for a given seed.
 *
 * There is deliberately no bias term: scores come only from terms in the text,
 * so a blank or foreign text scores near-uniform and abstains, instead of
 * inheriting the most common reason from the label prior (in a lopsided
 * taxonomy that prior alone can clear the threshold). On BANKING77 this costs
 * no accuracy.
 */
import { seededRandom, shuffleInPlace } from './classifier-random.ts';
import type { SparseVector } from './features-tfidf.ts';

/** Training knobs. Defaults are in {@link DEFAULT_SOFTMAX_OPTIONS}. */
export interface SoftmaxOptions {
  /**
   * Passes over the training set. When omitted, enough passes for about
   * `minSteps` updates, so a dozen labels get as many updates as they need
   * and tens of thousands are not walked over needlessly.
   */
  epochs?: number;
  /** Lower bound on updates when `epochs` is omitted. */
  minSteps: number;
  /** Step size at the start; it decays linearly to ~0 by the last update. */
  learningRate: number;
  /** L2 penalty per update (λ): larger means flatter, less confident probabilities. */
  l2: number;
  /** Seed for the example order. */
  seed: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = {
  minSteps: 40_000,
  learningRate: 2,
  l2: 1e-6,
  seed: 1,
};

const MIN_EPOCHS = 2;
const MAX_EPOCHS = 500;

/** The passes {@link trainSoftmax} makes over `count` examples when no `epochs` is given. */
export function epochsFor(count: number, minSteps = DEFAULT_SOFTMAX_OPTIONS.minSteps): number {
  return Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.ceil(minSteps / Math.max(1, count))));
}

/** Trained weights, laid out `weights[feature * classes + class]`. */
export interface SoftmaxModel {
  readonly classes: number;
  readonly features: number;
  readonly weights: Float32Array;
  /**
   * The dense block's weights (a sentence embedding, features-dense.ts), laid out class by class:
   * `dense[class * denseDims + i]`. Every text fills the whole block, so each class's score is one
   * contiguous dot product, twice as fast as the sparse layout's stride over classes.
   */
  readonly denseDims?: number;
  readonly dense?: Float32Array;
}

// Below this |p − y| a class's weights are not touched: the update would be
// noise, and skipping it makes later epochs several times faster.
const NEGLIGIBLE_GRADIENT = 1e-3;

/** Trains a softmax model on `vectors` whose classes (0 … classes−1) are `labels`. */
export function trainSoftmax(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  features: number,
  options: Partial<SoftmaxOptions> = {},
  denseDims = 0,
): SoftmaxModel {
  const opts = { ...DEFAULT_SOFTMAX_OPTIONS, ...options };
  const weights = new Float32Array(features * classes);
  const dense = new Float32Array(denseDims * classes);
  const model: SoftmaxModel = { classes, features, weights, denseDims, dense };
  if (vectors.length === 0 || classes < 2) return model;

  const epochs = opts.epochs ?? epochsFor(vectors.length, opts.minSteps);
  const random = seededRandom(opts.seed);
  const order = Int32Array.from(vectors.keys());
  const probabilities = new Float64Array(classes);
  const active = new Int32Array(classes);
  const gradient = new Float64Array(classes);
  // The true weights are scale × weights: L2 decay then costs one multiply per
  // update instead of a pass over every weight (Bottou's trick for sparse SGD).
  let scale = 1;
  let step = 0;
  const totalSteps = epochs * vectors.length;

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const n of order) {
      const x = vectors[n]!;
      const y = labels[n]!;
      // Linear decay to (nearly) zero acts like averaging the last iterates:
      // the final model does not depend on which example happened to come last.
      const rate = opts.learningRate * Math.max(1e-4, 1 - step++ / totalSteps);
      scoresInto(model, x, scale, probabilities);
      softmaxInPlace(probabilities);

      let activeCount = 0;
      for (let c = 0; c < classes; c++) {
        const g = probabilities[c]! - (c === y ? 1 : 0);
        if (g > NEGLIGIBLE_GRADIENT || g < -NEGLIGIBLE_GRADIENT) {
          active[activeCount++] = c;
          gradient[c] = g;
        }
      }

      scale *= 1 - rate * opts.l2;
      const { indices, values } = x;
      const stepSize = rate / scale;
      for (let k = 0; k < indices.length; k++) {
        const row = indices[k]! * classes;
        const xv = values[k]! * stepSize;
        for (let a = 0; a < activeCount; a++) {
          const c = active[a]!;
          weights[row + c] = weights[row + c]! - xv * gradient[c]!;
        }
      }
      if (x.dense && denseDims > 0) updateDense(dense, x.dense, active, activeCount, gradient, stepSize);
      if (scale < 1e-6) {
        // Fold the scale back in before Float32 weights lose precision.
        rescale(weights, scale);
        rescale(dense, scale);
        scale = 1;
      }
    }
  }
  rescale(weights, scale);
  rescale(dense, scale);
  return model;
}

function rescale(weights: Float32Array, scale: number): void {
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
}

/** The SGD step on the dense block, for the classes whose gradient is not negligible. */
function updateDense(
  dense: Float32Array,
  x: Float32Array,
  active: Int32Array,
  activeCount: number,
  gradient: Float64Array,
  stepSize: number,
): void {
  const dims = x.length;
  for (let a = 0; a < activeCount; a++) {
    const c = active[a]!;
    const g = gradient[c]! * stepSize;
    const base = c * dims;
    for (let i = 0; i < dims; i++) dense[base + i] = dense[base + i]! - g * x[i]!;
  }
}

/** Writes the class probabilities of `x` into `out` (length = classes). */
export function predictInto(model: SoftmaxModel, x: SparseVector, out: Float64Array): void {
  scoresInto(model, x, 1, out);
  softmaxInPlace(out);
}

function scoresInto(model: SoftmaxModel, x: SparseVector, scale: number, out: Float64Array): void {
  const { classes, weights } = model;
  out.fill(0);
  const { indices, values } = x;
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k]! * classes;
    const xv = values[k]! * scale;
    for (let c = 0; c < classes; c++) out[c] = out[c]! + weights[row + c]! * xv;
  }
  if (x.dense && model.dense && x.dense.length === model.denseDims) addDenseScores(model.dense, x.dense, scale, out);
}

/** Adds each class's dot product with the dense block; four sums at once keep the CPU's adders busy. */
function addDenseScores(dense: Float32Array, x: Float32Array, scale: number, out: Float64Array): void {
  const dims = x.length;
  const whole = dims - (dims % 4);
  for (let c = 0; c < out.length; c++) {
    const base = c * dims;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < whole; i += 4) {
      s0 += dense[base + i]! * x[i]!;
      s1 += dense[base + i + 1]! * x[i + 1]!;
      s2 += dense[base + i + 2]! * x[i + 2]!;
      s3 += dense[base + i + 3]! * x[i + 3]!;
    }
    for (; i < dims; i++) s0 += dense[base + i]! * x[i]!;
    out[c] = out[c]! + (s0 + s1 + s2 + s3) * scale;
  }
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < scores.length; c++) if (scores[c]! > max) max = scores[c]!;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    const e = Math.exp(scores[c]! - max);
    scores[c] = e;
    sum += e;
  }
  for (let c = 0; c < scores.length; c++) scores[c] = scores[c]! / sum;
}
