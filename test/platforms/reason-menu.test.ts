import { describe, expect, it } from 'vitest';
import { inquiry as makeInquiry, inquiryView } from '../helpers/inquiry-fixtures.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { menuReasons } from '../../src/platforms/reason-menu.ts';
import { renderInquiry } from '../../src/platforms/slack/render.ts';

const base = { locale: 'ja' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
const settings = { ...base, suggestReasons: () => ['cancellation', 'billing', 'nope', 'account'] };

describe('the reason menu of an unclassified inquiry', () => {
  it('lists koe’s top three guesses first, then the taxonomy’s order', () => {
    const ids = menuReasons(makeInquiry({ reasonId: null }), settings).map((r) => r.id);
    expect(ids.slice(0, 3)).toEqual(['cancellation', 'billing', 'how_to']);
    expect(new Set(ids).size).toBe(DEFAULT_REASONS.length);
  });

  it('keeps the taxonomy’s order once the inquiry has a reason, or with no suggester', () => {
    expect(menuReasons(makeInquiry({ reasonId: 'bug' }), settings)).toBe(DEFAULT_REASONS);
    expect(menuReasons(makeInquiry({ reasonId: null }), base)).toBe(DEFAULT_REASONS);
    const broken = {
      ...base,
      suggestReasons: () => {
        throw new Error('no model');
      },
    };
    expect(menuReasons(makeInquiry({ reasonId: null }), broken)).toBe(DEFAULT_REASONS);
  });

  it('reaches Slack’s select in that order', () => {
    const message = renderInquiry(inquiryView({ reasonId: null }), settings);
    const select = JSON.stringify(message).match(/"type":"static_select".*?"options":(\[.*?\])/)?.[1];
    const values = [...(select ?? '').matchAll(/"value":"([^"]+)"/g)].map((m) => m[1]);
    expect(values.slice(0, 3)).toEqual(['cancellation', 'billing', 'how_to']);
  });
});
