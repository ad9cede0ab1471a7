/**
 * Measures the contact-reason classifier on the team's own labels by k-fold
 * cross-validation: every label is predicted once by a model that never saw
 * it. Pure; backs `koe reasons eval`.
 */
import { type ClassifierOptions, DEFAULT_THRESHOLD, type LabeledText, trainClassifier } from './classifier.ts';
import { assignFolds, compareStrings } from './folds.ts';

/** Options for {@link crossValidate}. */
export interface CrossValidationOptions {
  /** Number of folds (default 5); at least 2, at most the number of examples. */
  folds?: number;
  /** Confidence thresholds for the coverage/accuracy table (default 0, 0.3 … 0.9 and the classifier default). */
  thresholds?: readonly number[];
  /** Seed for the fold split (and, unless `classifier.seed` is set, for training). */
  seed?: number;
  /** Passed to every fold's {@link trainClassifier}. */
  classifier?: ClassifierOptions;
  /** How many of the most frequent confusions to list (default 10). */
  confusionLimit?: number;
  /** The taxonomy's reason ids, so a reason with no labels at all is listed too (see {@link summarizeConfusion}). */
  reasonIds?: readonly string[];
}

/** How one reason fared, with no abstention. */
export interface ReasonStats {
  reasonId: string;
  /** Examples labeled with this reason. */
  support: number;
  /** Times the classifier answered this reason. */
  predicted: number;
  /** Examples of this reason it got right. */
  correct: number;
  /** correct / predicted (0 if never predicted): how far to trust this answer. */
  precision: number;
  /** correct / support: the accuracy on this reason's inquiries. */
  recall: number;
  /** Harmonic mean of precision and recall. */
  f1: number;
}

/** The trade-off at one abstention threshold. */
export interface ThresholdStats {
  threshold: number;
  /** Examples that got a reason (confidence ≥ threshold). */
  covered: number;
  /** Covered examples whose reason was right. */
  correct: number;
  /** covered / examples: the share not abstained. */
  coverage: number;
  /** correct / covered (1 if nothing covered): accuracy among answered inquiries. */
  accuracy: number;
}

/** A pair of reasons the classifier mixes up. */
export interface Confusion {
  actual: string;
  predicted: string;
  count: number;
}

/** The result of {@link crossValidate}: plain data, ready to print or serialise. */
export interface CrossValidationReport {
  examples: number;
  folds: number;
  /** Share of examples whose top-ranked reason is right (no abstention); 0 with no examples. */
  accuracy: number;
  /** Per reason, in label order. */
  reasons: ReasonStats[];
  /** One row per threshold, ascending. */
  tradeoff: ThresholdStats[];
  /** Most frequent (actual → predicted) mistakes, most frequent first. */
  confusions: Confusion[];
  /** Per reason: its labels and what it is mixed up with, both ways; and which labels would help most. */
  mixUps: ConfusionSummary;
}

/** Another reason and how many held-out inquiries went that way. */
export interface MixUp {
  reasonId: string;
  count: number;
}

/** One reason's row of the cross-validated confusion, read both ways. */
export interface ReasonConfusion {
  reasonId: string;
  /** Inquiries labeled with this reason. */
  labels: number;
  /** Of those, how many the held-out model named right. */
  correct: number;
  /** Of those, how many it named wrong or could not name at all (labels − correct). */
  missed: number;
  /** Inquiries of other reasons it named as this one. */
  taken: number;
  /** Its row: the reasons its inquiries were mistaken for, most often first (at most `limit`). */
  mistakenFor: MixUp[];
  /** Its column: the reasons whose inquiries were taken for it, most often first (at most `limit`). */
  takenFrom: MixUp[];
}

/** A reason worth labeling more of: few labels, many mix-ups. */
export interface LabelAdvice {
  reasonId: string;
  labels: number;
  /** missed + taken: every held-out mistake this reason is part of. */
  mixUps: number;
}

