import { describe, expect, it } from 'vitest';
import {
  classifierFromData,
  fitCalibrationData,
  type LabeledText,
  trainClassifier,
  trainClassifierData,
} from '../../../src/core/reasons/classifier.ts';
import { calibrate } from '../../../src/core/reasons/calibration.ts';
import { crossValidate } from '../../../src/core/reasons/evaluate.ts';

// Labels whose words say nothing about their reason (every text is made of the same words), and
// whose made-up two-number embeddings say everything: what the classifier learns, it learns from the
// embedding block. A real encoder's embeddings are tested in test/learning/sentence-encoder.test.ts.
const WORDS = ['please help me', 'help me please', 'me please help', 'please please help me'];
const EMBEDDING: Record<string, Float32Array> = { refund: Float32Array.of(1, 0.1), login: Float32Array.of(0.1, 1) };

function labels(): LabeledText[] {
  // Each text ends in its own number: distinct texts, and no number is seen in two labels.
  return ['refund', 'login'].flatMap((reasonId, r) =>
    Array.from({ length: 15 }, (_, i) => ({
      text: `${WORDS[i % WORDS.length]} ${r * 15 + i}`,
      reasonId,
      embedding: EMBEDDING[reasonId]!,
    })),
  );
}

/** The reason the model names for `text` when the encoder gives `embedding`. */
function named(embedding: Float32Array | null, withEmbed = true): string | undefined {
  const model = trainClassifier(labels(), { epochs: 30 }, withEmbed ? () => embedding : undefined);
  return model.classify('please help me', 0).ranked[0]?.reasonId;
}

describe('the classifier with sentence embeddings', () => {
  it('records the embeddings’ length, and 0 when trained without any', () => {
    expect(trainClassifierData(labels(), { epochs: 2 }).embeddingDims).toBe(2);
    const bare = labels().map(({ text, reasonId }) => ({ text, reasonId }));
    expect(trainClassifierData(bare, { epochs: 2 }).embeddingDims).toBe(0);
  });

  it('names the reason the embedding points to when the words cannot tell', () => {
    expect(named(Float32Array.of(1, 0))).toBe('refund');
    expect(named(Float32Array.of(0, 1))).toBe('login');
  });

  it('is confident from the embedding alone, and hesitant without it', () => {
    const model = trainClassifier(labels(), { epochs: 30, calibrate: false }, () => Float32Array.of(0, 1));
    const sure = model.classify('please help me', 0);
    expect(sure.ranked[0]).toMatchObject({ reasonId: 'login' });
    expect(sure.confidence).toBeGreaterThan(0.9);
    const data = trainClassifierData(labels(), { epochs: 30, calibrate: false });
    const unsure = classifierFromData(data).classify('please help me', 0);
    expect(unsure.confidence).toBeLessThan(0.6);
  });

  it('classifies on its words when the encoder gives nothing (a Japanese text) or is not passed', () => {
    const none = trainClassifier(labels(), { epochs: 30, calibrate: false }, () => null);
    expect(none.classify('please help me', 0).confidence).toBeLessThan(0.6);
    expect(() => named(null, false)).not.toThrow();
  });

  it('still knows nothing of a text that shares no term with the labels, whatever its embedding', () => {
    const model = trainClassifier(labels(), { epochs: 30 }, () => Float32Array.of(1, 0));
    expect(model.classify('zzzz', 0)).toEqual({ reasonId: null, confidence: 0, ranked: [] });
  });

  it('trains on labels of which only some have an embedding (English beside Japanese)', () => {
    const mixed = labels().map((l, i) => (i % 3 === 0 ? { text: l.text, reasonId: l.reasonId } : l));
    const model = trainClassifier(mixed, { epochs: 30 }, () => Float32Array.of(0, 1));
    expect(model.classify('please help me', 0).ranked[0]?.reasonId).toBe('login');
  });

  it('never asks for an embedding a model trained without any cannot read (the encoder would block for nothing)', () => {
    const bare = labels().map(({ text, reasonId }) => ({ text, reasonId }));
    const asked: string[] = [];
    const model = trainClassifier(bare, { epochs: 2 }, (text) => {
      asked.push(text);
      return Float32Array.of(1, 0);
    });
    model.classify('please help me', 0);
    expect(asked).toEqual([]);
  });

  it('cross-validates each held-out label with its own embedding', () => {
    const report = crossValidate(labels(), { folds: 3, classifier: { epochs: 30 } });
    expect(report.accuracy).toBe(1);
    const bare = labels().map(({ text, reasonId }) => ({ text, reasonId }));
    expect(crossValidate(bare, { folds: 3, classifier: { epochs: 30 } }).accuracy).toBeLessThan(0.8);
  });

  it('calibrates on the held-out labels’ own embeddings', () => {
    // With their embeddings the held-out folds were always right, so even a modest lead is trusted;
    // without them they were right half the time, and 0.6 over 0.4 would mean a coin toss.
    const calibration = fitCalibrationData(labels(), { epochs: 30 });
    expect(calibrate(calibration, 0.6, 0.4)).toBeGreaterThan(0.9);
  });
});
