import { describe, expect, it } from 'vitest';
import { buildDigest, nearestRank, phaseOf, type BuildOptions } from '../../../src/core/digests/build-digest.ts';
import type { DigestRows, ReceivedRow } from '../../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';

const TZ = 'Asia/Tokyo';
const MIN = 60_000;
const day = digestPeriod('day', '2026-11-20', TZ);
const T0 = day.startMs; // 2026-11-20 00:00 JST

function options(period = day, nowMs = day.endMs + 30 * MIN): BuildOptions {
  return {
    name: 'daily',
    period,
    reasons: DEFAULT_REASONS,
    locale: 'en',
    sla: { firstResponseMinutes: 120, resolutionHours: 72 },
    nowMs,
    reinquiryCohort: reinquiryCohort(period),
  };
}

function emptyRows(period = day): DigestRows {
  return {
    dailyTallies: tallyDates(period).map((date) => ({ date, rows: [] })),
    received: [],
    backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
    reinquiry: { customers: 0, returned: 0 },
    participation: [],
    voices: [],
  };
}

describe('the reason tally of a daily digest', () => {
  // 11-13 … 11-19 are the baseline (billing 1…7 a day, how_to 14 on 11-13 only); 11-20 is the day.
  const rows = emptyRows();
  rows.dailyTallies.forEach((d, i) => {
    if (i < 7) d.rows.push({ reasonId: 'billing', count: i + 1 });
  });
  rows.dailyTallies[0]!.rows.push({ reasonId: 'how_to', count: 14 });
  rows.dailyTallies[7]!.rows.push(
    { reasonId: 'billing', count: 10 },
    { reasonId: 'bug', count: 3 },
    { reasonId: null, count: 2 },
  );
  const digest = buildDigest(rows, options());

  it('counts the day and compares it with the day before and the 7-day average', () => {
    expect(digest.total).toBe(15);
    expect(digest.previousTotal).toBe(7);
    expect(digest.baselineAverageTotal).toBe(6); // (15 + 2 + 3 + 4 + 5 + 6 + 7) / 7
  });

  it('sorts reasons by count and gives each its changes', () => {
    expect(
      digest.reasons.map((r) => [r.id, r.count, r.previous, r.change, r.baselineAverage, r.changeVsBaseline]),
    ).toEqual([
      ['billing', 10, 7, 3, 4, 6],
      ['bug', 3, 0, 3, 0, 3],
      ['how_to', 0, 0, 0, 2, -2], // seen only in the baseline: shown, so the drop is visible
    ]);
    expect(digest.reasons[0]!.share).toBeCloseTo(10 / 15);
    expect(digest.reasons[0]!.label).toBe('Billing');
    expect(digest.reasons[0]!.trend).toBeUndefined();
  });

  it('keeps unclassified apart from the reasons', () => {
    expect(digest.unclassified).toMatchObject({
      id: null,
      label: 'Unclassified',
      count: 2,
      previous: 0,
      baselineAverage: 0,
    });
    expect(digest.reasons.some((r) => r.id === null)).toBe(false);
  });
});