/** What {@link summarizeConfusion} returns. */
export interface ConfusionSummary {
  /** One row per reason with labels or in the taxonomy, by id (as in {@link CrossValidationReport.reasons}). */
  reasons: ReasonConfusion[];
  /** Reasons to label more of, most needed first: mix-ups per label, highest first (ties: fewer labels). */
  labelMore: LabelAdvice[];
  /** Reasons in the taxonomy with no label at all: the classifier cannot name them. */
  unlabeled: string[];
}

/** One held-out prediction: the label a person gave and what the model said (null: no answer at all). */
export interface HeldOut {
  actual: string;
  predicted: string | null;
}

const DEFAULT_THRESHOLDS = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** Stratified k-fold cross-validation of the classifier on `examples`. */
export function crossValidate(
  examples: readonly LabeledText[],
  options: CrossValidationOptions = {},
): CrossValidationReport {
  const seed = options.seed ?? 1;
  // One fold would train on nothing; fewer than two examples cannot be split.
  const folds = examples.length < 2 ? 0 : Math.min(Math.max(2, options.folds ?? 5), examples.length);
  const thresholds = [...new Set(options.thresholds ?? [...DEFAULT_THRESHOLDS, DEFAULT_THRESHOLD])].sort(
    (a, b) => a - b,
  );
  const foldOf = assignFolds(examples, folds, seed);

  // Out-of-fold top-ranked reason and its confidence, per example.
  const predicted: (string | null)[] = new Array(examples.length).fill(null);
  const confidence = new Float64Array(examples.length);
  // A held-out label is classified with its own embedding, as the encoder would give it.
  const embeddingOf = new Map(examples.map((e) => [e.text, e.embedding ?? null]));
  const embed = (text: string) => embeddingOf.get(text) ?? null;
  for (let fold = 0; fold < folds; fold++) {
    const training = examples.filter((_, i) => foldOf[i] !== fold);
    const classifier = trainClassifier(training, { seed, ...options.classifier }, embed);
    examples.forEach((example, i) => {
      if (foldOf[i] !== fold) return;
      // Threshold 0 never abstains on a text with known terms; the table applies thresholds below.
      const prediction = classifier.classify(example.text, 0);
      predicted[i] = prediction.ranked[0]?.reasonId ?? null;
      confidence[i] = prediction.confidence;
    });
  }

  return {
    examples: examples.length,
    folds,
    accuracy: ratio(
      countWhere(examples, (e, i) => predicted[i] === e.reasonId),
      examples.length,
      0,
    ),
    reasons: reasonStats(examples, predicted),
    tradeoff: thresholds.map((threshold) => {
      let covered = 0;
      let correct = 0;
      examples.forEach((e, i) => {
        if (predicted[i] === null || confidence[i]! < threshold) return;
        covered++;
        if (predicted[i] === e.reasonId) correct++;
      });
      return {
        threshold,
        covered,
        correct,
        coverage: ratio(covered, examples.length, 0),
        accuracy: ratio(correct, covered, 1),
      };
    }),
    confusions: confusions(examples, predicted, options.confusionLimit ?? 10),
    mixUps: summarizeConfusion(
      examples.map((e, i) => ({ actual: e.reasonId, predicted: predicted[i] ?? null })),
      options.reasonIds ? { reasonIds: options.reasonIds } : {},
    ),
  };
}

/**
 * Reads the cross-validated confusion both ways for every reason: its row (the reasons its
 * inquiries were mistaken for) and its column (the reasons whose inquiries were taken for it), and
 * picks the reasons whose labels would help most. A reason's need is its mix-ups (missed + taken)
 * per label, so a reason with few labels and many mistakes comes first; a reason with no mix-up is
 * never advised, and one with no label at all is listed apart (`unlabeled`). Pure.
 */
