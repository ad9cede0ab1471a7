import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import {
  renderDigestBlocks,
  SLACK_DIGEST_LIMITS,
  SLACK_REASON_LINES,
} from '../../../src/platforms/slack/render-digest.ts';
import { bigDigest, emptyDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

const L = SLACK_DIGEST_LIMITS;

/** Every text in the blocks, with the limit that applies to it. */
function texts(blocks: KnownBlock[]): { kind: string; text: string }[] {
  const out: { kind: string; text: string }[] = [];
  for (const b of blocks) {
    if (b.type === 'header') out.push({ kind: 'header', text: b.text.text });
    if (b.type === 'section' && b.text) out.push({ kind: 'section', text: b.text.text });
    if (b.type === 'context') for (const e of b.elements) if ('text' in e) out.push({ kind: 'context', text: e.text });
  }
  return out;
}

function limitProblems(rendered: { text: string; blocks: KnownBlock[] }): string[] {
  const problems: string[] = [];
  if (rendered.blocks.length > L.blocks) problems.push(`${rendered.blocks.length} blocks`);
  if (rendered.text.length === 0 || rendered.text.length > L.fallbackText)
    problems.push(`fallback text ${rendered.text.length}`);
  let total = 0;
  for (const { kind, text } of texts(rendered.blocks)) {
    total += text.length;
    if (text.length === 0) problems.push(`empty ${kind}`);
    if (kind === 'header' && text.length > L.headerText) problems.push(`header ${text.length}`);
    if (kind === 'section' && text.length > L.sectionText) problems.push(`section ${text.length}`);
  }
  for (const b of rendered.blocks)
    if (b.type === 'context' && b.elements.length > L.contextElements) problems.push('context elements');
  if (total > L.totalChars) problems.push(`total ${total}`);
  return problems;
}

describe.each(['ja', 'en'] as const)('the Slack digest in %s', (locale) => {
  const settings = { locale, timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS };

  it.each(['day', 'week'] as const)('stays within Block Kit limits with 100 long reasons (%s)', (kind) => {
    const rendered = renderDigestBlocks(bigDigest(kind, locale), settings);
    expect(limitProblems(rendered)).toEqual([]);
  });

  it('draws the top reasons with bars and sums the rest, so every inquiry is accounted for', () => {
    const digest = bigDigest('day', locale);
    const all = texts(renderDigestBlocks(digest, settings).blocks)
      .map((t) => t.text)
      .join('\n');
    const barLines = all.split('\n').filter((l) => /^`[█▉▊▋▌▍▎▏ ]+` \*\d+\*/.test(l));
    expect(barLines).toHaveLength(SLACK_REASON_LINES + 1); // + unclassified
    const top = digest.reasons[0]!;
    expect(barLines[0]).toContain(`*${top.count}*`);
    expect(barLines[0]).toMatch(/^`██████████`/); // the largest count fills the bar
    const hiddenCount = digest.reasons.slice(SLACK_REASON_LINES).reduce((n, r) => n + r.count, 0);
    expect(all).toContain(String(80)); // 100 − 20 reasons summed
    expect(all).toContain(hiddenCount.toLocaleString(locale === 'ja' ? 'ja-JP' : 'en-US'));
  });

  it('escapes labels so they cannot break the markup', () => {
    const all = texts(renderDigestBlocks(bigDigest('day', locale), settings).blocks)
      .map((t) => t.text)
      .join('\n');
    expect(all).not.toContain('<tag>');
    expect(all).toContain('&lt;tag&gt;');
  });

  it('renders an empty day with a sentence instead of a tally', () => {
    const rendered = renderDigestBlocks(emptyDigest('day', locale, DEFAULT_REASONS), {
      ...settings,
      reasons: DEFAULT_REASONS,
    });
    expect(limitProblems(rendered)).toEqual([]);
    const all = texts(rendered.blocks)
      .map((t) => t.text)
      .join('\n');
    expect(all).toContain(locale === 'ja' ? 'この期間のお問い合わせはありません' : 'No inquiries in this period');
  });
});

describe('Slack digest details', () => {
  it('links voices to their mirror when the sender can build a permalink, else to the intake URL', () => {
    const digest = bigDigest('day', 'en');
    const plain = texts(
      renderDigestBlocks(digest, { locale: 'en', timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS }).blocks,
    )
      .map((t) => t.text)
      .join('\n');
    expect(plain).toContain('<https://help.example.com/tickets/500?q=(a%20b)%7Cc%3E|#500>');
    const linked = texts(
      renderDigestBlocks(digest, {
        locale: 'en',
        timezone: 'Asia/Tokyo',
        reasons: HUNDRED_REASONS,
        mirrorUrl: (m) => `https://acme.slack.com/archives/${m.channel}/p${m.messageRef.replace('.', '')}`,
      }).blocks,
    )
      .map((t) => t.text)
      .join('\n');
    expect(linked).toContain('<https://acme.slack.com/archives/C0TEAM/p1700000000000100|#500>');
  });

  it('adds a sparkline per reason and a phase note to the weekly digest', () => {
    const all = texts(
      renderDigestBlocks(bigDigest('week', 'en'), { locale: 'en', timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS })
        .blocks,
    )
      .map((t) => t.text)
      .join('\n');
    expect(all).toMatch(/`[▁▂▃▄▅▆▇█]{7}`/);
    expect(all).toContain('inquiries/day on average');
  });

  it('refuses a payload that is not a digest', () => {
    expect(() => renderDigestBlocks({ hello: 1 }, { locale: 'en', timezone: 'UTC', reasons: [] })).toThrow(
      /not a koe digest/,
    );
  });
});