describe('first response, SLA and resolution', () => {
  // Target 120 min; the digest is built at 00:30 the next day.
  const received: ReceivedRow[] = [
    { id: 1, reasonId: 'bug', receivedAt: T0, firstResponseAt: T0 + 30 * MIN, resolvedAt: T0 + 40 * MIN },
    { id: 2, reasonId: 'bug', receivedAt: T0, firstResponseAt: T0 + 60 * MIN, resolvedAt: null },
    { id: 3, reasonId: 'billing', receivedAt: T0, firstResponseAt: T0 + 150 * MIN, resolvedAt: null }, // late
    { id: 4, reasonId: null, receivedAt: T0, firstResponseAt: T0 + 10 * MIN, resolvedAt: null },
    { id: 5, reasonId: 'how_to', receivedAt: T0 + 20 * 60 * MIN, firstResponseAt: null, resolvedAt: null }, // waited 270 min
    { id: 6, reasonId: 'billing', receivedAt: T0, firstResponseAt: null, resolvedAt: T0 + 100 * MIN }, // resolved in time, no reply
    { id: 7, reasonId: 'billing', receivedAt: T0, firstResponseAt: null, resolvedAt: T0 + 200 * MIN }, // resolved late, no reply
    { id: 8, reasonId: 'how_to', receivedAt: T0 + (23 * 60 + 50) * MIN, firstResponseAt: null, resolvedAt: null }, // waited 40 min
  ];
  const rows = { ...emptyRows(), received };
  const digest = buildDigest(rows, options());

  it('takes nearest-rank median and p90 of reply times, in minutes', () => {
    // Replies: 10, 30, 60, 150 → median at rank ⌈0.5·4⌉ = 2, p90 at rank ⌈0.9·4⌉ = 4.
    expect(digest.firstResponse).toEqual({
      targetMinutes: 120,
      responded: 4,
      awaiting: 2,
      medianMinutes: 30,
      p90Minutes: 150,
      withinTarget: 4, // 1, 2, 4 and 6
      withinTargetRate: 0.5,
    });
  });

  it('counts late replies and inquiries still unanswered past the target as breaches, worst first', () => {
    expect(digest.sla).toMatchObject({ breaches: 3, late: 2, unanswered: 1 });
    expect(digest.sla.worst.map((b) => [b.inquiryId, b.waitedMinutes, b.responded])).toEqual([
      [5, 270, false],
      [7, 200, true],
      [3, 150, true],
    ]);
  });

  it('measures resolution over the inquiries received in the period', () => {
    expect(digest.resolution).toEqual({ received: 8, resolved: 3, rate: 0.375 });
  });

  it('finds the lower middle as the median of an even count', () => {
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(nearestRank([5], 0.9)).toBe(5);
    expect(nearestRank([], 0.5)).toBeNull();
    expect(
      nearestRank(
        Array.from({ length: 10 }, (_, i) => i + 1),
        0.9,
      ),
    ).toBe(9);
  });
});

describe('backlog, re-inquiries, participation and voices', () => {
  const nowMs = day.endMs + 9 * 60 * MIN; // 09:00 the next morning
  const rows: DigestRows = {
    ...emptyRows(),
    backlog: {
      unresolved: 5,
      unclaimed: 3,
      claimed: 2,
      overdue: 1,
      oldestUnclaimed: { inquiryId: 99, receivedAt: nowMs - 125 * MIN },
    },
    reinquiry: { customers: 4, returned: 1 },
    participation: [
      { id: 'slack:A', name: 'Aiko', reactions: 2, claims: 1, replies: 3 },
      { id: 'slack:B', name: 'Ben', reactions: 5, claims: 0, replies: 1 },
      { id: 'slack:C', name: 'Chie', reactions: 1, claims: 0, replies: 0 },
      { id: 'slack:D', name: 'Dan', reactions: 0, claims: 2, replies: 0 },
      { id: 'slack:E', name: null, reactions: 0, claims: 0, replies: 3 },
      { id: 'slack:F', name: 'Fumi', reactions: 4, claims: 0, replies: 0 },
      { id: 'slack:G', name: 'Gin', reactions: 0, claims: 0, replies: 0 },
    ],
    voices: [
      {
        inquiryId: 7,
        reasonId: 'bug',
        subject: null,
        bodyStart: `${'x'.repeat(200)}\nsecond line`,
        url: null,
        reactions: 4,
        mirrors: [],
      },
      {
        inquiryId: 8,
        reasonId: 'feature_request',
        subject: 'Dark mode',
        bodyStart: 'please',
        url: 'https://example.com/8',
        reactions: 2,
        mirrors: [],
      },
    ],
  };
  const digest = buildDigest(rows, options(day, nowMs));

  it('reports the backlog as of build time, with the oldest unclaimed age', () => {
    expect(digest.backlog).toEqual({
      asOf: nowMs,
      unresolved: 5,
      unclaimed: 3,
      claimed: 2,
      overdue: 1,
      resolutionHours: 72,
      oldestUnclaimed: { inquiryId: 99, receivedAt: nowMs - 125 * MIN, ageMinutes: 125 },
    });
  });

  it('turns the re-inquiry cohort into a rate', () => {
    expect(digest.reinquiry).toMatchObject({ windowDays: 7, customers: 4, returned: 1, rate: 0.25 });
    // The cohort is 11-07 … 11-13 JST: it ends 7 days before the period ends.
    expect(digest.reinquiry.cohortStartMs).toBe(Date.parse('2026-11-06T15:00:00Z'));
    expect(digest.reinquiry.cohortEndMs).toBe(Date.parse('2026-11-13T15:00:00Z'));
  });

  it('counts everyone who did something and lists the top five, most active first', () => {
    expect(digest.participation.people).toBe(6); // Gin did nothing
    expect(digest.participation.top.map((p) => [p.id, p.total])).toEqual([
      ['slack:A', 6], // ties with Ben, but wrote more replies
      ['slack:B', 6],
      ['slack:F', 4],
      ['slack:E', 3],
      ['slack:D', 2],
    ]);
  });

  it('titles voices by subject or first body line, cut to 140 characters', () => {
    expect(digest.voices[0]!.title).toBe(`${'x'.repeat(139)}…`);
    expect(digest.voices[1]).toMatchObject({
      title: 'Dark mode',
      label: 'Feature request',
      url: 'https://example.com/8',
      reactions: 2,
    });
  });
});

