import { describe, expect, it } from 'vitest';
import { chunk, jsonBytes, plainText, sanitize, slackToPlain, truncate } from '../../../src/platforms/slack/text.ts';

/** text.ts at its boundaries: every code unit class jsonBytes counts, chunk's breaks, and Slack markup read back. */

describe('jsonBytes', () => {
  const oracle = (s: string) => Buffer.byteLength(JSON.stringify(s)) - 2;
  it.each([
    ['\b', 0x08],
    ['\t', 0x09],
    ['\n', 0x0a],
    ['\f', 0x0c],
    ['\r', 0x0d],
    ['\u0000', 0x00],
    ['\u000b', 0x0b],
    ['\u001f', 0x1f],
    [' ', 0x20],
    ['"', 0x22],
    ['\\', 0x5c],
    ['\u007f', 0x7f],
    ['\u0080', 0x80],
    ['\u07ff', 0x7ff],
    ['\u0800', 0x800],
    ['\ud7ff', 0xd7ff],
    ['\ud800\udc00', 0xd800],
    ['\udbff\udfff', 0xdbff],
    ['\ud800', 0xd800],
    ['\udbffx', 0xdbff],
    ['\udc00', 0xdc00],
    ['\udfff', 0xdfff],
    ['\ue000', 0xe000],
  ])('counts %j as JSON writes it (U+%s)', (text) => {
    expect(jsonBytes(text)).toBe(oracle(text));
    expect(jsonBytes(`a${text}b`)).toBe(oracle(`a${text}b`));
  });
});

describe('chunk', () => {
  it('breaks after a newline in the last fifth of a piece, and not before it', () => {
    const late = `${'a'.repeat(85)}\n${'b'.repeat(30)}`;
    expect(chunk(late, 100)).toEqual([`${'a'.repeat(85)}\n`, 'b'.repeat(30)]);
    const early = `${'a'.repeat(50)}\n${'b'.repeat(80)}`;
    expect(chunk(early, 100)).toEqual([`${'a'.repeat(50)}\n${'b'.repeat(49)}`, 'b'.repeat(31)]);
    const atEdge = `${'a'.repeat(80)}\n${'b'.repeat(40)}`; // 80 is exactly four fifths
    expect(chunk(atEdge, 100)[0]).toBe(`${'a'.repeat(80)}\n`);
    const leading = `\n${'a'.repeat(150)}`; // a newline at 0 is no place to break
    expect(chunk(leading, 100).map((p) => p.length)).toEqual([100, 51]);
  });

  it('keeps text that fits as one piece, and gives one empty piece for no text', () => {
    expect(chunk('abc', 3)).toEqual(['abc']);
    expect(chunk('', 10)).toEqual(['']);
  });

  it('splits a grapheme larger than the piece at its first code point rather than looping', () => {
    // Each emoji is two UTF-16 units: a piece of 2 takes one code point of the family at a time.
    expect(chunk('👩\u200d👩\u200d👧x', 2)).toEqual(['👩', '\u200d', '👩', '\u200d', '👧', 'x']);
  });
});

describe('truncate, sanitize and plainText', () => {
  it('drops the spaces before the ellipsis, and keeps leading ones', () => {
    expect(truncate('  ab   cdef', 8).text).toBe('  ab…');
  });

  it('turns a lone CR into a line break', () => {
    expect(sanitize('a\rb\r\nc')).toBe('a\nb\nc');
  });

  it('trims plain text and gives the placeholder for nothing', () => {
    expect(plainText('  x  ', 10)).toBe('x');
    expect(plainText(' \n ', 10)).toBe('-');
  });
});

describe('slackToPlain', () => {
  it('reads mentions, channels, groups and links back as text', () => {
    expect(slackToPlain('<@U1> <#C1> <!subteam^S1> <!subteam^S1|@support> <!here> <https://x.example>')).toBe(
      '@U1 #C1 @group @support @here https://x.example',
    );
    expect(
      slackToPlain(
        '<@U1|@alice> <#C1|#general> <@U2|al@ice> <https://x.example|https://x.example> <https://y.example|see>',
      ),
    ).toBe('@alice #general @al@ice https://x.example see (https://y.example)');
    expect(slackToPlain('<!subteam^S1x-y> &lt;b&gt; &amp;lt;')).toBe('@subteam^S1x-y <b> &lt;');
  });
});
