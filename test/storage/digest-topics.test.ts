import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDigest, UNNAMED_PER_WEEK } from '../../src/core/digests/make-digest.ts';
import { digestPeriod } from '../../src/core/digests/periods.ts';
import { seededRandom } from '../../src/core/reasons/classifier-random.ts';
import { compileRules } from '../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { renderDigestText } from '../../src/platforms/console/render-digest.ts';
import { createDigestQueries } from '../../src/storage/digest-queries.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { roundTheClock, testSlaSettings } from '../helpers/sla.ts';
import { tempDb } from '../helpers/temp-db.ts';

// Topics in the weekly digest, end to end over a real SQLite file: rows in, Digest.topics out.
const TZ = 'Asia/Tokyo';
const WEEK_MS = 7 * 86_400_000;
const week = digestPeriod('week', '2026-11-20', TZ); // Mon 11-16 … Sun 11-22
const START = week.startMs;

// Noise: the development set's inquiries the default rules leave unclassified, as they would be.
const rules = compileRules(DEFAULT_REASONS);
const UNNAMED = readFileSync(new URL('../fixtures/reasons-dev-ja.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .filter((text) => rules(text) === null);

const TWO_FACTOR = [
  '二段階認証のコードが届かない',
  '二段階認証のコードがSMSで届きません',
  'ログイン時の二段階認証コードが届かないです',
  '二段階認証のコードが全然届かないのですが',
  '二段階認証の確認コードが届かず困っています',
  '二段階認証コードがメールに届かない',
];

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

/** `perWeek` unnamed noise inquiries (half unclassified, half `other`) in the week and the 4 before. */
function addNoise(perWeek: number, seed: number): void {
  const random = seededRandom(seed);
  for (let w = -4; w <= 0; w++)
    for (let i = 0; i < perWeek; i++)
      addInquiry(t.db, {
        receivedAt: START + w * WEEK_MS + Math.floor(random() * WEEK_MS),
        reasonId: i % 2 ? 'other' : null,
        body: UNNAMED[Math.floor(random() * UNNAMED.length)]!,
      });
}

function weekly(nowMs = week.endMs + 9 * 3_600_000, kind: 'week' | 'day' = 'week') {
  return makeDigest(createDigestQueries(t.db), {
    name: `${kind}ly`,
    kind,
    date: '2026-11-20',
    timezone: TZ,
    locale: 'ja',
    reasons: DEFAULT_REASONS,
    sla: testSlaSettings({ calendar: roundTheClock(TZ) }),
    nowMs,
  });
}

describe('topics in the weekly digest (SQLite)', () => {
  it('shows 二段階認証, 12 this week and none before, with its count and two examples', () => {
    addNoise(12, 1);
    for (let i = 0; i < 12; i++)
      addInquiry(t.db, {
        receivedAt: START + i * 3_600_000,
        reasonId: i % 3 ? null : 'other',
        subject: i % 4 === 0 ? 'ログインについて' : null,
        body: TWO_FACTOR[i % TWO_FACTOR.length]!,
      });
    // Named inquiries saying the same are not topics: a reason already counts them.
    for (let i = 0; i < 5; i++)
      addInquiry(t.db, { receivedAt: START + i * 60_000, reasonId: 'account', body: TWO_FACTOR[0]! });

    const digest = weekly();
    expect(digest.topics).toHaveLength(1);
    const topic = digest.topics![0]!;
    expect(topic.count).toBe(12);
    expect(topic.previousWeeklyAverage).toBe(0);
    expect(topic.label).toMatch(/認証|コード|段階/);
    expect(topic.examples).toHaveLength(2);
    for (const example of topic.examples) expect(example).toContain('二段階認証');

    const text = renderDigestText(digest, { locale: 'ja', timezone: TZ, reasons: DEFAULT_REASONS });
    expect(text).toContain('■ 未分類・その他で増えている話題');
    expect(text).toContain(`」：今週 12件（4週平均 0件）`);
    for (const example of topic.examples) expect(text).toContain(`「${example}」`);
  });

  it.each([1, 2, 3])('shows no topics section for weeks of noise (seed %i)', (seed) => {
    addNoise(12, seed);
    const digest = weekly();
    expect(digest.topics).toEqual([]);
    const text = renderDigestText(digest, { locale: 'ja', timezone: TZ, reasons: DEFAULT_REASONS });
    expect(text).not.toContain('増えている話題');
  });

  it('has no topics in a daily digest', () => {
    for (let i = 0; i < 12; i++) addInquiry(t.db, { receivedAt: START + 4 * 86_400_000 + i, body: TWO_FACTOR[0]! });
    const digest = weekly(week.endMs, 'day');
    expect(digest.period.kind).toBe('day');
    expect(digest.topics).toBeNull();
    expect(renderDigestText(digest, { locale: 'ja', timezone: TZ, reasons: DEFAULT_REASONS })).not.toContain(
      '増えている話題',
    );
  });
});

describe('the unnamed inquiries query', () => {
  it('returns only unclassified and `other` inquiries of the range, newest first, up to the limit', () => {
    const a = addInquiry(t.db, { receivedAt: START + 1, reasonId: null, subject: 's', body: 'a' });
    const b = addInquiry(t.db, { receivedAt: START + 2, reasonId: 'other', body: 'b' });
    const c = addInquiry(t.db, { receivedAt: START + 3, reasonId: null, body: 'x'.repeat(5000) });
    addInquiry(t.db, { receivedAt: START + 4, reasonId: 'billing', body: 'named' });
    addInquiry(t.db, { receivedAt: START - 1, reasonId: null, body: 'before' });
    addInquiry(t.db, { receivedAt: week.endMs, reasonId: null, body: 'after' });
    const q = createDigestQueries(t.db);
    const rows = q.unnamedInquiries(week, 10);
    expect(rows.map((r) => r.id)).toEqual([c, b, a]);
    expect(rows[2]).toEqual({ id: a, subject: 's', body: 'a', receivedAt: START + 1 });
    expect(rows[0]!.body.length).toBe(1000); // bounded
    expect(q.unnamedInquiries(week, 2).map((r) => r.id)).toEqual([c, b]);
    expect(UNNAMED_PER_WEEK).toBe(2000);
  });
});
