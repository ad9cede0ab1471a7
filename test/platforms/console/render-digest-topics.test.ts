import { describe, expect, it } from 'vitest';
import type { Digest, Topic } from '../../../src/core/digests/types.ts';
import { renderDigestText } from '../../../src/platforms/console/render-digest.ts';
import { bigDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

const TOPIC: Topic = {
  label: '二段階・認証・コード',
  count: 12,
  previousWeeklyAverage: 0,
  examples: ['二段階認証のコードが届かない\u001b[31m', '二段階認証のコードが\nSMSで届きません'],
};

describe('topics in the console digest', () => {
  const withTopics = (locale: 'ja' | 'en', topics: Topic[] | null | undefined): Digest => ({
    ...bigDigest('week', locale),
    topics,
  });

  it('prints each topic with its count, its 4-week average and its examples quoted, one line each (ja)', () => {
    const text = renderDigestText(withTopics('ja', [TOPIC]), {
      locale: 'ja',
      timezone: 'Asia/Tokyo',
      reasons: HUNDRED_REASONS,
    });
    const lines = text.split('\n');
    const at = lines.indexOf('■ 未分類・その他で増えている話題');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('  「二段階・認証・コード」：今週 12件（4週平均 0件）');
    expect(lines[at + 2]).toMatch(/^ {4}「二段階認証のコードが届かない.*」$/);
    expect(lines[at + 3]).toBe('    「二段階認証のコードが SMSで届きません」');
    expect(text).not.toContain('\u001b');
  });

  it('speaks English with the en locale', () => {
    const text = renderDigestText(withTopics('en', [TOPIC]), {
      locale: 'en',
      timezone: 'Asia/Tokyo',
      reasons: HUNDRED_REASONS,
    });
    expect(text).toContain('■ Growing topics in unclassified and other');
    expect(text).toContain('  “二段階・認証・コード”: 12 this week (4-week avg 0)');
  });

  it.each([[[]], [null], [undefined]] as const)('prints no section when topics are %j', (topics) => {
    const text = renderDigestText(withTopics('ja', topics as Topic[] | null | undefined), {
      locale: 'ja',
      timezone: 'Asia/Tokyo',
      reasons: HUNDRED_REASONS,
    });
    expect(text).not.toContain('増えている話題');
  });
});
