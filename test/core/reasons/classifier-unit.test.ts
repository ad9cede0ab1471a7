import { describe, expect, it } from 'vitest';
import { fitPlatt, IDENTITY } from '../../../src/core/reasons/calibration.ts';
import {
  type ClassifierData,
  classifierFromData,
  DEFAULT_THRESHOLD,
  fitCalibrationData,
  type LabeledText,
  trainClassifier,
  trainClassifierData,
  trainModelData,
} from '../../../src/core/reasons/classifier.ts';
import { fitTfidf } from '../../../src/core/reasons/features-tfidf.ts';
import { assignFolds } from '../../../src/core/reasons/folds.ts';
import type { Reason } from '../../../src/core/reasons/taxonomy.ts';

// The classifier's bookkeeping on models small enough to train in a few hundred updates, or written
// by hand (classifier.test.ts checks what it learns with the default training, which takes seconds
// once Stryker has instrumented it).

const label = (reasonId: string, texts: string[]): LabeledText[] => texts.map((text) => ({ text, reasonId }));
const FAST = { epochs: 4 };

// 25 labels: enough to calibrate (20). "zzqx" is in one label only: in its held-out fold it shares
// no term with the others, so the calibration must skip it.
const examples: LabeledText[] = [
  ...label('vehicle', ['truck bicycle', 'bicycle train', 'train truck', 'truck truck', 'train bus', 'bus truck']),
  ...label('fruit', ['apple banana', 'banana cherry', 'cherry apple', 'apple apple', 'banana plum', 'plum apple']),
  ...label('color', ['red blue', 'blue green', 'green red', 'red red', 'blue pink', 'pink green']),
  ...label('animal', ['cat dog', 'dog cow', 'cow cat', 'cat cat', 'dog horse', 'horse cow', 'zzqx']),
];

/** A hand-made model over the words x and y: `weights[feature * 4 + class]` for classes a, b, c, d. */
function handMade(weights: number[], extra: Partial<ClassifierData> = {}): ClassifierData {
  const { state } = fitTfidf(['x y'], { charNgramMax: 0, wordBigrams: false });
  return {
    labels: ['a', 'b', 'c', 'd'],
    trainedOn: 9,
    threshold: 0.5,
    rankedLimit: 4,
    features: state,
    model: { classes: 4, features: 2, weights: Float32Array.from(weights) },
    calibration: IDENTITY,
    ruleReasons: [],
    embeddingDims: 0,
    ...extra,
  };
}

