/**
 * TF-IDF features for the contact-reason classifier: word unigrams and bigrams
 * plus character n-grams, each block sublinear-tf weighted and l2-normalised.
 *
 * Words carry meaning; character n-grams survive typos, inflection and
 * Japanese segmentation slips (請求 / 書 still shares 請求書 with 請求書の).
 */
import { HASH_SEED, hashStep, hashString } from './features-hash.ts';
import { normalizeText, segmentWords } from './tokenize.ts';

/** How text becomes a vector. Defaults are in {@link DEFAULT_FEATURE_OPTIONS}. */
export interface FeatureOptions {
  /** Include adjacent word pairs ("not arrived", "請求 書"). */
  wordBigrams: boolean;
  /** Include word pairs one word apart ("card … arrived"), which survive a word put in between. */
  wordSkipBigrams: boolean;
  /** Shortest and longest character n-gram, in UTF-16 code units; 0 disables. */
  charNgramMin: number;
  charNgramMax: number;
  /** Scale of the character block against the word block (each is unit length first). */
  charWeight: number;
  /**
   * A term seen in fewer training texts than this is ignored (but still dilutes
   * the norm). 1 by default: with a few dozen labels most telling terms occur
   * once, and `maxFeatures` already bounds memory when labels are many.
   */
  minDocFreq: number;
  /**
   * Keep at most this many terms, the most frequent first. The model holds
   * classes × terms float32 weights, so 50,000 terms × 100 reasons = 20 MB;
   * BANKING77 (10k labels) has ~36,000 terms and loses nothing at 20,000.
   */
  maxFeatures: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordBigrams: true,
  wordSkipBigrams: false,
  charNgramMin: 2,
  charNgramMax: 4,
  charWeight: 1,
  minDocFreq: 1,
  maxFeatures: 50_000,
};

/** A sparse vector: `values[i]` is the weight of feature `indices[i]`. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
  /** A dense block after the sparse features (a sentence embedding, features-dense.ts), if any. */
  readonly dense?: Float32Array;
}

/** A fitted vocabulary and IDF table that turns text into {@link SparseVector}s. */
export interface TfidfVectorizer {
  /** Number of features (the vector dimension). */
  readonly size: number;
  vectorize(text: string): SparseVector;
}

/**
 * Distinct terms of one text and how often each occurs, per block; `hashes`
 * are sorted ascending. Typed arrays rather than Maps: training counts the
 * terms of every label, and Map churn dominated that time.
 */
interface TermCounts {
  words: TermBlock;
  chars: TermBlock;
}

interface TermBlock {
  hashes: Int32Array;
  counts: Uint16Array;
}

/** Fits a vectorizer on `texts` and returns it with the vectors of those texts. */
export function fitTfidf(
  texts: readonly string[],
  options: Partial<FeatureOptions> = {},
): { vectorizer: TfidfVectorizer; vectors: SparseVector[]; state: TfidfState } {
  const opts = { ...DEFAULT_FEATURE_OPTIONS, ...options };
  const counted = texts.map((text) => countTerms(text, opts));

  const docFreq = new Map<number, number>();
  for (const { words, chars } of counted) {
    for (const hash of words.hashes) docFreq.set(hash, (docFreq.get(hash) ?? 0) + 1);
    for (const hash of chars.hashes) docFreq.set(hash, (docFreq.get(hash) ?? 0) + 1);
  }

  const kept = [...docFreq].filter(([, df]) => df >= opts.minDocFreq);
  // Most frequent first; ties by hash so the vocabulary does not depend on Map order.
  kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  kept.length = Math.min(kept.length, opts.maxFeatures);

  const docCount = texts.length;
  const index = new Map<number, number>();
  const idf = new Float32Array(kept.length);
  kept.forEach(([hash, df], i) => {
    index.set(hash, i);
    idf[i] = smoothIdf(docCount, df);
  });
  const model: VectorModel = { opts, index, idf, unseenIdf: smoothIdf(docCount, 0) };
  const state: TfidfState = { opts, hashes: Int32Array.from(kept, ([hash]) => hash), idf, unseenIdf: model.unseenIdf };
  return { vectorizer: vectorizerOf(model), vectors: counted.map((counts) => toVector(counts, model)), state };
}

/**
 * A fitted vectorizer as plain data (typed arrays and numbers), so a model trained on a worker
 * thread can be handed to the main thread without copying its arrays.
 */
export interface TfidfState {
  opts: FeatureOptions;
  /** Term hash of each feature, in feature order. */
  hashes: Int32Array;
  idf: Float32Array;
  unseenIdf: number;
}

/** Rebuilds the vectorizer {@link fitTfidf} described in `state`. */
export function vectorizerFromState(state: TfidfState): TfidfVectorizer {
  const index = new Map<number, number>();
  state.hashes.forEach((hash, i) => {
    index.set(hash, i);
  });
  return vectorizerOf({ opts: state.opts, index, idf: state.idf, unseenIdf: state.unseenIdf });
}