export function summarizeConfusion(
  heldOut: readonly HeldOut[],
  options: { reasonIds?: readonly string[]; limit?: number; adviceLimit?: number } = {},
): ConfusionSummary {
  const limit = options.limit ?? 3;
  const taxonomy = options.reasonIds ?? [];
  const seen = new Set(heldOut.flatMap((h) => (h.predicted === null ? [h.actual] : [h.actual, h.predicted])));
  const ids = [...new Set([...taxonomy, ...seen])].sort(compareStrings);
  const rows = new Map(
    ids.map((id) => [
      id,
      { labels: 0, correct: 0, taken: 0, row: new Map<string, number>(), column: new Map<string, number>() },
    ]),
  );
  for (const { actual, predicted } of heldOut) {
    const mine = rows.get(actual)!;
    mine.labels++;
    if (predicted === actual) {
      mine.correct++;
      continue;
    }
    if (predicted === null) continue;
    mine.row.set(predicted, (mine.row.get(predicted) ?? 0) + 1);
    const theirs = rows.get(predicted)!;
    theirs.taken++;
    theirs.column.set(actual, (theirs.column.get(actual) ?? 0) + 1);
  }
  const reasons = ids.map((reasonId): ReasonConfusion => {
    const r = rows.get(reasonId)!;
    return {
      reasonId,
      labels: r.labels,
      correct: r.correct,
      missed: r.labels - r.correct,
      taken: r.taken,
      mistakenFor: topMixUps(r.row, limit),
      takenFrom: topMixUps(r.column, limit),
    };
  });
  const need = (r: LabelAdvice) => r.mixUps / r.labels;
  const labelMore = reasons
    .filter((r) => r.labels > 0 && r.missed + r.taken > 0)
    .map((r) => ({ reasonId: r.reasonId, labels: r.labels, mixUps: r.missed + r.taken }))
    .sort((a, b) => need(b) - need(a) || a.labels - b.labels || compareStrings(a.reasonId, b.reasonId))
    .slice(0, options.adviceLimit ?? 3);
  return { reasons, labelMore, unlabeled: reasons.filter((r) => r.labels === 0).map((r) => r.reasonId) };
}

function topMixUps(counts: ReadonlyMap<string, number>, limit: number): MixUp[] {
  return [...counts]
    .map(([reasonId, count]) => ({ reasonId, count }))
    .sort((a, b) => b.count - a.count || compareStrings(a.reasonId, b.reasonId))
    .slice(0, limit);
}

/** Renders a report as a plain-text table for the CLI. */
export function formatCrossValidation(report: CrossValidationReport): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `${report.examples} labeled examples, ${report.folds}-fold cross-validation`,
    `accuracy (no abstention): ${pct(report.accuracy)}`,
    '',
    'threshold  coverage  accuracy',
    ...report.tradeoff.map(
      (t) => `${t.threshold.toFixed(2).padStart(9)}  ${pct(t.coverage).padStart(8)}  ${pct(t.accuracy).padStart(8)}`,
    ),
    '',
  ];
  const width = Math.max(6, ...report.reasons.map((r) => r.reasonId.length));
  lines.push(`${'reason'.padEnd(width)}   labels  precision  recall     f1`);
  for (const r of report.reasons) {
    lines.push(
      `${r.reasonId.padEnd(width)}  ${String(r.support).padStart(7)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(6)}  ${pct(r.f1).padStart(6)}`,
    );
  }
  if (report.confusions.length > 0) {
    lines.push('', 'most frequent mix-ups (actual → predicted):');
    for (const c of report.confusions) lines.push(`  ${c.count} × ${c.actual} → ${c.predicted}`);
  }
  lines.push('', ...formatMixUps(report.mixUps), '', labelMoreLine(report.mixUps));
  return lines.join('\n');
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const mixUpList = (mixUps: readonly MixUp[]) => mixUps.map((m) => `${m.reasonId} ${m.count}`).join(', ');

