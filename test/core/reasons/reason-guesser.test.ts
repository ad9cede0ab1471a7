import { describe, expect, it } from 'vitest';
import type { ReasonClassifier } from '../../../src/core/reasons/classifier.ts';
import { createReasonGuesser } from '../../../src/core/reasons/reason-guesser.ts';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { SHOP_REASONS } from '../../helpers/label-set.ts';

const ALL = [...DEFAULT_REASONS, ...SHOP_REASONS];
const ids = new Set(ALL.map((r) => r.id));
const rules = compileRules(DEFAULT_REASONS);

/** A classifier whose answer the test fixes, to pin down what the guesser does with it. */
function fixed(reasonId: string | null, confidence: number, onClassify: () => void = () => {}): ReasonClassifier {
  return {
    labels: ['a', 'b'],
    trainedOn: 2,
    threshold: 0.6,
    classify: () => {
      onClassify();
      return { reasonId, confidence, ranked: reasonId ? [{ reasonId, p: confidence }] : [] };
    },
  };
}

// With a classifier trained on the shop's labels: reason-guesser-trained.test.ts.
describe('guessing a reason', () => {
  it('takes a keyword rule first, without asking the classifier', () => {
    let asked = 0;
    const guess = createReasonGuesser({
      rules,
      classifier: () => fixed('shipping', 0.99, () => (asked += 1)),
      reasonIds: ids,
    });
    expect(guess('請求書が届きません')).toEqual({ reasonId: 'billing', source: 'rule', confidence: null });
    expect(asked).toBe(0);
  });

  it('never names a reason that is no longer in the taxonomy', () => {
    const guess = createReasonGuesser({ rules, classifier: () => fixed('removed_reason', 0.99), reasonIds: ids });
    expect(guess('anything')).toBeNull();
  });

  it('is unclassified before any model exists, and when the model throws', () => {
    expect(createReasonGuesser({ rules, classifier: () => null, reasonIds: ids })('hello')).toBeNull();
    const broken: ReasonClassifier = {
      ...fixed('x', 1),
      classify: () => {
        throw new Error('boom');
      },
    };
    expect(createReasonGuesser({ rules, classifier: () => broken, reasonIds: ids })('hello')).toBeNull();
  });
});
