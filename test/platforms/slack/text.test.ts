import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chunk,
  escapeMrkdwn,
  jsonBytes,
  mrkdwnLink,
  mrkdwnLiteral,
  mrkdwnText,
  sanitize,
  slackToPlain,
  truncate,
} from '../../../src/platforms/slack/text.ts';

const ANY = fc
  .array(
    fc.constantFrom(
      'a',
      'あ',
      '😀',
      '👩‍👩‍👧',
      '\u0000',
      '\uD800',
      '\uDC00',
      '"',
      '\\',
      '\n',
      '<',
      '&',
      'é',
      '\u0301',
      '\u007f',
    ),
    { maxLength: 400 },
  )
  .map((a) => a.join(''));

describe('slack text helpers', () => {
  it('jsonBytes equals the UTF-8 length of the JSON string (property)', () => {
    fc.assert(
      fc.property(ANY, (s) => {
        expect(jsonBytes(s)).toBe(Buffer.byteLength(JSON.stringify(s), 'utf8') - 2);
      }),
    );
  });

  it('sanitize drops NUL and control characters, keeps newlines and tabs, repairs lone surrogates', () => {
    expect(sanitize('a\u0000b\tc\r\nd\u001fe\u007f')).toBe('ab\tc\nde');
    expect(sanitize('x\uD800y\uDC00z😀')).toBe('x\uFFFDy\uFFFDz😀');
  });

  it('truncate never splits a grapheme cluster and respects the limit (property)', () => {
    fc.assert(
      fc.property(ANY, fc.integer({ min: 0, max: 200 }), (s, max) => {
        const { text, cut } = truncate(s, max);
        expect(text.length).toBeLessThanOrEqual(Math.max(max, 1));
        if (!cut) expect(text).toBe(s);
        else expect(s.startsWith(text.slice(0, -1).trimEnd()) || text === '…').toBe(true);
      }),
    );
    expect(truncate('👩‍👩‍👧👩‍👩‍👧', 10).text).toBe('👩‍👩‍👧…');
  });

  it('mrkdwnText escapes after cutting, never leaving half an entity', () => {
    expect(mrkdwnText('<!channel> & co', 100)).toBe('&lt;!channel&gt; &amp; co');
    const cut = mrkdwnText('&&&&&&', 12);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).toMatch(/^(&amp;)*…$/);
  });

  it('mrkdwnLiteral leaves no formatting mark that could open or close, and no entity half cut (property)', () => {
    const marked = fc
      .array(fc.constantFrom('a', '1', ' ', '*', '_', '~', '`', '＊', '＿', '｀', '<', '&', '>', '\n', 'あ', '@here'), {
        maxLength: 120,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(marked, fc.integer({ min: 1, max: 150 }), (s, max) => {
        const out = mrkdwnLiteral(s, max);
        expect(out).not.toMatch(/[<>`＊＿｀]|&(?!amp;|lt;|gt;)|@here/);
        for (const m of out.matchAll(/[*_~]/g))
          expect(out.slice(m.index - 1, m.index + 2)).toMatch(/^[A-Za-z0-9].[A-Za-z0-9]$/);
      }),
    );
    expect(mrkdwnLiteral('a_b *c* x~y~ `z` @Channel', 100)).toBe('a_b ∗c∗ x~y∼ ˋzˋ @\u2060Channel');
  });

  it('mrkdwnLink keeps a hostile URL from breaking out of the link', () => {
    expect(mrkdwnLink('https://x.example/a|b>c', 'label <b>')).toBe('<https://x.example/a%7Cb%3Ec|label &lt;b&gt;>');
  });

  it('chunk loses nothing and keeps every piece within the size (property)', () => {
    fc.assert(
      fc.property(ANY, fc.integer({ min: 4, max: 50 }), (s, size) => {
        const pieces = chunk(s, size, jsonBytes);
        expect(pieces.join('')).toBe(s);
        for (const p of pieces) {
          // A single grapheme larger than the size is split by code point; nothing else may exceed it.
          if (jsonBytes(p) > size) expect([...p].length).toBe(1);
        }
      }),
    );
  });

  it('chunk prefers to break after a newline', () => {
    expect(chunk(`${'a'.repeat(9)}\n${'b'.repeat(5)}`, 11)).toEqual([`${'a'.repeat(9)}\n`, 'bbbbb']);
  });

  it('slackToPlain turns Slack markup into readable text', () => {
    expect(
      slackToPlain(
        'Hi <@U123|alice>, see <#C1|general> and <https://x.example|the docs> or <https://y.example> &lt;3 &amp; <!here>',
      ),
    ).toBe('Hi @alice, see #general and the docs (https://x.example) or https://y.example <3 & @here');
    expect(escapeMrkdwn('<&>')).toBe('&lt;&amp;&gt;');
  });
});
