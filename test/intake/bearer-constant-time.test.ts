import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerMatches } from '../../src/intake/http/auth.ts';

// The real timingSafeEqual, watched: every bearer check must go through it.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn((a: Buffer, b: Buffer) => real.timingSafeEqual(a, b)) };
});

const TOKEN = 'KoeIntake-Tok3n_MixedCASE-0123456789abcXYZ';

/**
 * The intake token is compared in constant time: whatever is presented (nothing, another scheme,
 * a token of any length, the right one), the check is one timingSafeEqual over two SHA-256 digests
 * of the same length, so neither the length nor a shared prefix changes the work done. (Timing
 * itself is not measured: tests assert no wall-clock speed.)
 */
describe('bearerMatches compares in constant time', () => {
  const spy = vi.mocked(crypto.timingSafeEqual);
  // A block, not an arrow's value: a function returned from beforeEach is run as its cleanup.
  beforeEach(() => {
    spy.mockClear();
  });

  it.each([
    ['no header', undefined, false],
    ['an empty header', '', false],
    ['Basic', `Basic ${btoa(`koe:${TOKEN}`)}`, false],
    ['a one-character token', 'Bearer K', false],
    ['the token’s first half', `Bearer ${TOKEN.slice(0, 20)}`, false],
    ['the token but its last character', `Bearer ${TOKEN.slice(0, -1)}x`, false],
    ['a 10,000-character token', `Bearer ${'k'.repeat(10_000)}`, false],
    ['the token', `Bearer ${TOKEN}`, true],
  ])('with %s: one timingSafeEqual over two 32-byte digests', (_what, header, expected) => {
    expect(bearerMatches(header, TOKEN)).toBe(expected);
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0]! as unknown as [Buffer, Buffer];
    expect([a.length, b.length]).toEqual([32, 32]);
  });
});
