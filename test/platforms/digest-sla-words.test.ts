import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { renderDigestText } from '../../src/platforms/console/render-digest.ts';
import { renderDigestEmbeds } from '../../src/platforms/discord/render-digest.ts';
import { formatBusinessMinutes, formatTarget } from '../../src/platforms/digest-words.ts';
import { renderDigestBlocks } from '../../src/platforms/slack/render-digest.ts';
import { bigDigest } from '../helpers/sample-digest.ts';

const REASONS = [...DEFAULT_REASONS];
const settings = (locale: 'ja' | 'en') => ({ locale, timezone: 'Asia/Tokyo', reasons: REASONS });

describe('the digest says what was promised, in both locales', () => {
  it('gives business time beside wall-clock time, breaches with owners, and the weekly share per reason (ja)', () => {
    const text = renderDigestText(bigDigest('week', 'ja', REASONS), settings('ja'));
    expect(text).toMatch(/初回返信 中央値 .+（営業時間 .+）・p90 .+・目標（営業時間で2時間）内 \d+%/);
    expect(text).toMatch(/解決まで 中央値 .+目標（2営業日）内 \d+%/);
    expect(text).toMatch(/#\d+ .+：未返信・期限から営業時間で\d+時間超過・担当 担当者/);
    expect(text).toContain('担当なし');
    expect(text).toContain('■ 理由別の目標達成率');
    expect(text).toContain('解決期限超過');
  });

  it('says the same in English', () => {
    const text = renderDigestText(bigDigest('week', 'en', REASONS), settings('en'));
    expect(text).toMatch(/First response: median .+ \(.+ business\) · p90 .+ · within 2 business hours \d+%/);
    expect(text).toMatch(/Resolution: median .+ within 2 business days \d+%/);
    expect(text).toMatch(/#\d+ .+: no reply yet, \d+h past due in business time · held by /);
    expect(text).toContain('· unassigned');
    expect(text).toContain('■ Within target by reason');
    expect(text).toContain('past resolution due');
  });

  it('shows the per-reason share on Slack and Discord weekly digests, not daily ones', () => {
    for (const locale of ['ja', 'en'] as const) {
      const heading = locale === 'ja' ? '理由別の目標達成率' : 'Within target by reason';
      const weekly = bigDigest('week', locale, REASONS);
      const daily = bigDigest('day', locale, REASONS);
      expect(JSON.stringify(renderDigestBlocks(weekly, settings(locale)).blocks)).toContain(heading);
      expect(JSON.stringify(renderDigestBlocks(daily, settings(locale)).blocks)).not.toContain(heading);
      expect(renderDigestEmbeds(weekly, settings(locale)).embeds[0]!.fields!.map((f) => f.name)).toContain(heading);
    }
  });

  it('never writes business time in days, since a business day is not 24 hours', () => {
    expect(formatBusinessMinutes(43 * 60 + 20, 'ja')).toBe('43時間20分');
    expect(formatBusinessMinutes(43 * 60, 'en')).toBe('43h');
    expect(formatTarget('2d', 'ja')).toBe('2営業日');
    expect(formatTarget('30m', 'ja')).toBe('営業時間で30分');
    expect(formatTarget('1h', 'en')).toBe('1 business hour');
    expect(formatTarget('2d', 'en')).toBe('2 business days');
  });
});