/** Per reason, one line: its labels, what its inquiries were mistaken for (→) and whose were taken for it (←). */
export function formatMixUps(summary: ConfusionSummary): string[] {
  const width = Math.max(6, ...summary.reasons.map((r) => r.reasonId.length));
  const counts = summary.reasons.map((r) =>
    r.labels === 0 ? '0 labels' : `${plural(r.labels, 'label')}, ${r.correct} right`,
  );
  const countWidth = Math.max(...counts.map((c) => c.length), 0);
  return [
    'mix-ups per reason (→ reasons its inquiries were taken for, ← reasons whose inquiries were taken for it):',
    ...summary.reasons.map((r, i) => {
      const head = `  ${r.reasonId.padEnd(width)}  ${counts[i]!.padEnd(countWidth)}`;
      if (r.labels === 0 && r.taken === 0) return `${head}  no labels yet: the classifier cannot name it`;
      const ways = [
        ...(r.mistakenFor.length > 0 ? [`→ ${mixUpList(r.mistakenFor)}`] : []),
        ...(r.takenFrom.length > 0 ? [`← ${mixUpList(r.takenFrom)}`] : []),
      ];
      return `${head}  ${ways.length > 0 ? ways.join('   ') : 'no mix-ups'}`;
    }),
  ];
}

/** The one line that says whose labels would help most. */
export function labelMoreLine(summary: ConfusionSummary): string {
  const shown = 3;
  const advised = summary.labelMore.map(
    (a) => `${a.reasonId} (${plural(a.labels, 'label')}, ${plural(a.mixUps, 'mix-up')})`,
  );
  const unlabeled = summary.unlabeled.slice(0, shown).map((id) => `${id} (no labels yet)`);
  const more = summary.unlabeled.length - unlabeled.length;
  if (advised.length === 0 && unlabeled.length === 0) {
    return 'label more of these: none stands out; every held-out label was named right.';
  }
  return `label more of these: ${[...advised, ...unlabeled].join(', ')}${more > 0 ? ` and ${more} more reasons with no labels` : ''}.`;
}

function reasonStats(examples: readonly LabeledText[], predicted: readonly (string | null)[]): ReasonStats[] {
  const tally = new Map<string, { support: number; predicted: number; correct: number }>();
  const entry = (reasonId: string) => {
    const t = tally.get(reasonId) ?? { support: 0, predicted: 0, correct: 0 };
    tally.set(reasonId, t);
    return t;
  };
  examples.forEach((e, i) => {
    const guess = predicted[i];
    entry(e.reasonId).support++;
    if (guess === null || guess === undefined) return;
    entry(guess).predicted++;
    if (guess === e.reasonId) entry(guess).correct++;
  });
  return [...tally.keys()].sort(compareStrings).map((reasonId) => {
    const { support, predicted: answered, correct } = tally.get(reasonId)!;
    const precision = ratio(correct, answered, 0);
    const recall = ratio(correct, support, 0);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { reasonId, support, predicted: answered, correct, precision, recall, f1 };
  });
}

function confusions(
  examples: readonly LabeledText[],
  predicted: readonly (string | null)[],
  limit: number,
): Confusion[] {
  const counts = new Map<string, Confusion>();
  examples.forEach((e, i) => {
    const guess = predicted[i];
    if (guess === null || guess === undefined || guess === e.reasonId) return;
    const key = `${e.reasonId}\u0000${guess}`;
    const entry = counts.get(key) ?? { actual: e.reasonId, predicted: guess, count: 0 };
    entry.count++;
    counts.set(key, entry);
  });
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || compareStrings(a.actual, b.actual) || compareStrings(a.predicted, b.predicted))
    .slice(0, limit);
}

function countWhere<T>(items: readonly T[], test: (item: T, index: number) => boolean): number {
  let n = 0;
  items.forEach((item, i) => {
    if (test(item, i)) n++;
  });
  return n;
}

function ratio(numerator: number, denominator: number, ifEmpty: number): number {
  return denominator === 0 ? ifEmpty : numerator / denominator;
}
