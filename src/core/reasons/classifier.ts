/**
 * The contact-reason classifier: learns from the team's own labels and
 * suggests a reason for a new inquiry, or abstains when it is not sure.
 *
 * TF-IDF over word unigrams + bigrams and character 2–4-grams, then softmax
 * regression trained by SGD (see features-tfidf.ts and classifier-softmax.ts).
 * Pure: no I/O, no clock, no global state; the same labels and seed always
 * give the same model.
 */
import { type Calibration, calibrate, fitPlatt, IDENTITY } from './calibration.ts';
import { epochsFor, predictInto, type SoftmaxModel, trainSoftmax } from './classifier-softmax.ts';
import { assignFolds } from './folds.ts';
import { embeddingDims, withEmbedding } from './features-dense.ts';
import { ruleFeatures } from './features-rules.ts';
import type { Reason } from './taxonomy.ts';
import { type FeatureOptions, fitTfidf, type TfidfState, vectorizerFromState } from './features-tfidf.ts';

/** One labeled inquiry: the text a customer wrote and the reason a person gave it. */
export interface LabeledText {
  text: string;
  reasonId: string;
  /**
   * The text's sentence embedding (features-dense.ts), or null/absent when it has none (a language
   * the encoder does not read, or no encoder). Every embedding of one training has the same length.
   */
  embedding?: Float32Array | null;
}

/** A text's sentence embedding at classification time, as given to the training; null: none. */
export type Embed = (text: string) => Float32Array | null;

/** A reason and the model's probability for it. */
export interface RankedReason {
  reasonId: string;
  p: number;
}

/** The classifier's answer for one inquiry. */
export interface Prediction {
  /** The suggested reason, or null when the classifier abstains. */
  reasonId: string | null;
  /**
   * The calibrated probability that `ranked[0]` is right, in [0, 1] (see calibration.ts); 0 when
   * the text shares no term with the labels.
   */
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
  /** Fit Platt scaling on held-out predictions (default true); false keeps the raw softmax probability. */
  calibrate?: boolean;
  /** The taxonomy, whose rules become features the classifier learns to trust (features-rules.ts). */
  reasons?: readonly Reason[];
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
 * Default abstention threshold, a calibrated probability (calibration.ts): name a reason when it is
 * right at least 3 times in 4. A wrong reason costs more than a blank: a person must notice and
 * undo it, and until then it skews the digest's tally; a blank only asks someone to choose. On
 * BANKING77 it answers 86 % of inquiries at 97 % right; after 100 labels of the Japanese development
 * set nearly all (the numbers are in the README's Benchmarks). Calibrated, 0.6 would answer 92 % at
 * 95.5 % on BANKING77.
 */
export const DEFAULT_THRESHOLD = 0.75;

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
  /** Maps the top probability to the probability of being right. */
  calibration: Calibration;
  /** The taxonomy whose rules are features (plain data, so it crosses threads); empty: none. */
  ruleReasons: Reason[];
  /** Length of the sentence embeddings it was trained with; 0: trained on words and rules alone. */
  embeddingDims: number;
}

/** Trains a classifier on labeled inquiries; with no labels it always abstains. */
export function trainClassifier(
  examples: readonly LabeledText[],
  options: ClassifierOptions = {},
  embed?: Embed,
): ReasonClassifier {
  return classifierFromData(trainClassifierData(examples, options), embed);
}

/** Trains and returns the model as data, for {@link classifierFromData} (possibly on another thread). */
export function trainClassifierData(examples: readonly LabeledText[], options: ClassifierOptions = {}): ClassifierData {
  return { ...trainModelData(examples, options), calibration: fitCalibrationData(examples, options) };
}

/**
 * The model without its calibration (the identity): one of the two halves of
 * {@link trainClassifierData}, which share nothing, so koe trains them on two threads at once.
 */
export function trainModelData(examples: readonly LabeledText[], options: ClassifierOptions = {}): ClassifierData {
  return { ...fitModel(examples, options), calibration: IDENTITY, ruleReasons: [...(options.reasons ?? [])] };
}

/** The calibration {@link trainClassifierData} gives the model of the same labels and options. */
export function fitCalibrationData(examples: readonly LabeledText[], options: ClassifierOptions = {}): Calibration {
  const labels = new Set(examples.map((e) => e.reasonId));
  return labels.size >= 2 && options.calibrate !== false ? fitCalibration(examples, options) : IDENTITY;
}

/** The softmax model and its features, uncalibrated. */
function fitModel(
  examples: readonly LabeledText[],
  options: ClassifierOptions,
): Omit<ClassifierData, 'calibration' | 'ruleReasons'> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const rankedLimit = Math.max(1, options.rankedLimit ?? DEFAULT_RANKED_LIMIT);
  const labels = [...new Set(examples.map((e) => e.reasonId))].sort();
  const base = { labels, trainedOn: examples.length, threshold, rankedLimit };
  // With one reason there is nothing to tell apart, so no evidence either way.
  if (labels.length < 2) return { ...base, features: null, model: null, embeddingDims: 0 };

