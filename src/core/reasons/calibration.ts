/**
 * Confidence calibration (Platt scaling): turns the softmax's top probability into the probability
 * that the top reason is right, so a threshold of 0.6 means "right at least 6 times in 10".
 *
 * A softmax trained on a few dozen labels is timid (a right answer at 0.5) and one trained on
 * thousands is brash; neither number is a probability of being right. Platt scaling fits
 * P(right) = σ(a·logit(p) + b) on predictions the model made for labels it did not see (k-fold,
 * in classifier.ts), which keeps the order of confidences and fixes their scale. Pure.
 */

/** P(right) = σ(a·logit(p) + b); the identity is a = 1, b = 0. */
export interface Calibration {
  a: number;
  b: number;
}

export const IDENTITY: Calibration = { a: 1, b: 0 };

// The slope stays positive (a higher raw confidence never means a lower chance of being right) and
// bounded, so a fit on a handful of points cannot turn every answer into 0 or 1.
const MIN_SLOPE = 0.05;
const MAX_SLOPE = 20;
const EPSILON = 1e-6;

/** logit(p), with p kept off 0 and 1. */
function logit(p: number): number {
  const q = Math.min(1 - EPSILON, Math.max(EPSILON, p));
  return Math.log(q / (1 - q));
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The calibrated probability that a prediction with top probability `p` is right. */
export function calibrate(calibration: Calibration, p: number): number {
  if (p <= 0) return 0;
  return sigmoid(calibration.a * logit(p) + calibration.b);
}

/**
 * Fits Platt's sigmoid to held-out predictions: `scores[i]` is the top probability of prediction i
 * and `correct[i]` whether it was right. Uses Platt's smoothed targets, so a set with no mistakes
 * still says "not quite certain", and Newton's method (two parameters; a dozen steps converge).
 * Returns the identity when there is nothing to learn from (no example, or all right / all wrong
 * with fewer than 5 of them).
 */
export function fitPlatt(scores: ArrayLike<number>, correct: ArrayLike<boolean | number>): Calibration {
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (correct[i]) positives++;
  if (n < 5) return IDENTITY;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (n - positives + 2);
  const z = Float64Array.from({ length: n }, (_, i) => logit(scores[i]!));
  const t = Float64Array.from({ length: n }, (_, i) => (correct[i] ? hi : lo));
  let a = 1;
  let b = 0;
  for (let step = 0; step < 50; step++) {
    // Gradient and Hessian of the cross-entropy; a small ridge keeps the Hessian invertible.
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const d = p - t[i]!;
      const w = p * (1 - p);
      ga += d * z[i]!;
      gb += d;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-7 && Math.abs(db) < 1e-7) break;
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) return IDENTITY;
  return { a: Math.min(MAX_SLOPE, Math.max(MIN_SLOPE, a)), b };
}
