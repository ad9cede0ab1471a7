import { describe, expect, it } from 'vitest';
import { type Calibration, calibrate, fitPlatt, IDENTITY } from '../../../src/core/reasons/calibration.ts';
import { seededRandom } from '../../../src/core/reasons/classifier-random.ts';

// Small, exact checks of the Platt fit (calibration.test.ts checks its honesty on thousands of
// predictions): the formula on hand-made numbers, the fit's optimum, and its bounds.

const logit = (p: number) => Math.log(p / (1 - p));

/** 40 held-out predictions right with probability σ(1.5·logit(p₁) + 0.7·log(p₁/p₂) − 0.5). */
function predictions() {
  const random = seededRandom(7);
  const top: number[] = [];
  const second: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < 40; i++) {
    const p1 = 0.3 + 0.65 * random();
    const p2 = (1 - p1) * random();
    top.push(p1);
    second.push(p2);
    correct.push(random() < 1 / (1 + Math.exp(-(1.5 * logit(p1) + 0.7 * Math.log(p1 / p2) - 0.5))));
  }
  return { top, second, correct };
}

/**
 * The gradient of the logistic loss at `fitted` against Platt's targets ((right + 1) / (right + 2) for a
 * right prediction, 1 / (wrong + 2) for a wrong one), per feature: zero at the optimum.
 */
function gradient(fitted: Calibration, top: number[], correct: boolean[], second?: number[]): number[] {
  const right = correct.filter(Boolean).length;
  const hi = (right + 1) / (right + 2);
  const lo = 1 / (top.length - right + 2);
  const g = [0, 0, 0];
  top.forEach((p1, i) => {
    const d = calibrate(fitted, p1, second?.[i] ?? 0) - (correct[i] ? hi : lo);
    g[0]! += d * logit(p1);
    g[1]! += second ? d * Math.log(p1 / second[i]!) : 0;
    g[2]! += d;
  });
  return g;
}

describe('calibrate', () => {
  it('is σ(a·logit(p₁) + c·log(p₁/p₂) + b)', () => {
    // logit(0.75) = ln 3, so σ(2 ln 3) = 9 / 10.
    expect(calibrate({ a: 2, b: 0 }, 0.75)).toBeCloseTo(0.9, 12);
    expect(calibrate({ a: 1, b: Math.log(3) }, 0.5)).toBeCloseTo(0.75, 12);
    // A lead of 2 (ln 2) with c = 1 and logit(0.5) = 0: σ(ln 2) = 2 / 3.
    expect(calibrate({ a: 1, b: 0, c: 1 }, 0.5, 0.25)).toBeCloseTo(2 / 3, 12);
    expect(calibrate({ a: 1, b: 0, c: 2 }, 0.5, 0.25)).toBeCloseTo(0.8, 12);
    // A runner-up of 0 counts as 1e-6: the lead is 0.5 / 1e-6.
    expect(calibrate({ a: 1, b: 0, c: 1 }, 0.5, 0)).toBeCloseTo(500_000 / 500_001, 12);
  });

  it('keeps p₁ off 0 and 1, and is 0 for no probability at all', () => {
    expect(calibrate(IDENTITY, 1)).toBeCloseTo(1 - 1e-6, 12);
    expect(calibrate(IDENTITY, 1)).toBeLessThan(1);
    expect(calibrate(IDENTITY, 1e-9)).toBeCloseTo(1e-6, 12);
    expect(calibrate(IDENTITY, 1e-9)).toBeGreaterThan(1e-7);
    expect(calibrate({ a: 1, b: 5 }, 0)).toBe(0);
    expect(calibrate({ a: 1, b: 5 }, -0.5)).toBe(0);
  });
});

describe('fitPlatt', () => {
  it('finds the loss minimum against Platt’s smoothed targets, with and without the runner-up', () => {
    const { top, second, correct } = predictions();
    const fitted = fitPlatt(top, correct, second);
    expect(fitted.a).toBeGreaterThan(0.5);
    expect(fitted.c).toBeGreaterThan(0.5);
    for (const g of gradient(fitted, top, correct, second)) expect(Math.abs(g)).toBeLessThan(1e-6);

    const alone = fitPlatt(top, correct);
    expect(alone.c).toBeUndefined();
    expect(alone.a).toBeGreaterThan(0.5);
    for (const g of gradient(alone, top, correct)) expect(Math.abs(g)).toBeLessThan(1e-6);
    // Fitted on p₁ alone, the slope takes up some of what the lead explained.
    expect(alone.a).not.toBeCloseTo(fitted.a, 2);
  });

  it('fits from five predictions on, and keeps the identity below', () => {
    const { top, second, correct } = predictions();
    expect(fitPlatt(top.slice(0, 4), correct.slice(0, 4), second.slice(0, 4))).toBe(IDENTITY);
    expect(fitPlatt(top.slice(0, 4), correct.slice(0, 4))).toBe(IDENTITY);
    const five = fitPlatt(top.slice(0, 5), correct.slice(0, 5));
    expect(five).not.toEqual(IDENTITY);
    for (const g of gradient(five, top.slice(0, 5), correct.slice(0, 5))) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it('bounds the slope to 20 when right and wrong are split at one confidence', () => {
    const fitted = fitPlatt([0.49, 0.495, 0.5, 0.505, 0.51, 0.515], [false, false, false, true, true, true]);
    expect(fitted.a).toBe(20);
    // The intercept is the fit's; near the split the chance is still a coin's.
    expect(calibrate(fitted, 0.5025)).toBeGreaterThan(0.3);
    expect(calibrate(fitted, 0.5025)).toBeLessThan(0.7);
  });

  it('bounds the lead’s weight to 20 when right and wrong are split at one lead', () => {
    const fitted = fitPlatt(
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [false, false, false, true, true, true],
      [0.45, 0.44, 0.43, 0.42, 0.41, 0.4],
    );
    expect(fitted.c).toBe(20);
    expect(fitted.a).toBeGreaterThanOrEqual(0.05);
    expect(fitted.a).toBeLessThanOrEqual(20);
  });

  it('keeps the slope at 0.05 when a higher confidence is less often right, and the fit sane', () => {
    // Right at 0.5–0.7, wrong at 0.8–0.95: the loss is least at a slope of −1.25 and an intercept of
    // 1.57. Newton's full steps from the identity swung to an intercept of 1.5e9 (every answer 1).
    const top = [0.6, 0.7, 0.8, 0.9, 0.95, 0.5];
    const correct = [true, true, false, false, false, true];
    const fitted = fitPlatt(top, correct);
    expect(fitted.a).toBe(0.05);
    expect(fitted.b).toBeCloseTo(1.5664, 3);
    for (const p1 of top) {
      expect(calibrate(fitted, p1)).toBeGreaterThan(0.8);
      expect(calibrate(fitted, p1)).toBeLessThan(0.85);
    }
  });
});
