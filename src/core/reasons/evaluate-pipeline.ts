/**
 * Measures what koe would do with an inquiry, end to end: the rules alone (a new team's first day),
 * and rules plus a classifier trained on a sample of the labels (the team after N labels), on the
 * labels it did not learn from. Backs `koe reasons eval` and the benchmark's development-set lines.
 * Pure.
 */
import type { ReasonGuess } from '../context.ts';
import { seededRandom, shuffleInPlace } from './classifier-random.ts';
import { type ClassifierOptions, DEFAULT_THRESHOLD, type LabeledText, trainClassifier } from './classifier.ts';
import { createReasonGuesser } from './reason-guesser.ts';
import { compileRules } from './rules.ts';
import type { Reason } from './taxonomy.ts';

/** How many inquiries got the right reason, a wrong one, or none. */
export interface Outcome {
  examples: number;
  right: number;
  wrong: number;
  abstained: number;
  /** right / (right + wrong): how far an automatic reason can be trusted (1 when none was given). */
  precision: number;
}

export interface PipelineReport {
  /** The rules alone, on every example. */
  cold: Outcome;
  /** Rules plus a classifier trained on `labels` examples, summed over `splits` random samples. */
  learned: { labels: number; splits: number; threshold: number; atThreshold: Outcome; forced: Outcome } | null;
}

export interface PipelineOptions {
  /** How many labels the classifier learns from (stratified sample); default 100. */
  labels?: number;
  /** How many random samples to average over; default 5. */
  splits?: number;
  threshold?: number;
  seed?: number;
  classifier?: ClassifierOptions;
}

/** Counts right, wrong and abstained guesses over `examples`. */
export function outcomeOf(examples: readonly LabeledText[], guess: (text: string) => string | null): Outcome {
  let right = 0;
  let wrong = 0;
  for (const e of examples) {
    const answer = guess(e.text);
    if (answer === e.reasonId) right++;
    else if (answer !== null) wrong++;
  }
  const answered = right + wrong;
  return {
    examples: examples.length,
    right,
    wrong,
    abstained: examples.length - answered,
    precision: answered ? right / answered : 1,
  };
}

/** Cold rules, then rules + classifier after `labels` labels, on the examples not learnt from. */
export function evaluatePipeline(
  examples: readonly LabeledText[],
  reasons: readonly Reason[],
  options: PipelineOptions = {},
): PipelineReport {
  const rules = compileRules(reasons);
  const reasonIds = new Set(reasons.map((r) => r.id));
  const cold = outcomeOf(examples, (text) =>
    idOf(createReasonGuesser({ rules, classifier: () => null, reasonIds })(text)),
  );
  const labels = options.labels ?? 100;
  const splits = options.splits ?? 5;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (examples.length <= labels) return { cold, learned: null };
  const atThreshold: Outcome[] = [];
  const forced: Outcome[] = [];
  for (let split = 0; split < splits; split++) {
    const { train, test } = stratifiedSample(examples, labels, (options.seed ?? 1) + split);
    const classifier = trainClassifier(train, { ...options.classifier, reasons, threshold });
    const guess = (t: number) => createReasonGuesser({ rules, classifier: () => classifier, threshold: t, reasonIds });
    atThreshold.push(outcomeOf(test, (text) => idOf(guess(threshold)(text))));
    forced.push(outcomeOf(test, (text) => idOf(guess(0)(text))));
  }
  return { cold, learned: { labels, splits, threshold, atThreshold: sum(atThreshold), forced: sum(forced) } };
}

/** `count` examples spread evenly over the reasons (the rest of a small reason's share goes to others). */
export function stratifiedSample(
  examples: readonly LabeledText[],
  count: number,
  seed: number,
): { train: LabeledText[]; test: LabeledText[] } {
  const order = [...examples.keys()];
  shuffleInPlace(order, seededRandom(seed));
  const byReason = new Map<string, number[]>();
  for (const i of order) byReason.set(examples[i]!.reasonId, [...(byReason.get(examples[i]!.reasonId) ?? []), i]);
  const picked = new Set<number>();
  // Deal one per reason per round, so every reason gets its share before any gets more.
  for (let round = 0; picked.size < count; round++) {
    let dealt = false;
    for (const members of byReason.values()) {
      if (round < members.length && picked.size < count) {
        picked.add(members[round]!);
        dealt = true;
      }
    }
    if (!dealt) break;
  }
  return {
    train: order.filter((i) => picked.has(i)).map((i) => examples[i]!),
    test: order.filter((i) => !picked.has(i)).map((i) => examples[i]!),
  };
}

function idOf(guess: ReasonGuess | null): string | null {
  return guess?.reasonId ?? null;
}

function sum(outcomes: readonly Outcome[]): Outcome {
  const total = { examples: 0, right: 0, wrong: 0, abstained: 0 };
  for (const o of outcomes) {
    total.examples += o.examples;
    total.right += o.right;
    total.wrong += o.wrong;
    total.abstained += o.abstained;
  }
  const answered = total.right + total.wrong;
  return { ...total, precision: answered ? total.right / answered : 1 };
}

/** One line: right, wrong, answered and precision as percentages of the examples. */
export function formatOutcome(o: Outcome): string {
  const pct = (n: number) => `${((n / Math.max(1, o.examples)) * 100).toFixed(1)}%`;
  return `right ${pct(o.right)}, wrong ${pct(o.wrong)}, answered ${pct(o.right + o.wrong)} at precision ${(o.precision * 100).toFixed(1)}% (${o.examples} inquiries)`;
}