  const labelIndex = new Map(labels.map((id, i) => [id, i]));
  const { vectorizer, vectors, state } = fitTfidf(
    examples.map((e) => e.text),
    options.features,
  );
  const rules = ruleFeatures(options.reasons ?? []);
  const dims = embeddingDims(examples.map((e) => e.embedding));
  const model = trainSoftmax(
    vectors.map((v, i) => {
      const withRules = rules ? rules.append(v, examples[i]!.text, vectorizer.size) : v;
      return withEmbedding(withRules, examples[i]!.embedding, dims);
    }),
    Int32Array.from(examples, (e) => labelIndex.get(e.reasonId)!),
    labels.length,
    vectorizer.size + (rules?.size ?? 0),
    // Only the knobs the caller set: an explicit undefined would mask a default.
    {
      ...(options.epochs !== undefined && { epochs: options.epochs }),
      ...(options.learningRate !== undefined && { learningRate: options.learningRate }),
      ...(options.l2 !== undefined && { l2: options.l2 }),
      ...(options.seed !== undefined && { seed: options.seed }),
    },
    dims,
  );
  return { ...base, features: state, model, embeddingDims: dims };
}

/** Fewer labels than this and the raw probability is kept: a handful of held-out guesses calibrates nothing. */
export const MIN_LABELS_TO_CALIBRATE = 20;
const CALIBRATION_FOLDS = 5;
/**
 * Above this many labels one held-out fold (a fifth) is enough to fit two numbers, and training the
 * other four folds would double the training time of a large taxonomy.
 */
const ONE_FOLD_ABOVE = 2_000;

/**
 * Platt scaling fitted by k-fold cross-validation on the labels: each fold's model predicts labels
 * it never saw, and the sigmoid is fitted to how often its top reason was right at each confidence.
 * The fold models see 4/5 of the labels, so the fit is slightly pessimistic for the final model.
 */
function fitCalibration(examples: readonly LabeledText[], options: ClassifierOptions): Calibration {
  if (examples.length < MIN_LABELS_TO_CALIBRATE) return IDENTITY;
  const foldOf = assignFolds(examples, CALIBRATION_FOLDS, options.seed ?? 1);
  const runs = examples.length > ONE_FOLD_ABOVE ? 1 : CALIBRATION_FOLDS;
  // A fold model makes as many passes as the final model, so its confidences are those of the model
  // being calibrated (left to itself it would make more: it has fewer labels to reach minSteps with).
  const foldOptions = {
    ...options,
    epochs: options.epochs ?? epochsFor(examples.length),
    rankedLimit: Math.max(2, options.rankedLimit ?? DEFAULT_RANKED_LIMIT),
  };
  const top: number[] = [];
  const second: number[] = [];
  const correct: boolean[] = [];
  // The held-out labels' embeddings, as the encoder would give them at classification time.
  const embeddingOf = new Map(examples.map((e) => [e.text, e.embedding ?? null]));
  const embed = (text: string) => embeddingOf.get(text) ?? null;
  for (let fold = 0; fold < runs; fold++) {
    const training = examples.filter((_, i) => foldOf[i] !== fold);
    const held = classifierFromData(trainModelData(training, foldOptions), embed);
    examples.forEach((example, i) => {
      if (foldOf[i] !== fold) return;
      const prediction = held.classify(example.text, 0);
      if (prediction.ranked.length === 0) return;
      top.push(prediction.confidence);
      second.push(prediction.ranked[1]?.p ?? 0);
      correct.push(prediction.ranked[0]!.reasonId === example.reasonId);
    });
  }
  return fitPlatt(top, correct, second);
}

/**
 * The classifier described by `data`. A model trained with embeddings classifies with `embed`'s;
 * without it (or where it gives null) the embedding block is empty and the words alone decide.
 */
export function classifierFromData(data: ClassifierData, embed?: Embed): ReasonClassifier {
  const { labels, trainedOn, threshold, rankedLimit, features, model, calibration } = data;
  const dims = data.embeddingDims ?? 0;
  const rules = ruleFeatures(data.ruleReasons ?? []);
  if (!features || !model) {
    return { labels, trainedOn, threshold, classify: () => ({ reasonId: null, confidence: 0, ranked: [] }) };
  }
  const vectorizer = vectorizerFromState(features);
  return {
    labels,
    trainedOn,
    threshold,
    classify(text, minConfidence = threshold) {
      const words = vectorizer.vectorize(text);
      // No known term means no evidence at all: say so rather than echo a uniform guess.
      if (words.indices.length === 0) return { reasonId: null, confidence: 0, ranked: [] };
      const withRules = rules ? rules.append(words, text, vectorizer.size) : words;
      const embedding = dims > 0 && embed ? embed(text) : null;
      const x = withEmbedding(withRules, embedding, dims);
      const p = new Float64Array(labels.length);
      predictInto(model, x, p);
      // The runner-up is read even when only one reason is listed: the calibration weighs the lead.
      const ranked = topReasons(p, labels, Math.max(2, rankedLimit));
      const confidence = calibrate(calibration ?? IDENTITY, ranked[0]?.p ?? 0, ranked[1]?.p ?? 0);
      const reasonId = confidence >= minConfidence ? ranked[0]!.reasonId : null;
      return { reasonId, confidence, ranked: ranked.slice(0, rankedLimit) };
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
