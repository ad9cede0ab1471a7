import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, normalizeText, segmentWords, tokenizeWords } from '../../../src/core/reasons/tokenize.ts';

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

describe('segmentWords without a dictionary script', () => {
  // The oracle: what ICU's word segmenter calls word-like, which segmentWords used for every text
  // before the spaced-script path; the classifier's vocabulary must not change with the path taken.
  const icu = new Intl.Segmenter('ja', { granularity: 'word' });
  const icuWords = (text: string) => [...icu.segment(text)].filter((s) => s.isWordLike).map((s) => s.segment);

  it('splits spaced scripts exactly as ICU does, across its word rules', () => {
    const texts = [
      "e-mail co-op u.s.a. 3.5% foo_bar don't a:b it's-ok x'y'z 'quoted' abc' 'abc",
      'https://example.com/path?x=1&y=2 user@example.com v2.0.1 node.js c++ .net',
      "1,000,000 1.000,5 $12.50 12:30 10/12/2026 1.2.3.4 a..b 12.ab ab.12 a,b 1'000",
      "l'été naïve café straße привет, мир αβγ δ.ε שלום مرحبا 한국어 텍스트 a·b x__y",
    ];
    for (const text of texts) expect(segmentWords(normalizeText(text)), text).toEqual(icuWords(normalizeText(text)));
  });

  it('agrees with ICU on any text of letters, digits, marks and word punctuation', () => {
    const alphabet = [...'ab1é\'.:,- xyzΩж9·\u2027\u066C\u066B@#"/שה한٣%$&;\t'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = normalizeText(chars.join(''));
        expect(segmentWords(text)).toEqual(icuWords(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('leaves a text with Japanese in it to ICU whole, so words at a script border do not change', () => {
    const text = normalizeText("slackの連携ができない, it's broken");
    expect(segmentWords(text)).toEqual(icuWords(text));
  });
});