describe('a weekly digest', () => {
  const week = digestPeriod('week', '2026-11-19', TZ); // a Thursday: the week is Mon 11-16 … Sun 11-22
  const rows = emptyRows(week);
  const bugThisWeek = [1, 2, 0, 0, 5, 0, 0];
  rows.dailyTallies.forEach((d, i) => {
    if (i >= 21 && i < 28) d.rows.push({ reasonId: 'bug', count: 2 }); // the week before: 14
    if (i >= 28 && bugThisWeek[i - 28]) d.rows.push({ reasonId: 'bug', count: bugThisWeek[i - 28]! });
  });
  const digest = buildDigest(rows, options(week, week.endMs));

  it('covers Monday to Sunday and adds a 7-day trend per reason', () => {
    expect([week.start, week.end, rows.dailyTallies.length]).toEqual(['2026-11-16', '2026-11-22', 35]);
    expect(digest.reasons).toHaveLength(1);
    expect(digest.reasons[0]).toMatchObject({
      id: 'bug',
      count: 8,
      previous: 14,
      change: -6,
      baselineAverage: 3.5,
      changeVsBaseline: 4.5,
    });
    expect(digest.reasons[0]!.trend).toEqual(bugThisWeek);
  });

  it('notes the phase from the average per day', () => {
    expect(digest.phase).toEqual({ averagePerDay: 1.1, stage: 'everyone', everyoneBelow: 30, dedicatedAbove: 100 });
    expect(phaseOf(29.9).stage).toBe('everyone');
    expect(phaseOf(30).stage).toBe('transition');
    expect(phaseOf(100).stage).toBe('transition');
    expect(phaseOf(100.1).stage).toBe('dedicated');
  });

  it('has no phase note on a daily digest', () => {
    expect(buildDigest(emptyRows(), options()).phase).toBeNull();
  });
});

describe('an empty day', () => {
  it('has zeros, and no rate or percentile where there was nothing to measure', () => {
    const digest = buildDigest(emptyRows(), options());
    expect(digest).toMatchObject({ total: 0, previousTotal: 0, baselineAverageTotal: 0, reasons: [] });
    expect(digest.unclassified).toMatchObject({ count: 0, share: null });
    expect(digest.firstResponse).toMatchObject({ medianMinutes: null, p90Minutes: null, withinTargetRate: null });
    expect(digest.resolution.rate).toBeNull();
    expect(digest.reinquiry.rate).toBeNull();
    expect(digest.sla.breaches).toBe(0);
    expect(JSON.parse(JSON.stringify(digest))).toEqual(digest); // it travels as JSON
  });

  it('refuses rows that do not cover the baseline', () => {
    const rows = emptyRows();
    rows.dailyTallies.pop();
    expect(() => buildDigest(rows, options())).toThrow(/expected 8 daily tallies/);
  });
});