function vectorizerOf(model: VectorModel): TfidfVectorizer {
  return { size: model.idf.length, vectorize: (text) => toVector(countTerms(text, model.opts), model) };
}

interface VectorModel {
  opts: FeatureOptions;
  index: Map<number, number>;
  idf: Float32Array;
  /** IDF given to a term the vocabulary does not hold: as rare as can be. */
  unseenIdf: number;
}

// sklearn's smooth_idf: as if one extra document contained every term once.
function smoothIdf(docCount: number, docFreq: number): number {
  return Math.log((1 + docCount) / (1 + docFreq)) + 1;
}

function countTerms(text: string, opts: FeatureOptions): TermCounts {
  const normalized = normalizeText(text);

  const tokens = segmentWords(normalized);
  const words = new Int32Array(tokens.length * 3);
  let w = 0;
  let previous = 0;
  let beforePrevious = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    words[w++] = hashString(HASH_SEED.word, token);
    if (opts.wordBigrams && i > 0) words[w++] = hashString(hashStep(previous, 0x20), token);
    // A different separator keeps "a _ b" apart from the adjacent pair "a b".
    if (opts.wordSkipBigrams && i > 1) words[w++] = hashString(hashStep(beforePrevious, 0x1f), token);
    beforePrevious = previous;
    previous = hashString(HASH_SEED.wordPair, token);
  }

  let chars = new Int32Array(0);
  if (opts.charNgramMax > 0) {
    const source = charSource(normalized);
    const widths = Math.max(0, opts.charNgramMax - opts.charNgramMin + 1);
    chars = new Int32Array(source.length * widths);
    let c = 0;
    for (let start = 0; start < source.length; start++) {
      let hash: number = HASH_SEED.chars;
      const end = Math.min(source.length, start + opts.charNgramMax);
      for (let i = start; i < end; i++) {
        hash = hashStep(hash, source.charCodeAt(i));
        if (i - start + 1 >= opts.charNgramMin) chars[c++] = hash;
      }
    }
    chars = chars.subarray(0, c);
  }
  return { words: countSorted(words.subarray(0, w)), chars: countSorted(chars) };
}

/** Sorts `hashes` in place and collapses repeats into counts. */
function countSorted(hashes: Int32Array): TermBlock {
  hashes.sort();
  const distinct = new Int32Array(hashes.length);
  const counts = new Uint16Array(hashes.length);
  let d = -1;
  for (let i = 0; i < hashes.length; i++) {
    if (d >= 0 && distinct[d] === hashes[i]) {
      // Saturate: tf is logarithmic, 65 535 repeats say all there is to say.
      if (counts[d]! < 0xffff) counts[d]!++;
    } else {
      distinct[++d] = hashes[i]!;
      counts[d] = 1;
    }
  }
  return { hashes: distinct.slice(0, d + 1), counts: counts.slice(0, d + 1) };
}

// Punctuation and symbols become spaces so "card?" and "card." share n-grams;
// letters, digits and marks stay. The text is padded so word edges show up as
// n-grams (" car"), which matters for short English words.
const NOT_WORD_CHAR = /[^\p{L}\p{N}\p{M}]+/gu;
function charSource(normalized: string): string {
  return ` ${normalized.replace(NOT_WORD_CHAR, ' ').trim()} `;
}

function toVector(counts: TermCounts, model: VectorModel): SparseVector {
  const { words, chars } = counts;
  const capacity = words.hashes.length + chars.hashes.length;
  const indices = new Int32Array(capacity);
  const values = new Float32Array(capacity);
  let size = weighBlock(words, model, 1, indices, values, 0);
  size = weighBlock(chars, model, model.opts.charWeight, indices, values, size);
  return { indices: indices.slice(0, size), values: values.slice(0, size) };
}

/**
 * Writes sublinear tf × idf for one block into `indices`/`values` from `offset`,
 * scaled to length `weight`, and returns the new end. Terms outside the
 * vocabulary count towards the length but are then dropped, so a text made
 * mostly of unseen words yields a short vector, low scores and an abstention,
 * instead of being blown up to full length on the two n-grams it shares.
 */
function weighBlock(
  block: TermBlock,
  model: VectorModel,
  weight: number,
  indices: Int32Array,
  values: Float32Array,
  offset: number,
): number {
  let end = offset;
  let sumSquares = 0;
  for (let k = 0; k < block.hashes.length; k++) {
    const i = model.index.get(block.hashes[k]!);
    const tf = 1 + Math.log(block.counts[k]!);
    const w = tf * (i === undefined ? model.unseenIdf : model.idf[i]!);
    sumSquares += w * w;
    if (i !== undefined) {
      indices[end] = i;
      values[end++] = w;
    }
  }
  const scale = sumSquares > 0 ? weight / Math.sqrt(sumSquares) : 0;
  for (let k = offset; k < end; k++) values[k] = values[k]! * scale;
  return end;
}
