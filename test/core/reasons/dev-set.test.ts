import { describe, expect, it } from 'vitest';
import { evaluatePipeline } from '../../../src/core/reasons/evaluate-pipeline.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { loadDevSet } from '../../helpers/dev-set.ts';

// The development set was written beside the default rules, so these floors guard against
// regressions; they do not predict a new team's numbers (see the fixture's README).
describe('the Japanese development set', () => {
  const dev = loadDevSet();

  it('holds 30 inquiries for each default reason', () => {
    for (const r of DEFAULT_REASONS) expect(dev.filter((e) => e.reasonId === r.id)).toHaveLength(30);
  });

  it('is ≥ 65 % right and ≤ 5 % wrong from the default rules alone', () => {
    const { cold } = evaluatePipeline(dev, DEFAULT_REASONS, { splits: 0 });
    expect(cold.right / cold.examples).toBeGreaterThanOrEqual(0.65);
    expect(cold.wrong / cold.examples).toBeLessThanOrEqual(0.05);
  });
});
