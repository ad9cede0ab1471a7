import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findTopics, type TopicInquiry } from '../../../src/core/digests/topics.ts';
import { seededRandom } from '../../../src/core/reasons/classifier-random.ts';
import { compileRules } from '../../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';

const WEEK_MS = 7 * 86_400_000;
const START = Date.UTC(2026, 10, 16); // the digest's week; the 4 weeks before are the baseline
const options = { startMs: START, endMs: START + WEEK_MS, baselineWeeks: 4, reasons: DEFAULT_REASONS };

// Noise: the development set's inquiries the default rules leave unclassified, as they would be.
const rules = compileRules(DEFAULT_REASONS);
const UNNAMED = readFileSync(new URL('../../fixtures/reasons-dev-ja.jsonl', import.meta.url), 'utf8')
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

/** `perWeek` noise inquiries in each of the 5 weeks, at random times of the week. */
function noiseWeeks(perWeek: number, seed: number): TopicInquiry[] {
  const random = seededRandom(seed);
  const out: TopicInquiry[] = [];
  for (let week = -4; week <= 0; week++) {
    for (let i = 0; i < perWeek; i++) {
      const text = UNNAMED[Math.floor(random() * UNNAMED.length)]!;
      out.push({ receivedAt: START + week * WEEK_MS + Math.floor(random() * WEEK_MS), text });
    }
  }
  return out;
}

function inWeek(texts: readonly string[], count: number, week = 0): TopicInquiry[] {
  return Array.from({ length: count }, (_, i) => ({
    receivedAt: START + week * WEEK_MS + i * 3_600_000,
    text: texts[i % texts.length]!,
  }));
}

describe('topics no one has named yet', () => {
  it('has enough unclassified noise to mean something', () => {
    expect(UNNAMED.length).toBeGreaterThanOrEqual(30);
  });

  it.each([1, 2, 3, 4, 5])('reports nothing in weeks of noise (seed %i)', (seed) => {
    expect(findTopics(noiseWeeks(12, seed), options)).toEqual([]);
  });

  it.each([1, 2, 3])('finds 二段階認証 growing from 0 to 12 a week among noise (seed %i)', (seed) => {
    const topics = findTopics([...noiseWeeks(12, seed), ...inWeek(TWO_FACTOR, 12)], options);
    expect(topics).toHaveLength(1);
    const [topic] = topics;
    expect(topic!.count).toBeGreaterThanOrEqual(10);
    expect(topic!.count).toBeLessThanOrEqual(12 + 2);
    expect(topic!.previousWeeklyAverage).toBeLessThan(0.5);
    expect(topic!.label).toMatch(/認証|コード|段階/);
    expect(topic!.examples).toHaveLength(2);
    for (const example of topic!.examples) expect(example).toContain('二段階認証');
  });

  it('does not report a topic that was as large in the 4 weeks before', () => {
    const steady = [0, -1, -2, -3, -4].flatMap((week) => inWeek(TWO_FACTOR, 12, week));
    expect(findTopics([...noiseWeeks(12, 1), ...steady], options)).toEqual([]);
  });

  it('stops showing a topic once the team made it a reason', () => {
    const twoFactor: Reason = {
      id: 'two_factor',
      label: { ja: '二段階認証', en: 'Two-factor' },
      keywords: ['二段階認証'],
      patterns: [],
    };
    const inquiries = [...noiseWeeks(12, 2), ...inWeek(TWO_FACTOR, 12)];
    expect(findTopics(inquiries, options)).toHaveLength(1);
    expect(findTopics(inquiries, { ...options, reasons: [...DEFAULT_REASONS, twoFactor] })).toEqual([]);
    // Named without keywords: the label alone is enough when most of the topic says it.
    const byLabel = { ...twoFactor, keywords: [] };
    expect(findTopics(inquiries, { ...options, reasons: [...DEFAULT_REASONS, byLabel] })).toEqual([]);
  });

  it('shows at most three topics, the largest growth first, with shortened examples', () => {
    const long = `請求ポータルの画面で見積書番号の検索ができない件について${'詳細を説明します。'.repeat(20)}`;
    const topics = findTopics(
      [
        ...inWeek(TWO_FACTOR, 12),
        ...inWeek(['CSVインポートで文字コードの警告が出る', 'CSVインポートすると文字コードの警告が表示される'], 8),
        ...inWeek(['iPadで画面が横向きにならない', 'iPadで横向きの画面にならないです'], 6),
        ...inWeek([long, `${long}!`], 5),
      ],
      options,
    );
    expect(topics.map((t) => t.count)).toEqual([12, 8, 6]);
    expect(findTopics(inWeek([long, `${long}!`], 5), options)[0]!.examples[0]!.length).toBeLessThanOrEqual(60);
  });
});
