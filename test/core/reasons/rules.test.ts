import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';

function reason(id: string, rules: { keywords?: string[]; patterns?: string[] }): Reason {
  return { id, label: { ja: id, en: id }, keywords: rules.keywords ?? [], patterns: rules.patterns ?? [] };
}

describe('keyword and pattern rules', () => {
  it('gives the first reason in taxonomy order when keywords of two reasons match', () => {
    const refund = reason('refund', { keywords: ['refund'] });
    const billing = reason('billing', { keywords: ['invoice', 'refund'] });
    const text = 'Please refund invoice 123';
    expect(compileRules([refund, billing])(text)).toEqual({ reasonId: 'refund', matched: 'refund' });
    expect(compileRules([billing, refund])(text)).toEqual({ reasonId: 'billing', matched: 'invoice' });
  });

  it('gives the first reason in taxonomy order when patterns of two reasons match', () => {
    const order = reason('order', { patterns: ['order\\s*#\\d+'] });
    const anyNumber = reason('any_number', { patterns: ['#\\d+'] });
    const text = 'Where is order #4521?';
    expect(compileRules([order, anyNumber])(text)).toEqual({ reasonId: 'order', matched: 'order\\s*#\\d+' });
    expect(compileRules([anyNumber, order])(text)).toEqual({ reasonId: 'any_number', matched: '#\\d+' });
  });

  it('lets an earlier reason’s pattern win over a later reason’s keyword', () => {
    const order = reason('order', { patterns: ['order\\s*#\\d+'] });
    const shipping = reason('shipping', { keywords: ['order'] });
    expect(compileRules([order, shipping])('order #12 has not arrived')).toEqual({
      reasonId: 'order',
      matched: 'order\\s*#\\d+',
    });
  });

  it('takes billing over account in the default taxonomy for a login problem about an invoice', () => {
    expect(compileRules(DEFAULT_REASONS)('ログインして請求書をダウンロードできません')).toEqual({
      reasonId: 'billing',
      matched: '請求',
    });
    expect(compileRules(DEFAULT_REASONS)('How do I cancel my plan?')).toEqual({
      reasonId: 'how_to',
      matched: 'how do i',
    });
  });

  it('matches keywords whatever the case or width, and patterns whatever the case', () => {
    const rules = compileRules([
      reason('billing', { keywords: ['Invoice'] }),
      reason('order', { patterns: ['ORDER'] }),
    ]);
    expect(rules('ＩＮＶＯＩＣＥ please')).toEqual({ reasonId: 'billing', matched: 'invoice' });
    expect(rules('my order')).toEqual({ reasonId: 'order', matched: 'ORDER' });
  });

  it('matches nothing when no keyword or pattern is in the text', () => {
    expect(compileRules(DEFAULT_REASONS)('hello there')).toBeNull();
  });
});
