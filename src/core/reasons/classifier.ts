/**
 * The contact-reason classifier: learns from the team's own labels and
 * suggests a reason for a new inquiry, or abstains when it is not sure.
 *
 * TF-IDF over word unigrams + bigrams and character 2–4-grams, then softmax
 * regression trained by SGD (see features-tfidf.ts and classifier-softmax.ts).
 * Pure: no I/O, no clock, no global state; the same labels and seed always
 * give the same model.
 */
import { predictInto, type SoftmaxModel, trainSoftmax } from './classifier-softmax.ts';
import { type FeatureOptions, fitTfidf, type TfidfState, vectorizerFromState } from './features-tfidf.ts';

/** One labeled inquiry: the text a customer wrote and the reason a person gave it. */
export interface LabeledText {
  text: string;
  reasonId: string;
}

/** A reason and the model's probability for it. */
export interface RankedReason {
  reasonId: string;
  p: number;
}

/** The classifier's answer for one inquiry. */
export interface Prediction {
  /** The suggested reason, or null when the classifier abstains. */
  reasonId: string | null;
  /** Probability of `ranked[0]`, in [0, 1]; 0 when the text shares no term with the labels. */
  confidence: number;
  /**
   * The likeliest reasons, best first (at most `rankedLimit`), whether or not
   * it abstained; empty when there is no evidence at all (no shared term,
   * fewer than two reasons).
   */
  ranked: RankedReason[];
}

/** Training options; every field has a measured default. */
export interface ClassifierOptions {
  /** Minimum confidence to name a reason; below it `classify` abstains. */
  threshold?: number;
  /** Seed for the SGD example order. */
  seed?: number;
  /** Passes over the labels; by default enough for ~40,000 updates (4 passes at 10k labels). */
  epochs?: number;
  /** Initial SGD step size. */
  learningRate?: number;
  /** L2 penalty per update. */
  l2?: number;
  /** How many reasons `Prediction.ranked` lists. */
  rankedLimit?: number;
  /** Feature extraction knobs (n-gram ranges, vocabulary size). */
  features?: Partial<FeatureOptions>;
}

/** A trained model. Immutable; retrain to learn from new labels. */
export interface ReasonClassifier {
  /** Every reason the model can name, sorted. */
  readonly labels: readonly string[];
  /** How many labeled examples it was trained on. */
  readonly trainedOn: number;
  /** The threshold `classify` uses when none is passed. */
  readonly threshold: number;
  /** Suggests a reason for `text`, or abstains (reasonId null) below `threshold`. */
  classify(text: string, threshold?: number): Prediction;
}

/**
 * Default abstention threshold: on BANKING77 it trades a little coverage for much
 * higher precision (the numbers are in the README's Benchmarks). On the 4-reason, 32-label ja/en taxonomy of classifier.test.ts, the unseen
 * paraphrases score ≥ 0.88 and the foreign texts ≤ 0.49, so 0.6 leaves room on
 * both sides. A wrong confident suggestion costs more trust than a blank a
 * person fills in.
 */
export const DEFAULT_THRESHOLD = 0.6;

const DEFAULT_RANKED_LIMIT = 5;

/**
 * A trained model as plain data: typed arrays and numbers, transferable between threads (training
 * 10,000 labels takes seconds, so koe trains on a worker thread and classifies on the main one).
 */
export interface ClassifierData {
  labels: string[];
  trainedOn: number;
  threshold: number;
  rankedLimit: number;
  /** Null with fewer than two reasons: nothing to tell apart. */
  features: TfidfState | null;
  model: SoftmaxModel | null;
}

/** Trains a classifier on labeled inquiries; with no labels it always abstains. */
export function trainClassifier(examples: readonly LabeledText[], options: ClassifierOptions = {}): ReasonClassifier {
  return classifierFromData(trainClassifierData(examples, options));
}

/** Trains and returns the model as data, for {@link classifierFromData} (possibly on another thread). */
export function trainClassifierData(examples: readonly LabeledText[], options: ClassifierOptions = {}): ClassifierData {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const rankedLimit = Math.max(1, options.rankedLimit ?? DEFAULT_RANKED_LIMIT);
  const labels = [...new Set(examples.map((e) => e.reasonId))].sort();
  const base = { labels, trainedOn: examples.length, threshold, rankedLimit };
  // With one reason there is nothing to tell apart, so no evidence either way.
  if (labels.length < 2) return { ...base, features: null, model: null };

  const labelIndex = new Map(labels.map((id, i) => [id, i]));
  const { vectorizer, vectors, state } = fitTfidf(
    examples.map((e) => e.text),
    options.features,
  );
  const model = trainSoftmax(
    vectors,
    Int32Array.from(examples, (e) => labelIndex.get(e.reasonId)!),
    labels.length,
    vectorizer.size,
    // Only the knobs the caller set: an explicit undefined would mask a default.
    {
      ...(options.epochs !== undefined && { epochs: options.epochs }),
      ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
      ...(options.l2 !== undefined && { l2: options.l2 }),
      ...(options.seed !== undefined && { seed: options.seed }),
    },
  );
  return { ...base, features: state, model };
}

/** The classifier described by `data`. */
export function classifierFromData(data: ClassifierData): ReasonClassifier {
  const { labels, trainedOn, threshold, rankedLimit, features, model } = data;
  if (!features || !model) {
    return { labels, trainedOn, threshold, classify: () => ({ reasonId: null, confidence: 0, ranked: [] }) };
  }
  const vectorizer = vectorizerFromState(features);
  return {
    labels,
    trainedOn,
    threshold,
    classify(text, minConfidence = threshold) {
      const x = vectorizer.vectorize(text);
      // No known term means no evidence at all: say so rather than echo a uniform guess.
      if (x.indices.length === 0) return { reasonId: null, confidence: 0, ranked: [] };
      const p = new Float64Array(labels.length);
      predictInto(model, x, p);
      const ranked = topReasons(p, labels, rankedLimit);
      const confidence = ranked[0]?.p ?? 0;
      return { reasonId: confidence >= minConfidence ? ranked[0]!.reasonId : null, confidence, ranked };
    },
  };
}

/** The `limit` most probable reasons, best first; ties go to the earlier label. */
function topReasons(p: Float64Array, labels: readonly string[], limit: number): RankedReason[] {
  const top: number[] = [];
  for (let c = 0; c < p.length; c++) {
    if (top.length === limit && p[c]! <= p[top[top.length - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && p[c]! > p[top[at - 1]!]!) at--;
    top.splice(at, 0, c);
    if (top.length > limit) top.pop();
  }
  return top.map((c) => ({ reasonId: labels[c]!, p: p[c]! }));
}
