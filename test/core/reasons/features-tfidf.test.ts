import { beforeEach, describe, expect, it } from 'vitest';
import type { TfidfState, TfidfVectorizer } from '../../../src/core/reasons/features-tfidf.ts';
import { fitTfidf, type SparseVector, vectorizerFromState } from '../../../src/core/reasons/features-tfidf.ts';

// Exact TF-IDF on corpora of two or three documents, so every weight can be worked out by hand:
// smooth idf = ln((1 + documents) / (1 + document frequency)) + 1, sublinear tf = 1 + ln(count),
// each block scaled to unit length (the character block to charWeight).

const WORDS_ONLY = { charNgramMax: 0, wordBigrams: false };
const idf = (docs: number, df: number) => Math.log((1 + docs) / (1 + df)) + 1;
const sumSquares = (v: SparseVector) => [...v.values].reduce((s, x) => s + x * x, 0);
/** The weight of each term of `v`, keyed by the term's feature index. */
const weights = (v: SparseVector) => new Map([...v.indices].map((i, k) => [i, v.values[k]!]));

describe('fitTfidf', () => {
  // Fitted before each test rather than as the file loads, so that mutation testing traces the fit
  // to the tests that read it.
  let vectorizer: TfidfVectorizer;
  let vectors: SparseVector[];
  let state: TfidfState;
  beforeEach(() => {
    ({ vectorizer, vectors, state } = fitTfidf(['apple banana', 'apple cherry cherry'], WORDS_ONLY));
  });
  const index = (word: string) => vectorizer.vectorize(word).indices[0]!;

  it('keeps every term, the most frequent first, with its smooth idf', () => {
    expect(vectorizer.size).toBe(3);
    expect(state.hashes).toHaveLength(3);
    expect(index('apple')).toBe(0);
    expect(new Set([index('banana'), index('cherry')])).toEqual(new Set([1, 2]));
    expect(state.idf[0]).toBeCloseTo(idf(2, 2), 6);
    expect(state.idf[0]).toBeCloseTo(1, 6);
    expect(state.idf[index('banana')]).toBeCloseTo(idf(2, 1), 6);
    expect(state.idf[index('cherry')]).toBeCloseTo(idf(2, 1), 6);
    expect(state.unseenIdf).toBeCloseTo(idf(2, 0), 12);
  });

  it('weighs sublinear tf × idf, scaled to unit length', () => {
    const [first, second] = vectors as [SparseVector, SparseVector];
    const rare = idf(2, 1);
    // "apple banana": (1, rare) / |(1, rare)|.
    const norm1 = Math.sqrt(1 + rare * rare);
    expect(weights(first).get(0)).toBeCloseTo(1 / norm1, 6);
    expect(weights(first).get(index('banana'))).toBeCloseTo(rare / norm1, 6);
    expect(first.indices).toHaveLength(2);
    // "apple cherry cherry": cherry twice weighs (1 + ln 2) × rare.
    const cherry = (1 + Math.log(2)) * rare;
    const norm2 = Math.sqrt(1 + cherry * cherry);
    expect(weights(second).get(0)).toBeCloseTo(1 / norm2, 6);
    expect(weights(second).get(index('cherry'))).toBeCloseTo(cherry / norm2, 6);
    expect(sumSquares(second)).toBeCloseTo(1, 6);
    // Repeats count together wherever they are in the text.
    const repeated = vectorizer.vectorize('banana apple banana');
    expect(repeated.indices).toHaveLength(2);
    const banana = (1 + Math.log(2)) * rare;
    expect(weights(repeated).get(index('banana'))).toBeCloseTo(banana / Math.sqrt(1 + banana * banana), 6);
    // The vectorizer gives the training texts their vectors.
    expect(vectorizer.vectorize('apple cherry cherry')).toEqual(second);
  });

  it('counts an unseen word towards the length, then drops it', () => {
    const v = vectorizer.vectorize('apple durian');
    expect([...v.indices]).toEqual([0]);
    expect(v.values[0]).toBeCloseTo(1 / Math.sqrt(1 + idf(2, 0) ** 2), 6);
    expect(vectorizer.vectorize('durian')).toEqual({ indices: new Int32Array(0), values: new Float32Array(0) });
    expect(vectorizer.vectorize('')).toEqual({ indices: new Int32Array(0), values: new Float32Array(0) });
  });

  it('rebuilds the same vectorizer from its state', () => {
    const rebuilt = vectorizerFromState(state);
    expect(rebuilt.size).toBe(3);
    for (const text of ['apple banana', 'cherry', 'apple durian', 'banana cherry apple']) {
      expect(rebuilt.vectorize(text)).toEqual(vectorizer.vectorize(text));
    }
  });

  it('drops terms below minDocFreq and beyond maxFeatures, ties in an order that does not depend on the texts’', () => {
    expect(fitTfidf(['apple banana', 'apple cherry cherry'], { ...WORDS_ONLY, minDocFreq: 2 }).vectorizer.size).toBe(1);
    const top1 = fitTfidf(['apple banana', 'apple cherry cherry'], { ...WORDS_ONLY, maxFeatures: 1 });
    expect(top1.vectorizer.size).toBe(1);
    expect([...top1.state.hashes]).toEqual([state.hashes[0]]);
    const a = fitTfidf(['banana', 'cherry', 'date'], { ...WORDS_ONLY, maxFeatures: 2 }).state.hashes;
    const b = fitTfidf(['date', 'cherry', 'banana'], { ...WORDS_ONLY, maxFeatures: 2 }).state.hashes;
    expect([...b]).toEqual([...a]);
    expect(a[0]).toBeLessThan(a[1]!);
  });

  it('adds adjacent and skip word pairs, each its own term', () => {
    const terms = (text: string, options: object) =>
      fitTfidf([text], { charNgramMax: 0, wordBigrams: false, ...options }).vectorizer.size;
    expect(terms('a b c', {})).toBe(3);
    expect(terms('a b c', { wordBigrams: true })).toBe(5);
    expect(terms('a b c', { wordSkipBigrams: true })).toBe(4);
    expect(terms('a b c', { wordBigrams: true, wordSkipBigrams: true })).toBe(6);
    // "b a" is not "a b", and "a _ b" is neither.
    expect(terms('a b a', { wordBigrams: true })).toBe(4);
    expect(terms('a b x a b', { wordBigrams: true, wordSkipBigrams: true })).toBe(3 + 3 + 3);
    expect(terms('a x b y a b', { wordBigrams: true, wordSkipBigrams: true })).toBe(4 + 5 + 4);
  });

  it('adds character n-grams of the padded text, in the lengths asked for', () => {
    const terms = (text: string, options: object) =>
      fitTfidf([text], { wordBigrams: false, ...options }).vectorizer.size;
    // " ab ": " a", " ab", " ab ", "ab", "ab ", "b ", and the word "ab".
    expect(terms('ab', {})).toBe(7);
    expect(terms('ab', { charNgramMin: 3, charNgramMax: 3 })).toBe(3);
    expect(terms('ab', { charNgramMin: 2, charNgramMax: 2 })).toBe(4);
    expect(terms('ab', { charNgramMin: 1, charNgramMax: 1 })).toBe(4);
    expect(terms('ab', { charNgramMin: 4, charNgramMax: 2 })).toBe(1);
    // Punctuation is a space: "ab?" and "ab." share every n-gram.
    expect(fitTfidf(['ab?', 'ab.'], { wordBigrams: false }).vectorizer.size).toBe(7);
  });

  it('scales the character block to charWeight beside the unit-length word block', () => {
    const fitted = fitTfidf(['apple banana', 'apple cherry'], { charWeight: 2 });
    expect(sumSquares(fitted.vectorizer.vectorize('apple banana'))).toBeCloseTo(1 + 4, 5);
    const plain = fitTfidf(['apple banana', 'apple cherry']);
    expect(sumSquares(plain.vectorizer.vectorize('apple banana'))).toBeCloseTo(2, 5);
  });
});
