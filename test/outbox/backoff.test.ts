import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/outbox/backoff.ts';

// The injected random decides where in the jitter band a delay falls: 0 is its floor, 1 its top.
const lowest = () => 0;
const highest = () => 1;
const middle = () => 0.5;

describe('backoffMs', () => {
  it('doubles the delay with each attempt, from baseMs', () => {
    const schedule = { baseMs: 100, capMs: 1_000_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, schedule, highest))).toEqual([
      100, 200, 400, 800, 1_600,
    ]);
  });

  it('never waits longer than capMs, however many attempts have failed', () => {
    const schedule = { baseMs: 100, capMs: 1_000 };
    expect([4, 5, 6, 10, 50, 2_000].map((attempt) => backoffMs(attempt, schedule, highest))).toEqual([
      800, 1_000, 1_000, 1_000, 1_000, 1_000,
    ]);
    expect(backoffMs(50, schedule, lowest)).toBe(500);
  });

  it('uses equal jitter: never less than half the schedule, never more than all of it', () => {
    const schedule = { baseMs: 100, capMs: 1_000 };
    expect(backoffMs(3, schedule, lowest)).toBe(200);
    expect(backoffMs(3, schedule, middle)).toBe(300);
    expect(backoffMs(3, schedule, highest)).toBe(400);
    expect(backoffMs(9, schedule, lowest)).toBe(500); // half the cap
    expect(backoffMs(9, schedule, middle)).toBe(750);
  });

  it('spreads retries across the band with the default random', () => {
    const delays = Array.from({ length: 200 }, () => backoffMs(2, { baseMs: 1_000, capMs: 60_000 }));
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    }
    expect(new Set(delays).size).toBeGreaterThan(1);
  });

  it('treats attempt 0 and below like the first attempt', () => {
    const schedule = { baseMs: 100, capMs: 1_000 };
    for (const attempt of [1, 0, -1, -10]) {
      expect(backoffMs(attempt, schedule, highest)).toBe(100);
      expect(backoffMs(attempt, schedule, lowest)).toBe(50);
    }
  });

  it('defaults to one second doubling up to five minutes', () => {
    expect(backoffMs(1, undefined, highest)).toBe(1_000);
    expect(backoffMs(1, undefined, lowest)).toBe(500);
    expect(backoffMs(4, {}, highest)).toBe(8_000);
    expect(backoffMs(30, {}, highest)).toBe(300_000);
    expect(backoffMs(30, {}, lowest)).toBe(150_000);
  });

  it('returns whole milliseconds', () => {
    expect(backoffMs(1, { baseMs: 3, capMs: 100 }, () => 0.3)).toBe(2); // 1.5 + 0.45 rounds to 2
  });
});
