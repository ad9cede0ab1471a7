import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trainClassifier, type LabeledText } from '../../src/core/reasons/classifier.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createClassifierService } from '../../src/learning/classifier-service.ts';
import { SHOP_LABELS } from '../helpers/label-set.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function service(labels: () => LabeledText[], train = (e: readonly LabeledText[]) => trainClassifier(e)) {
  let loads = 0;
  let trainings = 0;
  const s = createClassifierService({
    loadLabels: () => {
      loads += 1;
      return labels();
    },
    train: (e) => {
      trainings += 1;
      return train(e);
    },
    log: silentLogger(),
    debounceMs: 30_000,
  });
  return { s, loads: () => loads, trainings: () => trainings };
}

describe('the classifier service', () => {
  it('trains soon after start, not during it', () => {
    const { s, trainings } = service(() => SHOP_LABELS);
    s.start();
    expect(s.current()).toBeNull();
    vi.advanceTimersByTime(0);
    expect(trainings()).toBe(1);
    expect(s.current()?.trainedOn).toBe(SHOP_LABELS.length);
    expect(s.status()).toMatchObject({ trainedOn: 32, reasons: 4 });
    s.stop();
  });

  it('stays off with too few labels or a single reason', () => {
    const few = service(() => SHOP_LABELS.slice(0, 5));
    few.s.retrainNow();
    expect(few.s.current()).toBeNull();
    const one = service(() => SHOP_LABELS.filter((l) => l.reasonId === 'shipping'));
    one.s.retrainNow();
    expect(one.s.current()).toBeNull();
    expect(one.trainings()).toBe(0);
  });

  it('learns a burst of labels in one retraining after the debounce window', () => {
    let labels = SHOP_LABELS.slice(0, 16);
    const { s, trainings } = service(() => labels);
    s.retrainNow();
    expect(s.current()?.trainedOn).toBe(16);
    labels = SHOP_LABELS;
    s.noteLabel();
    vi.advanceTimersByTime(10_000);
    s.noteLabel();
    s.noteLabel();
    expect(trainings()).toBe(1); // nothing yet: the labels are still arriving
    vi.advanceTimersByTime(20_000);
    expect(trainings()).toBe(2);
    expect(s.current()?.trainedOn).toBe(32);
    vi.advanceTimersByTime(60_000);
    expect(trainings()).toBe(2);
  });

  it('keeps the previous model when retraining fails', () => {
    let fail = false;
    const { s } = service(
      () => SHOP_LABELS,
      (e) => {
        if (fail) throw new Error('out of memory');
        return trainClassifier(e);
      },
    );
    s.retrainNow();
    const before = s.current();
    fail = true;
    s.retrainNow();
    expect(s.current()).toBe(before);
  });

  it('cancels a pending retraining on stop', () => {
    const { s, trainings } = service(() => SHOP_LABELS);
    s.noteLabel();
    s.stop();
    vi.advanceTimersByTime(60_000);
    expect(trainings()).toBe(0);
  });
});
