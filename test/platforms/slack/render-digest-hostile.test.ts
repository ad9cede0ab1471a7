import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Reason } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestBlocks } from '../../../src/platforms/slack/render-digest.ts';
import { bigDigest } from '../../helpers/sample-digest.ts';

/**
 * The Slack digest draws reason labels (the config's, or a stored label of a reason since removed),
 * customers' subjects and people's names with the mirror's escaping (`mrkdwnLiteral`): as typed,
 * never as formatting, a mention, a broadcast or a link.
 */

const HOSTILE =
  '*bold* _italic_ ~strike~ `code` ＊太字＊ @channel @here @everyone <!channel> <!here> <@U0EVIL> <!subteam^S0TEAM|@team> <https://evil.example/login|https://bank.example>';
const MARKED = ['*bold*', '_italic_', '~strike~', '`code`', '＊太字＊'];

/** Reasons whose labels are hostile (a config can be written by anyone with access to it). */
const reasons: Reason[] = ['bug', 'feature_request', 'other'].map((id) => ({
  id,
  label: { ja: `${id} ${HOSTILE}`, en: `${id} ${HOSTILE}` },
  keywords: [],
  patterns: [],
}));

function hostileDigest(locale: 'ja' | 'en') {
  const digest = bigDigest('week', locale, reasons);
  for (const v of digest.voices) v.title = `> ${HOSTILE}`;
  for (const p of digest.participation.top) p.name = `_${HOSTILE}_`;
  for (const b of digest.sla.worst) b.reasonId = 'bug';
  return digest;
}

/** The mrkdwn text objects of the blocks, with their verbatim flag. */
function mrkdwn(blocks: KnownBlock[]): { text: string; verbatim: boolean }[] {
  const out: { text: string; verbatim: boolean }[] = [];
  for (const b of blocks as any[]) {
    for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) {
      if (t?.type === 'mrkdwn') out.push({ text: t.text, verbatim: t.verbatim === true });
    }
  }
  return out;
}

describe.each(['ja', 'en'] as const)('the Slack digest with hostile labels, quotes and names (%s)', (locale) => {
  // Rendered twice: with the hostile reasons configured, and with them gone from the config (the
  // digest then shows the label it stored).
  const renders = [
    renderDigestBlocks(hostileDigest(locale), { locale, timezone: 'Asia/Tokyo', reasons }),
    renderDigestBlocks(hostileDigest(locale), { locale, timezone: 'Asia/Tokyo', reasons: [] }),
  ];

  it('shows the hostile text at all (so the checks below look at it)', () => {
    for (const r of renders) {
      const all = mrkdwn(r.blocks)
        .map((t) => t.text)
        .join('\n');
      expect(all).toContain('∗bold∗ ˍitalicˍ ∼strike∼ ˋcodeˋ');
      expect(all).toContain('&lt;@U0EVIL&gt;');
    }
  });

  it('lets no label, quote or name mention, broadcast, link or format', () => {
    for (const r of renders) {
      for (const { text } of mrkdwn(r.blocks)) {
        expect(text).not.toMatch(/<[!@#]/);
        expect(text).not.toContain('<https://evil.example');
        expect(text).not.toMatch(/@(channel|here|everyone)/i);
        for (const marked of MARKED) expect(text).not.toContain(marked);
        expect(text).not.toMatch(/^&gt;/m); // a quoted subject starts no quote
      }
      expect(r.text).not.toMatch(/<[!@]/);
    }
  });

  it('asks Slack not to parse any mrkdwn text that carries others’ words', () => {
    for (const r of renders) {
      for (const { text, verbatim } of mrkdwn(r.blocks)) if (/\u2060/.test(text)) expect(verbatim).toBe(true);
    }
  });

  it('keeps koe’s own links to the voices', () => {
    const all = mrkdwn(renders[0]!.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(all).toMatch(/<https:\/\/help\.example\.com\/tickets\/500\?[^|>]*\|#500>/);
  });
});
