import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/core/digests/build-digest.ts';
import type { ReceivedRow } from '../../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';
import { findTopics, type TopicInquiry } from '../../../src/core/digests/topics.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../../src/core/sla/policy.ts';
import { roundTheClock, testSlaSettings } from '../../helpers/sla.ts';

/** Orders that must not depend on the order rows arrive in: topics' inquiries and their ranking, per-reason SLA lines. */

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
const CSV = [
  'Export to CSV fails with an encoding error',
  'CSV export fails: encoding error again',
  'The CSV export shows an encoding error',
  'Encoding error on CSV export',
];
function inWeek(texts: readonly string[], count: number, week = 0): TopicInquiry[] {
  return Array.from({ length: count }, (_, i) => ({
    receivedAt: START + week * WEEK_MS + i * HOUR,
    text: texts[i % texts.length]!,
  }));
}

describe('topics, whatever order the inquiries come in', () => {
  it('takes the oldest two as examples', () => {
    const examples = findTopics(inWeek(TWO_FACTOR, 4).reverse(), options).map((t) => t.examples);
    expect(examples).toEqual([[TWO_FACTOR[0], TWO_FACTOR[1]]]);
  });

  it('orders inquiries of the same instant by their text', () => {
    const same = [...TWO_FACTOR].reverse().map((text) => ({ receivedAt: START + HOUR, text }));
    expect(findTopics(same, options)[0]!.examples).toEqual([TWO_FACTOR[2], TWO_FACTOR[1]]);
  });

  it('ranks by growth before count: 5 new (growth 5) before 6 against 2 a week (growth 4)', () => {
    const topics = findTopics([...inWeek(TWO_FACTOR, 6), ...inWeek(TWO_FACTOR, 8, -1), ...inWeek(IPAD, 5)], options);
    expect(topics.map((t) => [t.count, t.previousWeeklyAverage])).toEqual([
      [5, 0],
      [6, 2],
    ]);
  });

  it('ranks three topics alike in growth and count by label, whichever comes first', () => {
    const labels = ['csv encoding error export', 'ipad・横向き・画面', '認証コード届・二段階認証・sms'];
    const a = [...inWeek(TWO_FACTOR, 4), ...inWeek(IPAD, 4), ...inWeek(CSV, 4)];
    const b = [...inWeek(CSV, 4), ...inWeek(IPAD, 4), ...inWeek(TWO_FACTOR, 4)];
    expect(findTopics(a, options).map((t) => t.label)).toEqual(labels);
    expect(findTopics(b, options).map((t) => t.label)).toEqual(labels);
  });

  it('ranks by label even when the topics formed in another order', () => {
    const later = (texts: readonly string[], from: number) =>
      inWeek(texts, 4).map((q) => ({ ...q, receivedAt: q.receivedAt + from * HOUR }));
    const topics = findTopics([...later(TWO_FACTOR, 0), ...later(IPAD, 10), ...later(CSV, 20)], options);
    expect(topics.map((t) => t.label)).toEqual([
      'csv encoding error export',
      'ipad・横向き・画面',
      '認証コード届・二段階認証・sms',
    ]);
  });

  it('ranks equal growth by count even when the smaller topic formed first', () => {
    // iPad: 4 five weeks back (1 a week), 5 now: growth 4. Two-factor: 8 last week (2 a week), 6 now: growth 4.
    const weekLater = inWeek(TWO_FACTOR, 6).map((q) => ({ ...q, receivedAt: q.receivedAt + 10 * HOUR }));
    const topics = findTopics(
      [...inWeek(IPAD, 4, -4), ...inWeek(IPAD, 5), ...inWeek(TWO_FACTOR, 8, -1), ...weekLater],
      options,
    );
    expect(topics.map((t) => [t.count, t.previousWeeklyAverage])).toEqual([
      [6, 2],
      [5, 1],
    ]);
  });

  it('leaves out what a team reason’s keywords recognise, even when no inquiry says its label', () => {
    const twoFa: Reason = { id: 'two_fa', label: { ja: '2FA', en: '2FA' }, keywords: ['二段階認証'], patterns: [] };
    expect(findTopics(inWeek(TWO_FACTOR, 4), { ...options, reasons: [...DEFAULT_REASONS, twoFa] })).toEqual([]);
  });
});

describe('per-reason SLA lines', () => {
  const week = digestPeriod('week', '2026-11-20', 'Asia/Tokyo');
  const T0 = week.startMs;
  const build = (received: ReceivedRow[], nowMs = week.endMs) =>
    buildDigest(
      {
        dailyTallies: tallyDates(week).map((date) => ({ date, rows: [] })),
        received,
        backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
        reinquiry: { customers: 0, returned: 0 },
        participation: [],
        voices: [],
        unnamed: [],
      },
      {
        name: 'weekly',
        period: week,
        reasons: DEFAULT_REASONS,
        locale: 'en',
        sla: createSlaPolicy(
          testSlaSettings({
            calendar: roundTheClock(),
            firstResponse: { unit: 'h', amount: 2 },
            resolution: { unit: 'h', amount: 72 },
          }),
        ),
        nowMs,
        reinquiryCohort: reinquiryCohort(week),
      },
    ).reasonSla;
  const row = (id: number, reasonId: string | null, over: Partial<ReceivedRow> = {}): ReceivedRow => ({
    id,
    reasonId,
    receivedAt: T0,
    firstResponseAt: T0 + HOUR,
    resolvedAt: null,
    assigneeId: null,
    assigneeName: null,
    ...over,
  });

  it('orders equal counts by reason id, unclassified last, whatever order they arrived in', () => {
    const lines = build([row(1, 'bug'), row(2, 'account'), row(3, 'billing'), row(4, null)]);
    expect(lines?.map((l) => l.id)).toEqual(['account', 'billing', 'bug', null]);
  });

  it('counts a resolution in time as met and a late one as missed', () => {
    const lines = build([row(1, 'bug', { resolvedAt: T0 + 2 * HOUR }), row(2, 'bug', { resolvedAt: T0 + 80 * HOUR })]);
    expect(lines).toEqual([
      { id: 'bug', label: 'Bug / outage', received: 2, firstResponseRate: 1, resolutionRate: 1 / 2 },
    ]);
  });
});
