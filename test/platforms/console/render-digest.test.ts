import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { displayWidth, renderDigestText } from '../../../src/platforms/console/render-digest.ts';
import { bigDigest, emptyDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

describe('the console digest', () => {
  it('lists every reason (a terminal has no limit), with bars and comparisons', () => {
    const digest = bigDigest('day', 'en');
    const text = renderDigestText(digest, { locale: 'en', timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS });
    for (const r of HUNDRED_REASONS) expect(text).toContain(`Reason ${HUNDRED_REASONS.indexOf(r)}:`);
    expect(text).toContain('vs yesterday');
    expect(text).toMatch(/█+/);
  });

  it('speaks Japanese with the ja locale and relabels from the taxonomy', () => {
    const digest = emptyDigest('week', 'en', DEFAULT_REASONS); // built in English…
    const text = renderDigestText(digest, { locale: 'ja', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS }); // …read in Japanese
    expect(text).toContain('週次ダイジェスト');
    expect(text).toContain('この期間のお問い合わせはありません。');
    expect(text).toContain('全員で返信するフェーズ');
  });

  it('counts wide characters as two columns when aligning', () => {
    expect(displayWidth('請求')).toBe(4);
    expect(displayWidth('Billing')).toBe(7);
  });
});
