import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, normalizeText, tokenizeWords } from '../../../src/core/reasons/tokenize.ts';

describe('tokenizeWords', () => {
  it('splits Japanese, which has no spaces, into dictionary words', () => {
    expect(tokenizeWords('請求書が届きません')).toEqual(['請求', '書', 'が', '届', 'き', 'ま', 'せん']);
    expect(tokenizeWords('ログインできない')).toEqual(['ログイン', 'でき', 'ない']);
  });

  it('splits English on word boundaries, lower-cased, without punctuation', () => {
    expect(tokenizeWords('Invoice NOT received?!')).toEqual(['invoice', 'not', 'received']);
  });

  it('keeps contractions whole whichever apostrophe was typed', () => {
    expect(tokenizeWords('Don’t charge me')).toEqual(tokenizeWords("don't charge me"));
    expect(tokenizeWords("don't")).toEqual(["don't"]);
  });

  it('handles Japanese and English mixed in one inquiry', () => {
    expect(tokenizeWords('請求書(invoice)がまだ届きません。Please help!')).toEqual([
      '請求',
      '書',
      'invoice',
      'が',
      'まだ',
      '届',
      'き',
      'ま',
      'せん',
      'please',
      'help',
    ]);
  });

  it('keeps emoji as tokens, without skin-tone or presentation modifiers', () => {
    expect(tokenizeWords('great app 😀👍🏽 but ❤️')).toEqual(['great', 'app', '😀', '👍', 'but', '❤']);
    expect(tokenizeWords('👨‍👩‍👧 family')).toEqual(['👨‍👩‍👧', 'family']);
  });

  it('applies NFKC: full-width letters and digits become half-width, half-width kana full-width', () => {
    expect(tokenizeWords('ＡＢＣ１２３　ｶﾀｶﾅ')).toEqual(['abc123', 'カタカナ']);
  });

  it.each(['', '   \n\t ', '\u0000\u0000', '。、！？'])('returns no tokens for %j', (text) => {
    expect(tokenizeWords(text)).toEqual([]);
  });

  it('treats NUL and other control characters as spaces', () => {
    expect(tokenizeWords('card\u0000arrived\u0007late')).toEqual(['card', 'arrived', 'late']);
  });
});

describe('normalizeText', () => {
  it('collapses whitespace and trims', () => {
    expect(normalizeText('  My   card\n\nhas\tarrived  ')).toBe('my card has arrived');
  });

  it(`caps a huge inquiry at ${MAX_TEXT_CHARS} characters without splitting an emoji`, () => {
    expect(normalizeText('a'.repeat(100_000))).toHaveLength(MAX_TEXT_CHARS);
    const cut = normalizeText(`${'a'.repeat(MAX_TEXT_CHARS - 1)}😀 more`);
    expect(cut).toBe('a'.repeat(MAX_TEXT_CHARS - 1));
  });
});
