import { describe, expect, it } from 'vitest';
import { trainInThread } from '../../src/reasons/train-in-thread.ts';
import { SHOP_LABELS } from './label-set.ts';

describe('training on a worker thread', () => {
  it('returns a model that classifies like one trained in place, while the main thread keeps running', async () => {
    const labels = Array.from({ length: 60 }, (_, i) => SHOP_LABELS[i % SHOP_LABELS.length]!).map((l, i) => ({
      ...l,
      text: `${l.text} ${i}`,
    }));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const model = await trainInThread(labels, { seed: 7 });
    clearInterval(ticker);
    expect(model.trainedOn).toBe(60);
    expect(model.labels.length).toBeGreaterThanOrEqual(2);
    for (const l of SHOP_LABELS.slice(0, 4)) expect(model.classify(l.text).reasonId).toBe(l.reasonId);
    expect(ticks).toBeGreaterThan(0);
  });
});
