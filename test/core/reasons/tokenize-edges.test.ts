import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, normalizeText, tokenizeWords } from '../../../src/core/reasons/tokenize.ts';

// normalizeText at the edges of its character classes and of its cap (tokenize.test.ts covers the
// common cases).

describe('normalizeText at its edges', () => {
  it('turns every control character, zero-width space and BOM into a space, and keeps the joiner', () => {
    for (const c of ['\u0001', '\u0008', '\u000E', '\u001F', '\u007F', '\u0085', '\u009F', '\u200B', '\u2060']) {
      expect(normalizeText(`a${c}b`), JSON.stringify(c)).toBe('a b');
    }
    expect(normalizeText('\uFEFFab')).toBe('ab');
    expect(normalizeText('a\u200Db')).toBe('a\u200Db');
    expect(normalizeText('a\u00A0b')).toBe('a b');
  });

  it('reads every typographic apostrophe as one', () => {
    for (const q of ['\u2018', '\u2019', '\u201B', '\u2032', '\uFF07']) {
      expect(tokenizeWords(`Don${q}t`), JSON.stringify(q)).toEqual(["don't"]);
    }
  });

  it(`reads no further than twice ${MAX_TEXT_CHARS} code units, however much of them is whitespace`, () => {
    expect(normalizeText(`${' '.repeat(2 * MAX_TEXT_CHARS)}word`)).toBe('');
    expect(normalizeText(`${' '.repeat(2 * MAX_TEXT_CHARS - 1)}word`)).toBe('w');
    expect(normalizeText(`${'b'.repeat(MAX_TEXT_CHARS)}`)).toHaveLength(MAX_TEXT_CHARS);
  });

  it('cuts before a surrogate pair at the cap, and after one that ends there', () => {
    const a = (n: number) => 'a'.repeat(n);
    // The pair ends at the cap: kept whole.
    expect(normalizeText(`${a(MAX_TEXT_CHARS - 2)}😀b`)).toBe(`${a(MAX_TEXT_CHARS - 2)}😀`);
    // The pair straddles the cap: the first and last high surrogates (U+10000, U+10FFFF) are left out.
    expect(normalizeText(`${a(MAX_TEXT_CHARS - 1)}\uD800\uDC00`)).toBe(a(MAX_TEXT_CHARS - 1));
    expect(normalizeText(`${a(MAX_TEXT_CHARS - 1)}\uDBFF\uDFFF`)).toBe(a(MAX_TEXT_CHARS - 1));
    expect(normalizeText(`${a(MAX_TEXT_CHARS - 1)}bc`)).toBe(`${a(MAX_TEXT_CHARS - 1)}b`);
  });
});
