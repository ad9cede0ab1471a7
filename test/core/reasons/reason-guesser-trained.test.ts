import { describe, expect, it } from 'vitest';
import { trainClassifier } from '../../../src/core/reasons/classifier.ts';
import { createReasonGuesser } from '../../../src/core/reasons/reason-guesser.ts';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { SHOP_LABELS, SHOP_REASONS } from '../../helpers/label-set.ts';

// Apart from reason-guesser.test.ts: the classifier trained here as the file loads takes seconds once
// Stryker has instrumented it, too slow for every mutant of the reasons group.
const ALL = [...DEFAULT_REASONS, ...SHOP_REASONS];
const ids = new Set(ALL.map((r) => r.id));
const rules = compileRules(DEFAULT_REASONS);
const trained = trainClassifier(SHOP_LABELS);

describe('guessing a reason with a trained classifier', () => {
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
});
