import { describe, expect, it } from 'vitest';
import { calibrate, fitPlatt, IDENTITY } from '../../../src/core/reasons/calibration.ts';
import { seededRandom } from '../../../src/core/reasons/classifier-random.ts';

/** Held-out predictions whose chance of being right is `truth(p1, p2)`, drawn with a fixed seed. */
function predictions(count: number, truth: (p1: number, p2: number) => number) {
  const random = seededRandom(11);
  const top: number[] = [];
  const second: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const p1 = 0.3 + 0.65 * random();
    const p2 = (1 - p1) * random();
    top.push(p1);
    second.push(p2);
    correct.push(random() < truth(p1, p2));
  }
  return { top, second, correct };
}

describe('calibration', () => {
  it('is the identity without a fit: the raw top probability, whatever the runner-up', () => {
    expect(calibrate(IDENTITY, 0.42, 0.4)).toBeCloseTo(0.42, 10);
    expect(calibrate(IDENTITY, 0.42, 0)).toBeCloseTo(0.42, 10);
    expect(calibrate(IDENTITY, 0)).toBe(0);
  });

  it('learns that a close call with the runner-up is less often right than a clear lead', () => {
    // Right 90 % of the time with a clear lead, 40 % when the runner-up is close, whatever p1 is.
    const { top, second, correct } = predictions(4_000, (p1, p2) => (p1 / Math.max(p2, 1e-6) > 3 ? 0.9 : 0.4));
    const fitted = fitPlatt(top, correct, second);
    expect(fitted.c).toBeGreaterThan(0.2);
    expect(calibrate(fitted, 0.5, 0.45)).toBeLessThan(0.6);
    expect(calibrate(fitted, 0.5, 0.05)).toBeGreaterThan(0.75);
  });

  it('is honest: among predictions it calls 0.7–0.9 likely, about that share is right', () => {
    const truth = (p1: number, p2: number) => 1 / (1 + Math.exp(-(2 * Math.log(p1 / (1 - p1)) + Math.log(p1 / p2))));
    const fit = predictions(6_000, truth);
    const fitted = fitPlatt(fit.top, fit.correct, fit.second);
    const check = predictions(6_000, truth);
    let sum = 0;
    let right = 0;
    let n = 0;
    check.top.forEach((p1, i) => {
      const c = calibrate(fitted, p1, check.second[i]!);
      if (c < 0.7 || c >= 0.9) return;
      sum += c;
      n++;
      if (check.correct[i]) right++;
    });
    expect(n).toBeGreaterThan(300);
    expect(Math.abs(right / n - sum / n)).toBeLessThan(0.04);
  });

  it('without runners-up fits logit(p1) alone, as Platt scaling does', () => {
    const { top, correct } = predictions(2_000, (p1) => p1 * p1);
    const fitted = fitPlatt(top, correct);
    expect(fitted.c).toBeUndefined();
    expect(calibrate(fitted, 0.9)).toBeGreaterThan(calibrate(fitted, 0.5));
  });

  it('keeps the identity with fewer than five predictions, and never lets a wider lead lower the chance', () => {
    expect(fitPlatt([0.9, 0.8], [true, false], [0.05, 0.1])).toEqual(IDENTITY);
    // Right more often when the runner-up is close: nonsense the fit must not learn.
    const { top, second, correct } = predictions(2_000, (p1, p2) => (p1 / Math.max(p2, 1e-6) > 3 ? 0.3 : 0.9));
    const fitted = fitPlatt(top, correct, second);
    expect(fitted.c).toBe(0);
    expect(fitted.a).toBeGreaterThanOrEqual(0.05);
  });
});
