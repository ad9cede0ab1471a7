import { describe, expect, it } from 'vitest';
import type { Digest, Topic } from '../../../src/core/digests/types.ts';
import { embedLength, embedViolations } from '../../../src/platforms/discord/limits.ts';
import { DISCORD_DIGEST_BUDGET, renderDigestEmbeds } from '../../../src/platforms/discord/render-digest.ts';
import { withDeliveryMarker } from '../../../src/platforms/discord/render.ts';
import { HOSTILE_TOPICS } from '../../helpers/hostile-topics.ts';
import { bigDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

describe.each(['ja', 'en'] as const)('topics in the Discord digest (%s)', (locale) => {
  const settings = { locale, timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS };
  const withTopics = (topics: Topic[] | null | undefined): Digest => ({ ...bigDigest('week', locale), topics });
  const heading = locale === 'ja' ? '未分類・その他で増えている話題' : 'Growing topics in unclassified and other';

  it('draws a field with the topics and their examples, within embed limits, marker included', () => {
    const rendered = renderDigestEmbeds(withTopics(HOSTILE_TOPICS), settings);
    expect(embedViolations(rendered.embeds)).toEqual([]);
    expect(embedLength(rendered.embeds[0]!)).toBeLessThanOrEqual(DISCORD_DIGEST_BUDGET);
    expect(embedViolations(withDeliveryMarker(rendered, 123_456_789).embeds)).toEqual([]);
    const field = rendered.embeds[0]!.fields!.find((f) => f.name === heading);
    expect(field).toBeDefined();
    expect(field!.value).toContain(locale === 'ja' ? '今週 1,234件' : '1,234 this week');
    // Markdown in customers' words is escaped, as in voices.
    expect(field!.value).toContain('\\*コード\\*');
    expect(field!.value).toContain('\\[link\\]\\(https://x\\)');
  });

  it.each([[[]], [null], [undefined]] as const)('draws no field when topics are %j', (topics) => {
    const rendered = renderDigestEmbeds(withTopics(topics as Topic[] | null | undefined), settings);
    expect(rendered.embeds[0]!.fields!.some((f) => f.name === heading)).toBe(false);
  });
});
