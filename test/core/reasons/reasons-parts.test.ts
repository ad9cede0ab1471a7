import { describe, expect, it } from 'vitest';
import { seededRandom, shuffleInPlace } from '../../../src/core/reasons/classifier-random.ts';
import { HASH_SEED, hashStep, hashString } from '../../../src/core/reasons/features-hash.ts';
import { ruleFeatures } from '../../../src/core/reasons/features-rules.ts';
import type { SparseVector } from '../../../src/core/reasons/features-tfidf.ts';
import { assignFolds, compareStrings } from '../../../src/core/reasons/folds.ts';
import { DEFAULT_REASONS, findReason, type Reason, reasonLabel } from '../../../src/core/reasons/taxonomy.ts';

// The classifier's small parts: term hashing, the seeded generator and shuffle, fold dealing, the
// rule features and the taxonomy's look-ups.

/** Textbook 32-bit FNV-1a over bytes, with BigInt arithmetic, as a signed 32-bit number. */
function fnv1a(start: number, bytes: number[]): number {
  let h = BigInt(start >>> 0);
  for (const b of bytes) h = ((h ^ BigInt(b)) * 16777619n) % 2n ** 32n;
  return Number(BigInt.asIntN(32, h));
}
/** UTF-16 code units as little-endian byte pairs. */
const utf16le = (text: string) =>
  Array.from({ length: text.length }, (_, i) => [text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8]).flat();

describe('term hashing', () => {
  it('is FNV-1a over each code unit’s two bytes, low byte first', () => {
    for (const text of ['a', 'aB', '請求書', 'あB', '\uffff\u0100', '😀']) {
      expect(hashString(HASH_SEED.word, text) | 0, text).toBe(fnv1a(HASH_SEED.word, utf16le(text)));
    }
    expect(hashStep(HASH_SEED.chars, 0x3042) | 0).toBe(fnv1a(HASH_SEED.chars, [0x42, 0x30]));
    expect(hashStep(HASH_SEED.chars, 0x3042)).not.toBe(hashStep(HASH_SEED.chars, 0x0042));
    expect(hashString(HASH_SEED.wordPair, '')).toBe(HASH_SEED.wordPair);
    expect(new Set(Object.values(HASH_SEED)).size).toBe(3);
  });
});

describe('seededRandom and shuffleInPlace', () => {
  it('draws evenly from [0, 1), the same stream for the same seed', () => {
    const random = seededRandom(42);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = random();
      if (x < 0 || x >= 1) outside++;
      else bins[Math.floor(x * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const n of bins) expect(Math.abs(n - 2_000)).toBeLessThan(200);
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    // Consecutive draws are not correlated.
    const r = seededRandom(3);
    let same = 0;
    let previous = r() < 0.5;
    for (let i = 0; i < 10_000; i++) {
      const now = r() < 0.5;
      if (now === previous) same++;
      previous = now;
    }
    expect(Math.abs(same - 5_000)).toBeLessThan(300);
  });

  it('shuffles into every order about equally often, keeping every item', () => {
    const random = seededRandom(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6_000; i++) {
      const items = ['a', 'b', 'c'];
      shuffleInPlace(items, random);
      counts.set(items.join(''), (counts.get(items.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(Math.abs(n - 1_000)).toBeLessThan(120);
    const typed = Int32Array.from([1, 2, 3, 4, 5]);
    shuffleInPlace(typed, random);
    expect([...typed].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('assignFolds', () => {
  it('deals each reason’s examples round-robin, carrying on where the previous reason stopped', () => {
    const examples = [
      ...Array.from({ length: 4 }, () => ({ reasonId: 'b' })),
      ...Array.from({ length: 3 }, () => ({ reasonId: 'a' })),
    ];
    const folds = assignFolds(examples, 3, 1);
    // "a" first (code-unit order): folds 0, 1, 2; then "b": 0, 1, 2, 0.
    expect([...folds.slice(4)].sort()).toEqual([0, 1, 2]);
    expect([...folds.slice(0, 4)].sort()).toEqual([0, 0, 1, 2]);
    expect([...assignFolds(examples, 0, 1)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect([...assignFolds(examples, 7, 1)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // Upper-case sorts before lower-case, whatever the locale.
    const cased = assignFolds([{ reasonId: 'b' }, { reasonId: 'B' }], 2, 1);
    expect([...cased]).toEqual([1, 0]);
    const seeds = new Set([1, 2, 3, 4, 5, 6].map((seed) => assignFolds(examples, 3, seed).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('compares strings by code unit', () => {
    expect(compareStrings('a', 'b')).toBe(-1);
    expect(compareStrings('b', 'a')).toBe(1);
    expect(compareStrings('a', 'a')).toBe(0);
    expect(compareStrings('B', 'a')).toBe(-1);
  });
});

describe('ruleFeatures', () => {
  const reason = (id: string, extra: Partial<Reason>): Reason => ({
    id,
    label: { ja: id, en: id },
    keywords: [],
    patterns: [],
    ...extra,
  });
  const words: SparseVector = { indices: Int32Array.from([0, 2]), values: Float32Array.from([0.6, 0.8]) };

  it('is null without a rule, and one feature per reason with rules plus one for none', () => {
    expect(ruleFeatures([])).toBeNull();
    expect(ruleFeatures([reason('x', {})])).toBeNull();
    const features = ruleFeatures([
      reason('x', {}),
      reason('k', { keywords: ['refund'] }),
      reason('p', { patterns: ['invoice'] }),
      reason('w', { rules: [{ pattern: 'plan', weight: 2 }] }),
    ])!;
    expect(features.size).toBe(4);
    const at = (text: string) => {
      const v = features.append(words, text, 10);
      return [...v.indices].map((i, k) => [i, Math.round(v.values[k]! * 1000) / 1000]);
    };
    // No rule fired: the "none" feature, after the three reasons.
    expect(at('hello')).toEqual([
      [0, 0.6],
      [2, 0.8],
      [13, 1],
    ]);
    // A decisive word weighs 1, a clear one (2) a half; three decisive words are capped at 2.
    expect(at('refund')).toEqual([
      [0, 0.6],
      [2, 0.8],
      [10, 1],
    ]);
    expect(at('plan')).toEqual([
      [0, 0.6],
      [2, 0.8],
      [12, 0.5],
    ]);
    expect(at('invoice please')).toEqual([
      [0, 0.6],
      [2, 0.8],
      [11, 1],
    ]);
    const stacked = ruleFeatures([reason('k', { keywords: ['refund', 'money', 'back'] })])!;
    expect([...stacked.append(words, 'refund money back', 5).values].at(-1)).toBe(2);
    expect(words.indices).toHaveLength(2);
  });
});

describe('the taxonomy', () => {
  it('finds a reason and its label, "unclassified" for none and the id for an unknown one', () => {
    expect(findReason(DEFAULT_REASONS, 'billing')?.label.en).toBe('Billing');
    expect(findReason(DEFAULT_REASONS, 'nope')).toBeUndefined();
    expect(reasonLabel(DEFAULT_REASONS, 'billing', 'ja')).toBe('請求・支払い');
    expect(reasonLabel(DEFAULT_REASONS, 'billing', 'en')).toBe('Billing');
    expect(reasonLabel(DEFAULT_REASONS, null, 'ja')).toBe('未分類');
    expect(reasonLabel(DEFAULT_REASONS, null, 'en')).toBe('Unclassified');
    expect(reasonLabel(DEFAULT_REASONS, 'removed', 'en')).toBe('removed');
  });
});
