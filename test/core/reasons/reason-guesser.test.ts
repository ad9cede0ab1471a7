import { describe, expect, it } from 'vitest';
import { trainClassifier, type ReasonClassifier } from '../../../src/core/reasons/classifier.ts';
import { createReasonGuesser } from '../../../src/core/reasons/reason-guesser.ts';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { SHOP_LABELS, SHOP_REASONS } from '../../helpers/label-set.ts';

const ALL = [...DEFAULT_REASONS, ...SHOP_REASONS];
const ids = new Set(ALL.map((r) => r.id));
const rules = compileRules(DEFAULT_REASONS);
const trained = trainClassifier(SHOP_LABELS);

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

  it('asks the classifier when no rule matches, and records its confidence', () => {
    const guess = createReasonGuesser({ rules, classifier: () => trained, reasonIds: ids });
    const g = guess('my package has not arrived yet');
    expect(g).toMatchObject({ reasonId: 'shipping', source: 'classifier' });
    expect(g!.confidence).toBeGreaterThan(0.9);
  });

  it('leaves the inquiry unclassified below the confidence threshold', () => {
    const text = '荷物が届かない'; // the model is ~0.8 sure of shipping
    const confidence = trained.classify(text, 0).confidence;
    expect(confidence).toBeGreaterThan(0.6);
    expect(confidence).toBeLessThan(0.95);
    expect(createReasonGuesser({ rules, classifier: () => trained, threshold: 0.95, reasonIds: ids })(text)).toBeNull();
    expect(
      createReasonGuesser({ rules, classifier: () => trained, threshold: 0.6, reasonIds: ids })(text),
    ).toMatchObject({ reasonId: 'shipping' });
  });

  it('abstains on text that shares nothing with the labels', () => {
    expect(createReasonGuesser({ rules, classifier: () => trained, reasonIds: ids })('zzqx qqq')).toBeNull();
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