describe('classifierFromData', () => {
  it('ranks best first, ties to the earlier label, and cuts the list at rankedLimit', () => {
    // x and y weigh alike (their feature order depends on their hashes): "x" alone scores 1, 2, 2, 0.
    const data = handMade([1, 2, 2, 0, 1, 2, 2, 0]);
    const classifier = classifierFromData(data);
    expect(classifier.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(classifier.trainedOn).toBe(9);
    expect(classifier.threshold).toBe(0.5);
    const { ranked, confidence, reasonId } = classifier.classify('x');
    const e = [Math.E, Math.E ** 2, Math.E ** 2, 1];
    const sum = e.reduce((s, v) => s + v, 0);
    expect(ranked.map((r) => r.reasonId)).toEqual(['b', 'c', 'a', 'd']);
    expect(ranked[0]!.p).toBeCloseTo(e[1]! / sum, 10);
    expect(ranked[2]!.p).toBeCloseTo(e[0]! / sum, 10);
    expect(ranked[3]!.p).toBeCloseTo(1 / sum, 10);
    // The identity calibration: the confidence is the top probability, below 0.5 here.
    expect(confidence).toBeCloseTo(e[1]! / sum, 10);
    expect(reasonId).toBeNull();
    expect(classifier.classify('x', confidence).reasonId).toBe('b');
    expect(classifier.classify('x', confidence + 1e-9).reasonId).toBeNull();

    const two = classifierFromData({ ...data, rankedLimit: 2 }).classify('x').ranked;
    expect(two.map((r) => r.reasonId)).toEqual(['b', 'c']);
    const three = classifierFromData({ ...data, rankedLimit: 3 }).classify('y').ranked;
    expect(three.map((r) => r.reasonId)).toEqual(['b', 'c', 'a']);
  });

  it('keeps the best when a later reason beats those already ranked, at any limit', () => {
    // Scores rise with the label: d, c, b, a.
    const data = handMade([0, 1, 2, 3, 0, 1, 2, 3]);
    for (const limit of [1, 2, 3, 4]) {
      const { ranked } = classifierFromData({ ...data, rankedLimit: limit }).classify('x y');
      expect(ranked.map((r) => r.reasonId)).toEqual(['d', 'c', 'b', 'a'].slice(0, limit));
    }
    // Scores fall: a, b, c, d, with a limit that fills up early.
    const falling = classifierFromData({ ...handMade([3, 2, 1, 0, 3, 2, 1, 0]), rankedLimit: 2 });
    expect(falling.classify('x').ranked.map((r) => r.reasonId)).toEqual(['a', 'b']);
  });

  it('calibrates the top probability with the runner-up’s, even when it lists one reason', () => {
    const calibration = { a: 1, b: 0, c: 1 };
    const data = handMade([0, Math.log(2), 0, 0, 0, Math.log(2), 0, 0], { calibration, rankedLimit: 1 });
    const prediction = classifierFromData(data).classify('x');
    // p = (1, 2, 1, 1) / 5: the lead over the runner-up is 2.
    const p1 = 2 / 5;
    const expected = 1 / (1 + Math.exp(-(Math.log(p1 / (1 - p1)) + Math.log(2))));
    expect(prediction.ranked).toEqual([{ reasonId: 'b', p: expect.closeTo(p1, 6) }]);
    expect(prediction.confidence).toBeCloseTo(expected, 6);
    expect(prediction.reasonId).toBe('b');
  });

  it('says nothing for a text with no known term, and for a model without features', () => {
    const classifier = classifierFromData(handMade([1, 2, 3, 4, 1, 2, 3, 4]));
    expect(classifier.classify('zzz')).toEqual({ reasonId: null, confidence: 0, ranked: [] });
    const none = classifierFromData({ ...handMade([]), features: null, model: null });
    expect(none.labels).toEqual(['a', 'b', 'c', 'd']);
    expect(none.trainedOn).toBe(9);
    expect(none.threshold).toBe(0.5);
    expect(none.classify('x')).toEqual({ reasonId: null, confidence: 0, ranked: [] });
  });

  it('adds the rule features after the words, so a rule can tip the answer', () => {
    const reasons: Reason[] = [{ id: 'd', label: { ja: 'D', en: 'D' }, keywords: ['x'], patterns: [] }];
    // Features: x, y, then the rule block (d's rule, no rule). Only d's rule feature has weight.
    const weights = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0];
    const data = { ...handMade(weights), ruleReasons: reasons };
    data.model = { classes: 4, features: 4, weights: Float32Array.from(weights) };
    const classifier = classifierFromData(data);
    expect(classifier.classify('x').ranked[0]!.reasonId).toBe('d');
    // "y" fires no rule: the no-rule feature (all zero) leaves every reason even.
    expect(classifier.classify('y').ranked[0]!.p).toBeCloseTo(0.25, 6);
    // Without the taxonomy the same weights see no rule.
    expect(classifierFromData({ ...data, ruleReasons: [] }).classify('x').ranked[0]!.p).toBeCloseTo(0.25, 6);
  });
});

describe('trainClassifier, briefly trained', () => {
  it('knows its sorted labels, its label count and its threshold', () => {
    const classifier = trainClassifier(examples, { ...FAST, calibrate: false });
    expect(classifier.labels).toEqual(['animal', 'color', 'fruit', 'vehicle']);
    expect(classifier.trainedOn).toBe(25);
    expect(classifier.threshold).toBe(DEFAULT_THRESHOLD);
    expect(DEFAULT_THRESHOLD).toBe(0.75);
    expect(trainClassifier(examples, { ...FAST, calibrate: false, threshold: 0.3 }).threshold).toBe(0.3);
    const prediction = classifier.classify('banana apple');
    expect(prediction.ranked[0]!.reasonId).toBe('fruit');
    expect(prediction.ranked).toHaveLength(4);
    // Uncalibrated: the confidence is the top probability.
    expect(prediction.confidence).toBe(prediction.ranked[0]!.p);
  });

  it('lists at least one reason whatever rankedLimit says, and five by default', () => {
    const many = [
      ...examples,
      ...label('weather', ['rain snow', 'snow sun', 'sun rain']),
      ...label('tool', ['saw hammer', 'hammer drill']),
    ];
    expect(trainClassifier(many, { ...FAST, calibrate: false }).classify('apple').ranked).toHaveLength(5);
    expect(
      trainClassifier(examples, { ...FAST, calibrate: false, rankedLimit: 0 }).classify('apple').ranked,
    ).toHaveLength(1);
    expect(
      trainClassifier(examples, { ...FAST, calibrate: false, rankedLimit: 3 }).classify('apple').ranked,
    ).toHaveLength(3);
  });

  it('abstains with no labels or one reason', () => {
    for (const labels of [[], label('fruit', ['apple', 'banana'])]) {
      const data = trainClassifierData(labels, FAST);
      expect(data.features).toBeNull();
      expect(data.model).toBeNull();
      expect(data.calibration).toBe(IDENTITY);
      expect(classifierFromData(data).classify('apple')).toEqual({ reasonId: null, confidence: 0, ranked: [] });
    }
  });

  it('passes the training knobs given, and the softmax’s defaults for the others', () => {
    const weights = (options: object) => [...trainModelData(examples, { ...FAST, ...options }).model!.weights];
    const byDefault = weights({});
    expect(byDefault.every(Number.isFinite)).toBe(true);
    expect(weights({ learningRate: 2, l2: 1e-6, seed: 1 })).toEqual(byDefault);
    expect(weights({ learningRate: 0.5 })).not.toEqual(byDefault);
    expect(weights({ l2: 0.05 })).not.toEqual(byDefault);
    expect(weights({ seed: 2 })).not.toEqual(byDefault);
    expect(weights({ epochs: 5 })).not.toEqual(byDefault);
    expect(weights({ features: { charNgramMax: 0 } }).length).toBeLessThan(byDefault.length);
  });

  it('learns from the taxonomy’s rules when given them', () => {
    const reasons: Reason[] = [{ id: 'fruit', label: { ja: 'Fruit', en: 'Fruit' }, keywords: ['apple'], patterns: [] }];
    const data = trainModelData(examples, { ...FAST, reasons });
    expect(data.ruleReasons).toEqual(reasons);
    expect(data.calibration).toBe(IDENTITY);
    // Two more features: the fruit rule and "no rule".
    const plain = trainModelData(examples, FAST);
    expect(plain.ruleReasons).toEqual([]);
    expect(data.model!.features).toBe(plain.model!.features + 2);
    expect(data.model!.weights).toHaveLength(plain.model!.weights.length + 8);
  });
});

