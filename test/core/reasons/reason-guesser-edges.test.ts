import { describe, expect, it } from 'vitest';
import type { Prediction, ReasonClassifier } from '../../../src/core/reasons/classifier.ts';
import {
  createReasonGuesser,
  createReasonSuggester,
  OVERRULE_MIN_LABELS,
} from '../../../src/core/reasons/reason-guesser.ts';
import type { RuleMatch } from '../../../src/core/reasons/rules.ts';

// The guesser's and the suggester's decisions at their edges, with rules and a classifier whose
// answers each test fixes.

const reasonIds = new Set(['a', 'b', 'c', 'd']);
const weakA: RuleMatch = { reasonId: 'a', matched: 'x', score: 2, strong: false };

/** A classifier sure of `reasonId` at `confidence`, which honours the threshold it is given and records it. */
function model(reasonId: string, confidence: number, trainedOn: number, seen: (number | undefined)[] = []) {
  const classifier: ReasonClassifier = {
    labels: [...reasonIds],
    trainedOn,
    threshold: 0.6,
    classify: (_text, threshold): Prediction => {
      seen.push(threshold);
      return {
        reasonId: confidence >= (threshold ?? 0.6) ? reasonId : null,
        confidence,
        ranked: [
          { reasonId, p: confidence },
          { reasonId: 'gone', p: 0.2 },
          { reasonId: 'c', p: 0.1 },
        ],
      };
    },
  };
  return classifier;
}

describe('createReasonGuesser', () => {
  it('lets a classifier overrule a weak rule from exactly OVERRULE_MIN_LABELS labels on', () => {
    expect(OVERRULE_MIN_LABELS).toBe(20);
    const guess = (trainedOn: number) =>
      createReasonGuesser({ rules: () => weakA, classifier: () => model('b', 0.9, trainedOn), reasonIds })('t');
    expect(guess(20)).toEqual({ reasonId: 'b', source: 'classifier', confidence: 0.9 });
    expect(guess(19)).toEqual({ reasonId: 'a', source: 'rule', confidence: null });
  });

  it('passes its threshold to the classifier, or none so the classifier uses its own', () => {
    const seen: (number | undefined)[] = [];
    const at = (threshold: number | undefined) =>
      createReasonGuesser({
        rules: () => null,
        classifier: () => model('b', 0.9, 50, seen),
        reasonIds,
        ...(threshold !== undefined && { threshold }),
      })('t');
    expect(at(0.95)).toBeNull();
    expect(at(0.9)).toEqual({ reasonId: 'b', source: 'classifier', confidence: 0.9 });
    expect(at(undefined)).toMatchObject({ reasonId: 'b' });
    expect(seen).toEqual([0.95, 0.9, undefined]);
  });

  it('keeps the rule’s own answer when the classifier agrees with it', () => {
    const guess = createReasonGuesser({ rules: () => weakA, classifier: () => model('a', 0.99, 50), reasonIds });
    expect(guess('t')).toEqual({ reasonId: 'a', source: 'rule', confidence: null });
  });

  it('ignores a rule for a reason no longer in the taxonomy, and asks even a young classifier', () => {
    const gone: RuleMatch = { reasonId: 'gone', matched: 'x', score: 8, strong: true };
    const guess = createReasonGuesser({ rules: () => gone, classifier: () => model('b', 0.9, 2), reasonIds });
    expect(guess('t')).toEqual({ reasonId: 'b', source: 'classifier', confidence: 0.9 });
    expect(createReasonGuesser({ rules: () => gone, classifier: () => null, reasonIds })('t')).toBeNull();
  });

  it('keeps a weak rule when the classifier throws', () => {
    const broken: ReasonClassifier = {
      ...model('b', 1, 50),
      classify: () => {
        throw new Error('boom');
      },
    };
    expect(createReasonGuesser({ rules: () => weakA, classifier: () => broken, reasonIds })('t')).toEqual({
      reasonId: 'a',
      source: 'rule',
      confidence: null,
    });
  });
});

describe('createReasonSuggester', () => {
  const scores = () => [
    { reasonId: 'd', score: 4 },
    { reasonId: 'b', score: 2 },
    { reasonId: 'gone', score: 1 },
  ];

  it('lists the classifier’s ranking, then the rules’, each reason once and only known ones, up to the limit', () => {
    const seen: (number | undefined)[] = [];
    const suggest = createReasonSuggester({
      ruleScores: scores,
      classifier: () => model('b', 0.3, 50, seen),
      reasonIds,
    });
    expect(suggest('t')).toEqual(['b', 'c', 'd']);
    expect(suggest('t', 4)).toEqual(['b', 'c', 'd']);
    expect(suggest('t', 2)).toEqual(['b', 'c']);
    expect(suggest('t', 0)).toEqual([]);
    // Asked for its ranking at threshold 1: a ranking, not an answer.
    expect(seen.every((t) => t === 1)).toBe(true);
  });

  it('keeps what it has when the rules or the classifier throw', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    expect(
      createReasonSuggester({ ruleScores: throwing, classifier: () => model('b', 0.3, 50), reasonIds })('t'),
    ).toEqual(['b', 'c']);
    const broken: ReasonClassifier = { ...model('b', 1, 50), classify: throwing };
    expect(createReasonSuggester({ ruleScores: scores, classifier: () => broken, reasonIds })('t')).toEqual(['d', 'b']);
    expect(createReasonSuggester({ ruleScores: scores, classifier: () => null, reasonIds })('t')).toEqual(['d', 'b']);
  });
});
