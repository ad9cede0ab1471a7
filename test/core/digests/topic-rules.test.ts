import { describe, expect, it } from 'vitest';
import { findTopics, type TopicInquiry } from '../../../src/core/digests/topics.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';

/**
 * The rules of findTopics on small, exact weeks (topics.test.ts has the statistical ones, among
 * noise): which topics count, where the week begins and ends, how they are ordered, labelled and
 * shortened, and when a team-named reason hides one.
 */

const HOUR = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR;
const START = Date.UTC(2026, 10, 16);
const options = { startMs: START, endMs: START + WEEK_MS, baselineWeeks: 4, reasons: DEFAULT_REASONS };

const TWO_FACTOR = [
  '二段階認証のコードが届かない',
  '二段階認証のコードがSMSで届きません',
  'ログイン時の二段階認証コードが届かないです',
  '二段階認証のコードが全然届かないのですが',
];
const IPAD = ['iPadで画面が横向きにならない', 'iPadで横向きの画面にならないです'];

/** `count` inquiries an hour apart from the start of week `week` (0: the digest's week), cycling `texts`. */
function inWeek(texts: readonly string[], count: number, week = 0): TopicInquiry[] {
  return Array.from({ length: count }, (_, i) => ({
    receivedAt: START + week * WEEK_MS + i * HOUR,
    text: texts[i % texts.length]!,
  }));
}
const at = (texts: readonly string[], times: readonly number[]) =>
  texts.map((text, i) => ({ receivedAt: times[i]!, text }));
const withReason = (reason: Reason) => ({ ...options, reasons: [...DEFAULT_REASONS, reason] });
const codePoints = (s: string) => Array.from(s).length;

describe('findTopics on exact weeks', () => {
  it('reports four alike as a topic: its words, its count, its baseline, its two oldest as examples', () => {
    expect(findTopics(inWeek(TWO_FACTOR, 4), options)).toEqual([
      {
        label: '認証コード届・二段階認証・sms',
        count: 4,
        previousWeeklyAverage: 0,
        examples: [TWO_FACTOR[0], TWO_FACTOR[1]],
      },
    ]);
  });

  it('needs four in the week: three alike can be chance', () => {
    expect(findTopics(inWeek(TWO_FACTOR, 3), options)).toEqual([]);
  });

  it('counts the week from its first instant and up to, not including, its end', () => {
    const four = TWO_FACTOR.slice(0, 4);
    expect(findTopics(at(four, [START, START + HOUR, START + 2 * HOUR, START + WEEK_MS - 1]), options)).toHaveLength(1);
    // One a millisecond before the week is baseline: three in the week are not enough.
    expect(findTopics(at(four, [START - 1, START + HOUR, START + 2 * HOUR, START + 3 * HOUR]), options)).toEqual([]);
    // One at the week's end is after the digest: left out, not counted in the week.
    const five = [...four, TWO_FACTOR[0]!];
    const times = [START, START + HOUR, START + 2 * HOUR, START + 3 * HOUR, START + WEEK_MS];
    expect(findTopics(at(five, times), options).map((t) => t.count)).toEqual([4]);
  });

  it('needs twice the weekly baseline plus two: 6 against 8 in 4 weeks (2 a week) is shown, against 9 (2.3) not', () => {
    const shown = findTopics([...inWeek(TWO_FACTOR, 6), ...inWeek(TWO_FACTOR, 8, -2)], options);
    expect(shown.map((t) => [t.count, t.previousWeeklyAverage])).toEqual([[6, 2]]);
    expect(findTopics([...inWeek(TWO_FACTOR, 6), ...inWeek(TWO_FACTOR, 9, -1)], options)).toEqual([]);
  });

  it('orders topics by growth, then by count, then by label', () => {
    // Growth 4 each: 6 − 2 (two-factor, baseline 8 in 4 weeks) before 4 − 0 (iPad).
    const byCount = findTopics([...inWeek(TWO_FACTOR, 6), ...inWeek(TWO_FACTOR, 8, -1), ...inWeek(IPAD, 4)], options);
    expect(byCount.map((t) => [t.count, t.previousWeeklyAverage])).toEqual([
      [6, 2],
      [4, 0],
    ]);
    // The same growth and count: by label.
    const byLabel = findTopics([...inWeek(TWO_FACTOR, 4), ...inWeek(IPAD, 4)], options);
    expect(byLabel.map((t) => t.label)).toEqual(['ipad・横向き・画面', '認証コード届・二段階認証・sms']);
  });

  it('labels a Latin topic with spaces between its words', () => {
    const csv = [
      'Export to CSV fails with an encoding error',
      'CSV export fails: encoding error again',
      'The CSV export shows an encoding error',
      'Encoding error on CSV export',
    ];
    expect(findTopics(inWeek(csv, 4), options).map((t) => t.label)).toEqual(['csv encoding error export']);
  });

  it('leaves digits and stop words out of the label', () => {
    const texts = ['iPad 2 ok 123 screen rotation broken', 'ipad screen rotation broken 456 ok'];
    expect(findTopics(inWeek(texts, 4), options).map((t) => t.label)).toEqual(['broken ipad rotation']);
  });

  it('shortens examples to one line of 60 code points, never half an emoji', () => {
    const sixty = `${TWO_FACTOR[0]}${'。'.repeat(60 - codePoints(TWO_FACTOR[0]!))}`;
    const longer = `${TWO_FACTOR[1]}${'。'.repeat(58 - codePoints(TWO_FACTOR[1]!))}😀😀😀`;
    const [topic] = findTopics(inWeek([sixty, longer, TWO_FACTOR[2]!, TWO_FACTOR[3]!], 4), options);
    expect(topic!.examples[0]).toBe(sixty);
    expect(topic!.examples[1]).toBe(`${[...longer].slice(0, 59).join('')}…`);
    expect(topic!.examples[1]!.endsWith('。😀…')).toBe(true);
    const spaced = findTopics(inWeek(['  二段階認証の\n\nコードが   届かない  ', ...TWO_FACTOR.slice(1)], 4), options);
    expect(spaced[0]!.examples[0]).toBe('二段階認証の コードが 届かない');
  });

  it('hides a topic when at least half of its week says the name of a reason the team added', () => {
    const sms: Reason = { id: 'sms', label: { ja: 'SMS', en: 'SMS' }, keywords: [], patterns: [] };
    // One of four says "SMS": shown. Two of four: hidden.
    expect(findTopics(inWeek(TWO_FACTOR, 4), withReason(sms))).toHaveLength(1);
    const twoSay = [TWO_FACTOR[0]!, TWO_FACTOR[1]!, TWO_FACTOR[1]!, TWO_FACTOR[3]!];
    expect(findTopics(inWeek(twoSay, 4), withReason(sms))).toEqual([]);
  });

  it('does not take a one-character label for a name every inquiry says', () => {
    const one: Reason = { id: 'one', label: { ja: '届', en: '届' }, keywords: [], patterns: [] };
    expect(findTopics(inWeek(TWO_FACTOR, 4), withReason(one))).toHaveLength(1);
  });

  it('ignores the default reasons’ labels: only what the team added hides a topic', () => {
    const relabelled = DEFAULT_REASONS.map((r) =>
      r.id === 'other' ? { ...r, label: { ja: '二段階認証', en: 'x' } } : r,
    );
    expect(findTopics(inWeek(TWO_FACTOR, 4), { ...options, reasons: relabelled })).toHaveLength(1);
  });
});
