import { describe, expect, it } from 'vitest';
import { CLEAR, DECISIVE, HINT } from '../../../src/core/reasons/default-rules.ts';
import { ANSWER_SCORE, compileRules, compileRuleScorer, keywordSource } from '../../../src/core/reasons/rules.ts';
import type { Reason, WeightedRule } from '../../../src/core/reasons/taxonomy.ts';

// The rules' arithmetic at its edges, on weighted rules written for each case: the score an answer
// needs, the lead it needs, when a priority breaks a draw, what is strong, and negation's reach.

function weighted(id: string, rules: [string, number][], priority?: number): Reason {
  const list: WeightedRule[] = rules.map(([pattern, weight]) => ({ pattern, weight }));
  return {
    id,
    label: { ja: id, en: id },
    keywords: [],
    patterns: [],
    rules: list,
    ...(priority !== undefined && { priority }),
  };
}

describe('compileRules', () => {
  it('answers from a score of 2 on', () => {
    expect(ANSWER_SCORE).toBe(2);
    expect(compileRules([weighted('a', [['aa', HINT]])])('aa')).toBeNull();
    expect(compileRules([weighted('a', [['aa', 1.9]])])('aa')).toBeNull();
    expect(compileRules([weighted('a', [['aa', CLEAR]])])('aa')).toEqual({
      reasonId: 'a',
      matched: 'aa',
      score: 2,
      strong: false,
    });
    expect(
      compileRules([
        weighted('a', [
          ['aa', HINT],
          ['bb', HINT],
        ]),
      ])('aa bb'),
    ).toMatchObject({ score: 2 });
  });

  it('answers only with a lead of 1 over the runner-up', () => {
    const rules = (second: number) => compileRules([weighted('a', [['aa', 3]]), weighted('b', [['bb', second]])]);
    expect(rules(2.5)('aa bb')).toBeNull();
    expect(rules(2)('aa bb')).toMatchObject({ reasonId: 'a', score: 3 });
    expect(rules(3)('aa bb')).toBeNull();
    // The runner-up's score counts even below the answer score.
    expect(rules(2.1)('aa bb')).toBeNull();
  });

  it('breaks an exact draw by priority only between decisive words', () => {
    const a = (priority?: number) => weighted('a', [['aa', DECISIVE]], priority);
    const b = (priority?: number) => weighted('b', [['bb', DECISIVE]], priority);
    expect(compileRules([a(), b(1)])('aa bb')).toEqual({ reasonId: 'b', matched: 'bb', score: 4, strong: false });
    expect(compileRules([a(2), b(1)])('aa bb')).toMatchObject({ reasonId: 'a', strong: false });
    expect(compileRules([a(1), b(1)])('aa bb')).toBeNull();
    expect(compileRules([a(), b()])('aa bb')).toBeNull();
    // Two clear words and a hint each: a draw at 3, the priority does not decide it.
    const clear = compileRules([
      weighted('a', [
        ['aa', CLEAR],
        ['ah', HINT],
      ]),
      weighted(
        'b',
        [
          ['bb', CLEAR],
          ['bh', HINT],
        ],
        5,
      ),
    ]);
    expect(clear('aa ah bb bh')).toBeNull();
  });

  it('calls a decisive word with a lead of half its weight strong', () => {
    const rules = (top: number, second: number) =>
      compileRules([weighted('a', [['aa', top]]), weighted('b', [['bb', second]])]);
    expect(rules(DECISIVE, 2)('aa bb')).toMatchObject({ reasonId: 'a', strong: true });
    expect(rules(DECISIVE, 2.5)('aa bb')).toMatchObject({ reasonId: 'a', strong: false });
    expect(rules(DECISIVE, 0)('aa')).toMatchObject({ strong: true });
    // Three clear words score 6 but none is decisive.
    const stacked = compileRules([
      weighted('a', [
        ['aa', CLEAR],
        ['ab', CLEAR],
        ['ac', CLEAR],
      ]),
    ]);
    expect(stacked('aa ab ac')).toEqual({ reasonId: 'a', matched: 'aa', score: 6, strong: false });
    expect(rules(3.9, 0)('aa')).toMatchObject({ strong: false });
  });

  it('names the heaviest hit as the match, the first of equals', () => {
    const rules = compileRules([
      weighted('a', [
        ['aa', HINT],
        ['ab', DECISIVE],
        ['ac', DECISIVE],
      ]),
    ]);
    expect(rules('aa ab ac')).toMatchObject({ matched: 'ab', score: 9 });
    expect(rules('ac aa')).toMatchObject({ matched: 'ac', score: 5 });
  });
});

