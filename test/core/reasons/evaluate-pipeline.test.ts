import { describe, expect, it } from 'vitest';
import type { LabeledText } from '../../../src/core/reasons/classifier.ts';
import {
  evaluatePipeline,
  formatOutcome,
  outcomeOf,
  stratifiedSample,
} from '../../../src/core/reasons/evaluate-pipeline.ts';
import type { Reason } from '../../../src/core/reasons/taxonomy.ts';

// The pipeline's bookkeeping on a dozen labels and a few passes of training (dev-set.test.ts and
// dev-set-learned.test.ts measure it on the development set).

const label = (reasonId: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, reasonId }));
const examples: LabeledText[] = [
  ...label('fruit', ['apple banana', 'banana cherry', 'cherry apple', 'apple plum', 'plum banana', 'fruit salad']),
  ...label('vehicle', ['truck bus', 'bus train', 'train truck', 'truck van', 'van bus', 'my vehicle']),
];
const reason = (id: string, keywords: string[]): Reason => ({ id, label: { ja: id, en: id }, keywords, patterns: [] });
// The rules know two words, one of them for the wrong reason.
const reasons = [reason('fruit', ['fruit', 'truck']), reason('vehicle', ['vehicle'])];
const FAST = { epochs: 5 };

describe('outcomeOf', () => {
  it('counts right, wrong and abstained, and the precision of the answers', () => {
    const answers: Record<string, string | null> = { a: 'x', b: 'y', c: null, d: 'x' };
    const o = outcomeOf(
      ['a', 'b', 'c', 'd'].map((text) => ({ text, reasonId: 'x' })),
      (text) => answers[text]!,
    );
    expect(o).toEqual({ examples: 4, right: 2, wrong: 1, abstained: 1, precision: 2 / 3 });
    expect(outcomeOf([{ text: 'c', reasonId: 'x' }], () => null)).toEqual({
      examples: 1,
      right: 0,
      wrong: 0,
      abstained: 1,
      precision: 1,
    });
  });
});

describe('formatOutcome', () => {
  it('gives shares of the examples and the precision, to a tenth of a percent', () => {
    expect(formatOutcome({ examples: 8, right: 5, wrong: 1, abstained: 2, precision: 5 / 6 })).toBe(
      'right 62.5%, wrong 12.5%, answered 75.0% at precision 83.3% (8 inquiries)',
    );
    expect(formatOutcome({ examples: 0, right: 0, wrong: 0, abstained: 0, precision: 1 })).toBe(
      'right 0.0%, wrong 0.0%, answered 0.0% at precision 100.0% (0 inquiries)',
    );
  });
});

describe('stratifiedSample', () => {
  const lopsided = [...label('a', ['a1', 'a2', 'a3', 'a4']), ...label('b', ['b1'])];

  it('deals one label per reason per round, the rest of a small reason’s share to the others', () => {
    const { train, test } = stratifiedSample(lopsided, 3, 1);
    expect(train.filter((e) => e.reasonId === 'b')).toHaveLength(1);
    expect(train.filter((e) => e.reasonId === 'a')).toHaveLength(2);
    expect(test).toHaveLength(2);
    expect([...train, ...test].map((e) => e.text).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1']);
    expect(stratifiedSample(lopsided, 1, 1).train).toHaveLength(1);
    expect(
      stratifiedSample(lopsided, 2, 1)
        .train.map((e) => e.reasonId)
        .sort(),
    ).toEqual(['a', 'b']);
  });

  it('takes everything when asked for more than there is, and shuffles by the seed', () => {
    const all = stratifiedSample(lopsided, 9, 1);
    expect(all.train).toHaveLength(5);
    expect(all.test).toEqual([]);
    const orders = new Set(
      [1, 2, 3, 4, 5].map((seed) =>
        stratifiedSample(lopsided, 5, seed)
          .train.map((e) => e.text)
          .join(),
      ),
    );
    expect(orders.size).toBeGreaterThan(1);
    expect(stratifiedSample(lopsided, 3, 4)).toEqual(stratifiedSample(lopsided, 3, 4));
  });
});

describe('evaluatePipeline', () => {
  it('scores the rules alone on every example', () => {
    const { cold, learned } = evaluatePipeline(examples, reasons, { splits: 0 });
    // "fruit salad" and "my vehicle" right, "truck bus", "train truck" and "truck van" wrong.
    expect(cold).toEqual({ examples: 12, right: 2, wrong: 3, abstained: 7, precision: 2 / 5 });
    expect(learned).toBeNull();
  });

  it('learns from `labels` examples per split and scores the rest, summed over the splits', () => {
    const report = evaluatePipeline(examples, reasons, { labels: 8, splits: 2, threshold: 0.5, classifier: FAST });
    const { labels, splits, threshold, atThreshold, forced } = report.learned!;
    expect([labels, splits, threshold]).toEqual([8, 2, 0.5]);
    for (const o of [atThreshold, forced]) {
      expect(o.examples).toBe(2 * 4);
      expect(o.right + o.wrong + o.abstained).toBe(8);
      expect(o.precision).toBeCloseTo(o.right + o.wrong === 0 ? 1 : o.right / (o.right + o.wrong), 12);
    }
    // Forced (threshold 0), the classifier answers whatever the rules do not.
    expect(forced.abstained).toBe(0);
    expect(forced.right).toBeGreaterThan(4);
    expect(atThreshold.right + atThreshold.wrong).toBeLessThanOrEqual(forced.right + forced.wrong);
  });

  it('learns from 100 labels over 5 splits at the default threshold unless told otherwise', () => {
    expect(evaluatePipeline(examples, reasons).learned).toBeNull();
    expect(evaluatePipeline(examples, reasons, { labels: 12 }).learned).toBeNull();
    const report = evaluatePipeline(examples, reasons, { labels: 11, classifier: FAST });
    expect(report.learned).toMatchObject({ labels: 11, splits: 5, threshold: 0.75 });
    expect(report.learned!.forced.examples).toBe(5);
    // Split k draws with seed + k.
    const seeded = (seed?: number, splits = 1) =>
      evaluatePipeline(examples, reasons, { labels: 11, splits, classifier: FAST, ...(seed !== undefined && { seed }) })
        .learned!.forced;
    expect(seeded()).toEqual(seeded(1));
    const samples = new Set([1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(seeded(seed))));
    expect(samples.size).toBeGreaterThan(1);
  });
});
