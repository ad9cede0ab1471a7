/**
 * Confidence calibration: turns the softmax's top probability, and how far it leads the runner-up,
 * into the probability that the top reason is right, so a threshold of 0.75 means "right at least
 * 3 times in 4".
 *
 * A softmax trained on a few dozen labels is timid (a right answer at 0.5) and one trained on
 * thousands is brash; neither number is a probability of being right. Platt scaling fits
 * P(right) = σ(a·logit(p₁) + c·log(p₁/p₂) + b) on predictions the model made for labels it did not
 * see (k-fold, in classifier.ts), which fixes their scale. The lead over the runner-up (Platt's
 * original uses p₁ alone) tells a close call between two reasons from a spread-out guess: on
 * BANKING77 it answers 86 % at 97.2 % right where p₁ alone answers 88 % at 96.6 % at the same
 * threshold, and the calibrated number stays as honest. Pure.
 */

/** P(right) = σ(a·logit(p₁) + c·log(p₁/p₂) + b); the identity is a = 1, b = 0, c = 0. */
export interface Calibration {
  a: number;
  b: number;
  /** Weight of the top reason's lead over the runner-up; absent in a model calibrated on p₁ alone. */
  c?: number;
}

export const IDENTITY: Calibration = { a: 1, b: 0 };

// The slopes stay non-negative (a higher raw confidence or a wider lead never means a lower chance
// of being right) and bounded, so a fit on a handful of points cannot turn every answer into 0 or 1.
const MIN_SLOPE = 0.05;
const MAX_SLOPE = 20;
const EPSILON = 1e-6;

/** logit(p), with p kept off 0 and 1. */
function logit(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

/** log(p₁/p₂), with both kept off 0; p₂ is 0 when there is no runner-up. */
function lead(p1: number, p2: number): number {
  return Math.log(Math.max(EPSILON, p1) / Math.max(EPSILON, p2));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The calibrated probability that a prediction with top probability `p1` (runner-up `p2`) is right. */
export function calibrate(calibration: Calibration, p1: number, p2 = 0): number {
  if (p1 <= 0) return 0;
  const { a, b, c = 0 } = calibration;
  return sigmoid(a * logit(p1) + (c === 0 ? 0 : c * lead(p1, p2)) + b);
}

/**
 * Fits the calibration to held-out predictions: `top[i]` and `second[i]` are the two highest
 * probabilities of prediction i and `correct[i]` whether it was right. Uses Platt's smoothed
 * targets, so a set with no mistakes still says "not quite certain", and Newton's method (three
 * parameters; a dozen steps converge). Returns the identity when there is nothing to learn from
 * (fewer than 5 predictions).
 */
export function fitPlatt(
  top: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  second?: ArrayLike<number>,
): Calibration {
  const n = top.length;
  if (n < 5) return IDENTITY;
  let positives = 0;
  for (let i = 0; i < n; i++) if (correct[i]) positives++;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  // Features per prediction: logit(p₁), the lead (0 without runners-up: then c stays 0), and 1.
  const x = Array.from({ length: n }, (_, i) => [logit(top[i]!), second ? lead(top[i]!, second[i]!) : 0, 1]);
  const t = Float64Array.from({ length: n }, (_, i) => (correct[i] ? hi : lo));
  const w = newton(x, t, second ? [0, 1, 2] : [0, 2]);
  if (!w.every(Number.isFinite)) return IDENTITY;
  const clamp = (v: number) => Math.min(MAX_SLOPE, Math.max(MIN_SLOPE, v));
  return second
    ? { a: clamp(w[0]!), b: w[2]!, c: Math.min(MAX_SLOPE, Math.max(0, w[1]!)) }
    : { a: clamp(w[0]!), b: w[2]! };
}

/**
 * Logistic regression by Newton's method on the features listed in `used` (the others stay 0),
 * starting from the identity; a small ridge keeps the Hessian invertible. A step that does not lower
 * the loss is halved: far from the optimum (predictions whose confidence runs against their
 * correctness, where the slope heads below the identity's 1) a full step overshoots, and the next
 * ones swing wider until the intercept is in the billions and every answer calibrates to 0 or 1.
 */
function newton(x: readonly number[][], t: Float64Array, used: readonly number[]): number[] {
  let w = [1, 0, 0];
  let current = loss(x, t, w);
  for (let step = 0; step < 50; step++) {
    const g = used.map(() => 0);
    const h = used.map(() => used.map(() => 0));
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const p = sigmoid(w[0]! * xi[0]! + w[1]! * xi[1]! + w[2]! * xi[2]!);
      const d = p - t[i]!;
      const v = p * (1 - p);
      used.forEach((j, r) => {
        g[r] = g[r]! + d * xi[j]!;
        used.forEach((k, q) => {
          h[r]![q] = h[r]![q]! + v * xi[j]! * xi[k]!;
        });
      });
    }
    used.forEach((_, r) => {
      h[r]![r] = h[r]![r]! + 1e-9;
    });
    const delta = solve(h, g);
    if (!delta) break;
    let size = 1;
    let next = stepped(w, used, delta, size);
    let nextLoss = loss(x, t, next);
    while (!(nextLoss <= current) && size > 1e-6) {
      size /= 2;
      next = stepped(w, used, delta, size);
      nextLoss = loss(x, t, next);
    }
    if (!(nextLoss <= current)) break;
    w = next;
    current = nextLoss;
    if (delta.every((d) => Math.abs(d * size) < 1e-7)) break;
  }
  return w;
}

/** `w` moved by `size` times −`delta` on the features listed in `used`. */
function stepped(w: readonly number[], used: readonly number[], delta: readonly number[], size: number): number[] {
  const next = [...w];
  used.forEach((j, r) => {
    next[j] = next[j]! - size * delta[r]!;
  });
  return next;
}

/** The logistic loss of `w`: the sum of −t·log σ(z) − (1 − t)·log(1 − σ(z)), computed without overflow. */
function loss(x: readonly number[][], t: Float64Array, w: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const z = w[0]! * xi[0]! + w[1]! * xi[1]! + w[2]! * xi[2]!;
    sum += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t[i]! * z;
  }
  return sum;
}

/** Solves `m · s = v` by Gaussian elimination with partial pivoting; null when `m` is singular. */
function solve(m: readonly number[][], v: readonly number[]): number[] | null {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (!(Math.abs(a[pivot]![col]!) > 1e-12)) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k] = a[r]![k]! - f * a[col]![k]!;
    }
  }
  const s = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let value = a[r]![n]!;
    for (let k = r + 1; k < n; k++) value -= a[r]![k]! * s[k]!;
    s[r] = value / a[r]![r]!;
  }
  return s;
}