describe('fitCalibrationData', () => {
  it('fits on held-out predictions from 20 labels and two reasons on, unless told not to', () => {
    const fitted = fitCalibrationData(examples, FAST);
    expect(fitted).not.toEqual(IDENTITY);
    expect(fitted.c).toBeGreaterThanOrEqual(0);
    expect(fitCalibrationData(examples.slice(0, 19), FAST)).toBe(IDENTITY);
    expect(fitCalibrationData(examples.slice(0, 20), FAST)).not.toEqual(IDENTITY);
    expect(fitCalibrationData(examples, { ...FAST, calibrate: false })).toBe(IDENTITY);
    expect(fitCalibrationData(examples, { ...FAST, calibrate: true })).toEqual(fitted);
    const oneReason = examples.map((e) => ({ ...e, reasonId: 'fruit' }));
    expect(fitCalibrationData(oneReason, FAST)).toBe(IDENTITY);
    const twoReasons = examples.map((e) => ({ ...e, reasonId: e.reasonId === 'vehicle' ? 'vehicle' : 'other' }));
    expect(fitCalibrationData(twoReasons, FAST)).not.toEqual(IDENTITY);
    // trainClassifierData is the model and this calibration.
    const data = trainClassifierData(examples, FAST);
    expect(data.calibration).toEqual(fitted);
    expect(data.model).toEqual(trainModelData(examples, FAST).model);
  });

  it('fits Platt scaling to what each of five fold models says of the labels it did not learn', () => {
    // With three labels a model cannot get right.
    const mixed = [
      ...examples,
      { text: 'apple truck', reasonId: 'animal' },
      { text: 'red cat', reasonId: 'fruit' },
      { text: 'bus dog', reasonId: 'color' },
    ];
    const foldOf = assignFolds(mixed, 5, 1);
    const top: number[] = [];
    const second: number[] = [];
    const correct: boolean[] = [];
    for (let fold = 0; fold < 5; fold++) {
      const held = classifierFromData(
        trainModelData(
          mixed.filter((_, i) => foldOf[i] !== fold),
          FAST,
        ),
      );
      mixed.forEach((example, i) => {
        if (foldOf[i] !== fold) return;
        const { confidence, ranked } = held.classify(example.text, 0);
        if (ranked.length === 0) return;
        top.push(confidence);
        second.push(ranked[1]!.p);
        correct.push(ranked[0]!.reasonId === example.reasonId);
      });
    }
    // Every label but "zzqx", which shares no term with the others; some right, some not.
    expect(top).toHaveLength(27);
    expect(correct.filter(Boolean).length).toBeGreaterThan(0);
    expect(correct.filter((c) => !c).length).toBeGreaterThan(0);
    expect(fitCalibrationData(mixed, FAST)).toEqual(fitPlatt(top, correct, second));
  });

  it('uses the training seed (1 by default) for its folds, and reads a runner-up whatever rankedLimit is', () => {
    const fitted = fitCalibrationData(examples, FAST);
    expect(fitCalibrationData(examples, { ...FAST, seed: 1 })).toEqual(fitted);
    expect(fitCalibrationData(examples, { ...FAST, seed: 5 })).not.toEqual(fitted);
    expect(fitCalibrationData(examples, { ...FAST, rankedLimit: 1 })).toEqual(fitted);
  });
});
