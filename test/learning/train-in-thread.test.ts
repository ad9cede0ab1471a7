import { describe, expect, it, vi } from 'vitest';
import type * as Classifier from '../../src/core/reasons/classifier.ts';
import { trainInThread } from '../../src/learning/train-in-thread.ts';
import { SHOP_LABELS } from '../helpers/label-set.ts';

// On this (the main) thread, training refuses to run: whatever the model is, it was trained
// elsewhere, so the main thread was free meanwhile. That holds on any machine, fast or loaded,
// unlike counting timer ticks while training runs. The worker thread loads the module on its own
// (through tsx, outside vitest), so it trains with the real code.
vi.mock('../../src/core/reasons/classifier.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof Classifier>();
  const refuse = (): never => {
    throw new Error('training ran on the main thread');
  };
  return {
    ...actual,
    trainClassifier: refuse,
    trainClassifierData: refuse,
    trainModelData: refuse,
    fitCalibrationData: refuse,
  };
});

describe('training on a worker thread', () => {
  it('returns a model that classifies like one trained in place, without training on the main thread', async () => {
    const labels = Array.from({ length: 60 }, (_, i) => SHOP_LABELS[i % SHOP_LABELS.length]!).map((l, i) => ({
      ...l,
      text: `${l.text} ${i}`,
    }));
    const pending = trainInThread(labels, { seed: 7 });
    // The call hands the work off and returns; the main thread goes on (here: it trains the same
    // model itself, with the real code, to compare).
    const actual = await vi.importActual<typeof Classifier>('../../src/core/reasons/classifier.ts');
    const inPlace = actual.trainClassifier(labels, { seed: 7 });
    const model = await pending;

    expect(model.trainedOn).toBe(60);
    expect(model.labels).toEqual(inPlace.labels);
    for (const l of SHOP_LABELS.slice(0, 4)) expect(model.classify(l.text).reasonId).toBe(l.reasonId);
    for (const text of [...SHOP_LABELS.map((l) => l.text), 'something else entirely', '在庫はありますか'])
      expect(model.classify(text)).toEqual(inPlace.classify(text));
  });
});
