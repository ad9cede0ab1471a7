import { beforeEach, describe, expect, it } from 'vitest';
import type { LabeledText } from '../../../src/core/reasons/classifier.ts';
import { crossValidate, formatCrossValidation } from '../../../src/core/reasons/evaluate.ts';

const label = (reasonId: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, reasonId }));

// Fruit is always "fruit", vehicles always "vehicle" – except one mislabeled
// fruit text, which every fold's model (trained on the other fruit texts)
// will call "fruit". So by hand: fruit 8/8 right, predicted 9 times;
// vehicle 8/9 right, predicted 8 times; accuracy 16/17.
const fruit = label('fruit', [
  'apple banana',
  'banana cherry',
  'cherry apple',
  'apple apple banana',
  'banana banana',
  'cherry cherry apple',
  'apple cherry banana',
  'banana apple',
]);
const vehicles = label('vehicle', [
  'truck bicycle',
  'bicycle train',
  'train truck',
  'truck truck bicycle',
  'train train',
  'bicycle bicycle train',
  'truck train bicycle',
  'bicycle truck',
]);
const mislabeled: LabeledText = { text: 'banana mango', reasonId: 'vehicle' };
const tiny = [...fruit, ...vehicles, mislabeled];
// Five passes tell fruit from vehicles as surely as the default hundreds, in a hundredth of the time
// (these tests run for every mutant of the classifier in the reasons mutation group).
const FAST = { epochs: 5 };

describe('crossValidate', () => {
  // Built before each test rather than as the file loads, so that mutation testing traces the
  // code it runs to the tests that read the report.
  let report: ReturnType<typeof crossValidate>;
  beforeEach(() => {
    report = crossValidate(tiny, { folds: 4, thresholds: [0, 0.5, 0.9], seed: 3, classifier: FAST });
  });

  it('predicts every example once, out of fold', () => {
    expect(report.examples).toBe(17);
    expect(report.folds).toBe(4);
    expect(report.accuracy).toBeCloseTo(16 / 17, 10);
  });

  it('reports per-reason support, precision and recall that add up by hand', () => {
    expect(report.reasons).toEqual([
      {
        reasonId: 'fruit',
        support: 8,
        predicted: 9,
        correct: 8,
        precision: 8 / 9,
        recall: 1,
        f1: (2 * (8 / 9)) / (8 / 9 + 1),
      },
      {
        reasonId: 'vehicle',
        support: 9,
        predicted: 8,
        correct: 8,
        precision: 1,
        recall: 8 / 9,
        f1: (2 * (8 / 9)) / (8 / 9 + 1),
      },
    ]);
  });

  it('lists the mix-up', () => {
    expect(report.confusions).toEqual([{ actual: 'vehicle', predicted: 'fruit', count: 1 }]);
  });

  it('reads the mix-up both ways per reason, and lists a taxonomy reason with no labels', () => {
    const withTaxonomy = crossValidate(tiny, {
      folds: 4,
      thresholds: [0],
      seed: 3,
      classifier: FAST,
      reasonIds: ['vehicle', 'fruit', 'veg'],
    });
    expect(
      withTaxonomy.mixUps.reasons.map((r) => [r.reasonId, r.labels, r.correct, r.mistakenFor, r.takenFrom]),
    ).toEqual([
      ['fruit', 8, 8, [], [{ reasonId: 'vehicle', count: 1 }]],
      ['veg', 0, 0, [], []],
      ['vehicle', 9, 8, [{ reasonId: 'fruit', count: 1 }], []],
    ]);
    expect(withTaxonomy.mixUps.labelMore.map((a) => a.reasonId)).toEqual(['fruit', 'vehicle']);
    expect(withTaxonomy.mixUps.unlabeled).toEqual(['veg']);
    expect(formatCrossValidation(withTaxonomy)).toContain(
      'label more of these: fruit (8 labels, 1 mix-up), vehicle (9 labels, 1 mix-up), veg (no labels yet).',
    );
  });

  it('covers everything at threshold 0, with the plain accuracy', () => {
    expect(report.tradeoff[0]).toEqual({ threshold: 0, covered: 17, correct: 16, coverage: 1, accuracy: 16 / 17 });
  });

  it('covers less as the threshold rises', () => {
    const wide = crossValidate(tiny, {
      folds: 4,
      thresholds: [0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99],
      seed: 3,
      classifier: FAST,
    });
    const coverage = wide.tradeoff.map((t) => t.coverage);
    for (let i = 1; i < coverage.length; i++) expect(coverage[i]).toBeLessThanOrEqual(coverage[i - 1]!);
    expect(coverage.at(-1)).toBeLessThan(coverage[0]!);
  });

  it('is reproducible for a seed', () => {
    expect(crossValidate(tiny, { folds: 4, seed: 3, classifier: FAST })).toEqual(
      crossValidate(tiny, { folds: 4, seed: 3, classifier: FAST }),
    );
  });

  it('deals each reason evenly across folds', () => {
    // 8 fruit over 4 folds: if one fold held no fruit its model could not predict fruit at all.
    const noMislabel = crossValidate([...fruit, ...vehicles], { folds: 4, seed: 5, classifier: FAST });
    expect(noMislabel.accuracy).toBe(1);
  });

  it('returns an empty report for fewer than two examples', () => {
    const empty = crossValidate([]);
    expect(empty).toMatchObject({ examples: 0, folds: 0, accuracy: 0, reasons: [], confusions: [] });
    expect(empty.tradeoff.every((t) => t.covered === 0 && t.coverage === 0)).toBe(true);
    expect(crossValidate(fruit.slice(0, 1)).folds).toBe(0);
  });

  it('formats a readable table', () => {
    const text = formatCrossValidation(report);
    expect(text).toContain('17 labeled examples, 4-fold cross-validation');
    expect(text).toContain('accuracy (no abstention): 94.1%');
    expect(text).toMatch(/vehicle\s+9\s+100\.0%\s+88\.9%/);
    expect(text).toContain('1 × vehicle → fruit');
  });
});
