import { describe, expect, it } from 'vitest';
import type { LabeledText } from '../../../src/core/reasons/classifier.ts';
import { crossValidate, formatCrossValidation } from '../../../src/core/reasons/evaluate.ts';

// crossValidate's options and defaults on a few labels and five passes of training
// (evaluate.test.ts works its numbers out by hand).

const label = (reasonId: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, reasonId }));
const examples = [
  ...label('fruit', ['apple banana', 'banana cherry', 'cherry apple', 'apple plum']),
  ...label('vehicle', ['truck bus', 'bus train', 'train truck', 'truck van']),
  // Two mix-ups of different kinds, for the confusion list.
  { text: 'banana apple', reasonId: 'vehicle' },
  { text: 'bus truck', reasonId: 'fruit' },
];
const FAST = { epochs: 5 };

describe('crossValidate options', () => {
  it('makes five folds by default, at least two and at most one per example', () => {
    expect(crossValidate(examples, { classifier: FAST }).folds).toBe(5);
    expect(crossValidate(examples, { folds: 1, classifier: FAST }).folds).toBe(2);
    expect(crossValidate(examples, { folds: 40, classifier: FAST }).folds).toBe(10);
    expect(crossValidate(examples.slice(0, 3), { classifier: FAST }).folds).toBe(3);
    expect(crossValidate(examples.slice(0, 2), { classifier: FAST })).toMatchObject({ folds: 2, examples: 2 });
  });

  it('reports 0 to 0.9 by tenths from 0.3, and the default threshold, unless told otherwise, sorted once each', () => {
    const report = crossValidate(examples, { classifier: FAST });
    expect(report.tradeoff.map((t) => t.threshold)).toEqual([0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9]);
    const asked = crossValidate(examples, { thresholds: [0.9, 0, 0.9, 2], classifier: FAST });
    expect(asked.tradeoff.map((t) => t.threshold)).toEqual([0, 0.9, 2]);
    // Nothing clears 2: nothing covered, and what was covered is vacuously right.
    expect(asked.tradeoff[2]).toEqual({ threshold: 2, covered: 0, correct: 0, coverage: 0, accuracy: 1 });
    expect(asked.tradeoff[0]!.covered).toBe(10);
  });

  it('lists the most frequent mix-ups, ten by default, in a stable order', () => {
    const { confusions } = crossValidate(examples, { classifier: FAST, seed: 2 });
    // Both ways mixed up as often: by the actual reason, then the predicted one.
    expect(confusions.map((c) => [c.actual, c.predicted])).toEqual([
      ['fruit', 'vehicle'],
      ['vehicle', 'fruit'],
    ]);
    expect(confusions[0]!.count).toBe(confusions[1]!.count);
    expect(crossValidate(examples, { classifier: FAST, seed: 2, confusionLimit: 1 }).confusions).toEqual([
      confusions[0],
    ]);
    expect(crossValidate(examples, { classifier: FAST, seed: 2, confusionLimit: 0 }).confusions).toEqual([]);
  });

  it('trains with the fold seed unless the classifier has its own', () => {
    const a = crossValidate(examples, { seed: 3, classifier: FAST });
    expect(crossValidate(examples, { seed: 3, classifier: { ...FAST, seed: 3 } })).toEqual(a);
    expect(crossValidate(examples, { classifier: FAST })).toEqual(
      crossValidate(examples, { seed: 1, classifier: FAST }),
    );
  });

  it('counts a text with no known term as unanswered, and a reason never named right at f1 0', () => {
    const withStranger = [
      ...examples.slice(0, 8),
      { text: 'zzqx', reasonId: 'odd' },
      { text: 'apple', reasonId: 'odd' },
    ];
    const report = crossValidate(withStranger, { folds: 2, thresholds: [0], classifier: FAST });
    const odd = report.reasons.find((r) => r.reasonId === 'odd')!;
    // "zzqx" gets no answer.
    expect(odd).toMatchObject({ reasonId: 'odd', support: 2, correct: 0, precision: 0, recall: 0, f1: 0 });
    expect(report.tradeoff[0]!.covered).toBe(9);
    expect(report.confusions.filter((c) => c.actual === 'odd')).toEqual([
      { actual: 'odd', predicted: 'fruit', count: 1 },
    ]);
    expect(report.mixUps.reasons.find((r) => r.reasonId === 'odd')!.mistakenFor).toEqual([
      { reasonId: 'fruit', count: 1 },
    ]);
  });

  it('pads the table to the longest reason id', () => {
    const long = [
      ...label('a_rather_long_reason', ['apple banana', 'banana cherry']),
      ...label('b', ['truck bus', 'bus train']),
    ];
    const text = formatCrossValidation(crossValidate(long, { folds: 2, thresholds: [0], classifier: FAST }));
    expect(text).toContain('reason                 labels  precision  recall     f1');
    expect(text).toContain(`\nb${' '.repeat(27)}2     100.0%  100.0%  100.0%`);
    expect(text).toContain(`\na_rather_long_reason${' '.repeat(8)}2     100.0%`);
    expect(text).toContain('     0.00    100.0%');
  });
});
