import { describe, expect, it } from 'vitest';
import { evaluatePipeline } from '../../../src/core/reasons/evaluate-pipeline.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { loadDevSet } from '../../helpers/dev-set.ts';

// Apart from dev-set.test.ts: training on the development set twice takes seconds, too slow to run for
// every mutant of the reasons group (scripts/mutation-groups.mjs).
describe('the Japanese development set, learned', () => {
  const dev = loadDevSet();

  it('after 100 labels: ≥ 85 % right forced, and at the default threshold ≥ 80 % answered with ≤ 5 % wrong', () => {
    const { learned } = evaluatePipeline(dev, DEFAULT_REASONS, { labels: 100, splits: 2 });
    const { forced, atThreshold } = learned!;
    expect(forced.right / forced.examples).toBeGreaterThanOrEqual(0.85);
    expect((atThreshold.right + atThreshold.wrong) / atThreshold.examples).toBeGreaterThanOrEqual(0.8);
    expect(atThreshold.wrong / atThreshold.examples).toBeLessThanOrEqual(0.05);
  });
});
