import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';

function reason(id: string, rules: { keywords?: string[]; patterns?: string[]; priority?: number }): Reason {
  return {
    id,
    label: { ja: id, en: id },
    keywords: rules.keywords ?? [],
    patterns: rules.patterns ?? [],
    ...(rules.priority !== undefined && { priority: rules.priority }),
  };
}

const defaults = compileRules(DEFAULT_REASONS);

describe('keyword and pattern rules', () => {
  it('gives the reason with more hits, whatever the taxonomy order', () => {
    const refund = reason('refund', { keywords: ['refund'] });
    const billing = reason('billing', { keywords: ['invoice', 'refund'] });
    const text = 'Please refund invoice 123';
    expect(compileRules([refund, billing])(text)).toMatchObject({ reasonId: 'billing', score: 8 });
    expect(compileRules([billing, refund])(text)).toMatchObject({ reasonId: 'billing', score: 8 });
  });

  it('leaves a draw unanswered, unless one reason has the higher priority (then only weakly)', () => {
    const order = reason('order', { patterns: ['order\\s*#\\d+'] });
    const shipping = reason('shipping', { keywords: ['order'] });
    expect(compileRules([order, shipping])('order #12 has not arrived')).toBeNull();
    const urgent = { ...shipping, priority: 1 };
    expect(compileRules([order, urgent])('order #12 has not arrived')).toMatchObject({
      reasonId: 'shipping',
      strong: false,
    });
  });

  it('matches keywords whatever the case or width, and patterns whatever the case', () => {
    const rules = compileRules([
      reason('billing', { keywords: ['Invoice'] }),
      reason('order', { patterns: ['ORDER'] }),
    ]);
    expect(rules('ＩＮＶＯＩＣＥ please')).toEqual({ reasonId: 'billing', matched: 'invoice', score: 4, strong: true });
    expect(rules('my order')).toMatchObject({ reasonId: 'order', matched: 'ORDER' });
  });

  it('matches English keywords as whole words, with their plural and past forms', () => {
    const rules = compileRules([
      reason('pricing', { keywords: ['plan'] }),
      reason('billing', { keywords: ['charge'] }),
    ]);
    expect(rules('Could you give me an explanation of the export format?')).toBeNull();
    expect(rules('Is there a surcharge?')).toBeNull();
    expect(rules('Which plans do you have?')).toMatchObject({ reasonId: 'pricing' });
    expect(rules('I was charged twice')).toMatchObject({ reasonId: 'billing' });
  });

  it('matches nothing when no keyword or pattern is in the text', () => {
    expect(defaults('hello there')).toBeNull();
  });
});

describe('the default rules', () => {
  it.each([
    ['プランを解約したいです。', 'cancellation'],
    ['支払い方法をクレジットカードから請求書払いに変更したいです。', 'billing'],
    ['退会したいのですが、アカウントはどこから削除できますか？', 'cancellation'],
    ['ログインして請求書をダウンロードできません', 'billing'],
    ['How do I cancel my plan?', 'cancellation'],
    ['パスワードを再設定したいです', 'account'],
    ['ダークモードを追加してほしいです', 'feature_request'],
    ['アプリが起動するとすぐ落ちます', 'bug'],
    ['法人向けのお見積りをお願いします', 'pricing_plan'],
    ['CSVエクスポートのやり方を教えてください', 'how_to'],
  ])('files %j under %s', (text, reasonId) => {
    expect(defaults(text)).toMatchObject({ reasonId });
  });

  it.each([
    ['Could you give me an explanation of the export format?', null],
    ['Who is in charge of data privacy at your company?', null],
  ])('does not find a reason in %j from a word inside another', (text, reasonId) => {
    expect(defaults(text)?.reasonId ?? null).toBe(reasonId);
  });

  it('does not count a denied word: 「請求書とは関係ないのですが」, "I don\'t want to cancel"', () => {
    expect(defaults('請求書とは関係ないのですが、ノベルティはもらえますか？')).toBeNull();
    expect(defaults('解約ではなく、プランの変更を考えています')).toMatchObject({ reasonId: 'pricing_plan' });
    expect(defaults("I don't want to cancel, I want to change my plan")).toMatchObject({ reasonId: 'pricing_plan' });
  });

  it('calls a decisive word strong and a contested or clear-only match weak', () => {
    expect(defaults('解約したいです')).toMatchObject({ reasonId: 'cancellation', strong: true });
    expect(defaults('プランについて')).toMatchObject({ reasonId: 'pricing_plan', strong: false });
  });
});
