import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { Digest, Topic } from '../../../src/core/digests/types.ts';
import { renderDigestBlocks, SLACK_DIGEST_LIMITS } from '../../../src/platforms/slack/render-digest.ts';
import { HOSTILE_TOPICS } from '../../helpers/hostile-topics.ts';
import { bigDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

const L = SLACK_DIGEST_LIMITS;

const sectionTexts = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

describe.each(['ja', 'en'] as const)('topics in the Slack digest (%s)', (locale) => {
  const settings = { locale, timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS };
  const withTopics = (topics: Topic[] | null | undefined): Digest => ({ ...bigDigest('week', locale), topics });

  it('draws a section with every topic and its examples, within Block Kit limits', () => {
    const rendered = renderDigestBlocks(withTopics(HOSTILE_TOPICS), settings);
    const texts = sectionTexts(rendered.blocks);
    const topics = texts.find((t) => t.includes(locale === 'ja' ? '増えている話題' : 'Growing topics'));
    expect(topics).toBeDefined();
    expect(topics!.split('\n')).toHaveLength(1 + 3 * 3);
    expect(topics).toContain(locale === 'ja' ? '今週 1,234件' : '1,234 this week');
    expect(rendered.blocks.length).toBeLessThanOrEqual(L.blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(L.sectionText);
    expect(texts.reduce((n, t) => n + t.length, 0)).toBeLessThanOrEqual(L.totalChars);
    // Customers' words are literal: no mention, no link, no formatting.
    expect(topics).not.toMatch(/<@U1>|<!here>|@channel|\*コード\*|\*届かない\*/);
    expect(topics).toContain('&lt;!here&gt;');
  });

  it.each([
    ['empty', []],
    ['null (a daily digest)', null],
    ['absent (a digest queued before topics)', undefined],
  ] as const)('draws no section when topics are %s', (_, topics) => {
    const texts = sectionTexts(renderDigestBlocks(withTopics(topics as Topic[] | null | undefined), settings).blocks);
    expect(texts.join('\n')).not.toMatch(/増えている話題|Growing topics/);
  });
});
