import { describe, expect, it } from 'vitest';
import type { ReasonClassifier } from '../../../src/core/reasons/classifier.ts';
import {
  createReasonGuesser,
  createReasonSuggester,
  OVERRULE_MIN_LABELS,
} from '../../../src/core/reasons/reason-guesser.ts';
import { compileRules, compileRuleScorer } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';

const rules = compileRules(DEFAULT_REASONS);
const reasonIds = new Set(DEFAULT_REASONS.map((r) => r.id));

/** A classifier whose answer the test fixes. */
function fixed(reasonId: string, confidence: number, trainedOn: number): ReasonClassifier {
  return {
    labels: [...reasonIds],
    trainedOn,
    threshold: 0.6,
    classify: (_text, threshold = 0.6) => ({
      reasonId: confidence >= threshold ? reasonId : null,
      confidence,
      ranked: [
        { reasonId, p: confidence },
        { reasonId: 'how_to', p: 0.1 },
        { reasonId: 'bug', p: 0.05 },
      ],
    }),
  };
}

describe('rules and the classifier together', () => {
  const weak = 'プランについて'; // a plan word alone: a weak rule
  const strong = 'プランを解約したいです。'; // a cancellation word outranks a plan word: strong

  it('lets a classifier that has learnt from the team overrule a weak rule when it is sure', () => {
    const guess = createReasonGuesser({ rules, classifier: () => fixed('billing', 0.9, 50), reasonIds });
    expect(guess(weak)).toEqual({ reasonId: 'billing', source: 'classifier', confidence: 0.9 });
  });

  it('keeps the weak rule when the classifier is unsure or has learnt from too few labels', () => {
    const unsure = createReasonGuesser({ rules, classifier: () => fixed('billing', 0.4, 50), reasonIds });
    expect(unsure(weak)).toMatchObject({ reasonId: 'pricing_plan', source: 'rule' });
    const young = createReasonGuesser({
      rules,
      classifier: () => fixed('billing', 0.99, OVERRULE_MIN_LABELS - 1),
      reasonIds,
    });
    expect(young(weak)).toMatchObject({ reasonId: 'pricing_plan', source: 'rule' });
  });

  it('never lets the classifier overrule a strong rule', () => {
    const guess = createReasonGuesser({ rules, classifier: () => fixed('pricing_plan', 0.99, 500), reasonIds });
    expect(guess(strong)).toMatchObject({ reasonId: 'cancellation', source: 'rule' });
  });

  it('suggests the classifier’s ranking first, then what the rules saw, three at most', () => {
    const suggest = createReasonSuggester({
      ruleScores: compileRuleScorer(DEFAULT_REASONS),
      classifier: () => fixed('account', 0.3, 50),
      reasonIds,
    });
    expect(suggest('請求書とログイン')).toEqual(['account', 'how_to', 'bug']);
    const cold = createReasonSuggester({
      ruleScores: compileRuleScorer(DEFAULT_REASONS),
      classifier: () => null,
      reasonIds,
    });
    expect(cold('請求書をログインしてダウンロード')).toEqual(['billing', 'account']);
    expect(cold('こんにちは')).toEqual([]);
  });
});