describe('compileRuleScorer', () => {
  it('lists every reason with a hit, by score, then priority, then taxonomy order', () => {
    const score = compileRuleScorer([
      weighted('low', [['xx', HINT]]),
      weighted('first', [['xx', CLEAR]]),
      weighted('second', [['xx', CLEAR]]),
      weighted('urgent', [['xx', CLEAR]], 1),
      weighted('top', [['xx', DECISIVE]]),
      weighted('none', [['yy', DECISIVE]]),
      { id: 'empty', label: { ja: '', en: '' }, keywords: [], patterns: [] },
    ]);
    expect(score('xx').map((s) => [s.reasonId, s.score])).toEqual([
      ['top', 4],
      ['urgent', 2],
      ['first', 2],
      ['second', 2],
      ['low', 1],
    ]);
    expect(score('zz')).toEqual([]);
  });

  it('weighs keywords and patterns as decisive, and counts each rule once however often it hits', () => {
    const score = compileRuleScorer([
      { id: 'k', label: { ja: '', en: '' }, keywords: ['Refund', 'money back'], patterns: ['re+fund'] },
    ]);
    expect(score('refund refund, money back')).toEqual([
      { reasonId: 'k', score: 12, matched: 'refund', top: 4, priority: 0, order: 0 },
    ]);
  });
});

describe('keywordSource', () => {
  it('escapes the keyword and bounds only its Latin edges', () => {
    expect(keywordSource('c++')).toBe('(?<![a-z0-9])c\\+\\+');
    expect(keywordSource('a.b*c?(d)[e]{f}|g^$\\')).toBe('(?<![a-z0-9])a\\.b\\*c\\?\\(d\\)\\[e\\]\\{f\\}\\|g\\^\\$\\\\');
    expect(keywordSource('plan')).toBe('(?<![a-z0-9])plan(?:s|es|d|ed|ing)?(?![a-z0-9])');
    expect(keywordSource('解約')).toBe('解約');
    expect(keywordSource('解約plan')).toBe('解約plan(?:s|es|d|ed|ing)?(?![a-z0-9])');
    expect(keywordSource('plan解約')).toBe('(?<![a-z0-9])plan解約');
    expect(keywordSource('9')).toBe('(?<![a-z0-9])9(?:s|es|d|ed|ing)?(?![a-z0-9])');
    expect(keywordSource('')).toBe('');
    const rules = compileRules([{ id: 'c', label: { ja: '', en: '' }, keywords: ['c++'], patterns: [] }]);
    expect(rules('I use c++ daily')).toMatchObject({ reasonId: 'c' });
    expect(rules('I use cc daily')).toBeNull();
    expect(rules('abc++')).toBeNull();
  });
});

describe('negation', () => {
  const rules = compileRules([
    weighted('cancel', [
      ['解約', DECISIVE],
      ['cancel', DECISIVE],
    ]),
  ]);

  it('denies a Japanese hit followed within six characters by a denial', () => {
    expect(rules('解約ではなく')).toBeNull();
    expect(rules('解約するつもりはありません')).toBeNull();
    expect(rules('解約abcdefではなく')).toBeNull();
    expect(rules('解約abcdefgではなく')).toMatchObject({ reasonId: 'cancel' });
    // Within sixteen characters: six between and a nine-character denial.
    expect(rules('解約abcdefつもりはありません')).toBeNull();
    expect(rules('解約。ではなく')).toMatchObject({ reasonId: 'cancel' });
    expect(rules('解約したい')).toMatchObject({ reasonId: 'cancel' });
  });

  it('denies an English hit preceded by a denial, within thirty characters', () => {
    expect(rules('i do not want to cancel')).toBeNull();
    expect(rules('not cancel')).toBeNull();
    expect(rules("i'm not looking for an cancel")).toBeNull();
    expect(rules('please cancel')).toMatchObject({ reasonId: 'cancel' });
    expect(rules('i do not, however, cancel')).toMatchObject({ reasonId: 'cancel' });
    expect(rules(`not ${'x'.repeat(30)} cancel`)).toMatchObject({ reasonId: 'cancel' });
  });

  it('counts a later hit when an earlier one is denied', () => {
    expect(rules('解約ではなく、やはり解約します')).toMatchObject({ reasonId: 'cancel' });
    expect(rules('i do not want to cancel now, but please cancel next month')).toMatchObject({ reasonId: 'cancel' });
    // A pattern that matches the empty string moves on rather than looping on a denied hit.
    const empty = compileRules([weighted('e', [['(?=解約)', DECISIVE]])]);
    expect(empty('解約ではなく')).toBeNull();
    expect(empty('解約ではなく、解約します')).toMatchObject({ reasonId: 'e' });
  });
});
