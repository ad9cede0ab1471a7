import { beforeEach, describe, expect, it } from 'vitest';
import { buildDigest, nearestRank, phaseOf, type BuildOptions } from '../../../src/core/digests/build-digest.ts';
import type { DigestRows, ReceivedRow } from '../../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';
import type { Digest } from '../../../src/core/digests/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../../src/core/sla/policy.ts';
import { roundTheClock, testSlaSettings, tokyo } from '../../helpers/sla.ts';

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
    // Open around the clock, so business time is wall-clock time and the numbers can be worked by hand.
    sla: createSlaPolicy(
      testSlaSettings({
        calendar: roundTheClock(),
        firstResponse: { unit: 'h', amount: 2 },
        resolution: { unit: 'h', amount: 72 },
      }),
    ),
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
  // Built before each test, not as the file loads, so a mutant it reaches is seen by the tests that read it.
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest(rows, options());
  });

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

const nobody = { assigneeId: null, assigneeName: null };

describe('first response, SLA and resolution', () => {
  // Target 120 min; the digest is built at 00:30 the next day.
  const received: ReceivedRow[] = [
    { id: 1, reasonId: 'bug', receivedAt: T0, firstResponseAt: T0 + 30 * MIN, resolvedAt: T0 + 40 * MIN, ...nobody },
    { id: 2, reasonId: 'bug', receivedAt: T0, firstResponseAt: T0 + 60 * MIN, resolvedAt: null, ...nobody },
    { id: 3, reasonId: 'billing', receivedAt: T0, firstResponseAt: T0 + 150 * MIN, resolvedAt: null, ...nobody }, // late
    { id: 4, reasonId: null, receivedAt: T0, firstResponseAt: T0 + 10 * MIN, resolvedAt: null, ...nobody },
    { id: 5, reasonId: 'how_to', receivedAt: T0 + 20 * 60 * MIN, firstResponseAt: null, resolvedAt: null, ...nobody }, // waited 270 min
    { id: 6, reasonId: 'billing', receivedAt: T0, firstResponseAt: null, resolvedAt: T0 + 100 * MIN, ...nobody }, // resolved in time, no reply
    { id: 7, reasonId: 'billing', receivedAt: T0, firstResponseAt: null, resolvedAt: T0 + 200 * MIN, ...nobody }, // resolved late, no reply
    {
      id: 8,
      reasonId: 'how_to',
      receivedAt: T0 + (23 * 60 + 50) * MIN,
      firstResponseAt: null,
      resolvedAt: null,
      ...nobody,
    }, // waited 40 min
  ];
  const rows = { ...emptyRows(), received };
  // Built before each test, not as the file loads, so a mutant it reaches is seen by the tests that read it.
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest(rows, options());
  });

  it('takes nearest-rank median and p90 of reply times, in minutes', () => {
    // Replies: 10, 30, 60, 150 → median at rank ⌈0.5·4⌉ = 2, p90 at rank ⌈0.9·4⌉ = 4.
    expect(digest.firstResponse).toEqual({
      target: '2h',
      done: 4,
      waiting: 2,
      medianMinutes: 30,
      p90Minutes: 150,
      businessMedianMinutes: 30, // open around the clock: the same
      businessP90Minutes: 150,
      withinTarget: 4, // 1, 2, 4 and 6
      withinTargetRate: 4 / 7, // #8 has waited 40 of its 120 minutes: neither met nor missed yet
    });
  });

  it('leaves inquiries still inside their target out of the share: nine fresh and one answered in time is 100%, not 10%', () => {
    const fresh: ReceivedRow[] = Array.from({ length: 10 }, (_, i) => ({
      id: i + 1,
      reasonId: 'bug',
      receivedAt: T0 + 24 * 60 * MIN - 30 * MIN, // half an hour before the digest is built
      firstResponseAt: i === 0 ? T0 + 24 * 60 * MIN - 20 * MIN : null,
      resolvedAt: null,
      ...nobody,
    }));
    const d = buildDigest({ ...emptyRows(), received: fresh }, options());
    expect(d.sla.breaches).toBe(0);
    expect(d.firstResponse).toMatchObject({ withinTarget: 1, waiting: 9, withinTargetRate: 1 });
    expect(d.resolutionTime).toMatchObject({ withinTarget: 0, waiting: 10, withinTargetRate: null });
  });

  it('counts late replies and inquiries still unanswered past the target as breaches, worst first', () => {
    expect(digest.sla).toMatchObject({ breaches: 3, late: 2, unanswered: 1, resolvedLate: 0, unresolved: 0 });
    // Minutes past the due time: 270 − 120, 200 − 120, 150 − 120.
    expect(digest.sla.worst.map((b) => [b.inquiryId, b.kind, b.overMinutes, b.done])).toEqual([
      [5, 'first_response', 150, false],
      [7, 'first_response', 80, true],
      [3, 'first_response', 30, true],
    ]);
  });

  it('measures resolution over the inquiries received in the period', () => {
    expect(digest.resolution).toEqual({ received: 8, resolved: 3, rate: 0.375 });
    // Resolved after 40, 100 and 200 minutes, all within 72h.
    expect(digest.resolutionTime).toMatchObject({
      target: '72h',
      done: 3,
      waiting: 5,
      medianMinutes: 100,
      withinTarget: 3,
    });
    expect(digest.reasonSla).toBeNull(); // a daily digest
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

describe('first response and resolution in business time (weekly)', () => {
  // Mon 2026-11-16 … Sun 11-22; built Mon 11-23 09:00, 勤労感謝の日. Weekdays 09:00-18:00, 2h and 2d,
  // bug 1h to a first response.
  const week = digestPeriod('week', '2026-11-20', TZ);
  const at = (text: string) => tokyo(text);
  const received: ReceivedRow[] = [
    // Fri 17:30, replied 18:30: an hour on the wall, 30 business minutes, within 2h.
    {
      id: 1,
      reasonId: 'how_to',
      receivedAt: at('2026-11-20 17:30'),
      firstResponseAt: at('2026-11-20 18:30'),
      resolvedAt: null,
      ...nobody,
    },
    // A bug at Wed 10:00, replied 11:30 (late for 1h), resolved Thu 10:00 (within 2d).
    {
      id: 2,
      reasonId: 'bug',
      receivedAt: at('2026-11-18 10:00'),
      firstResponseAt: at('2026-11-18 11:30'),
      resolvedAt: at('2026-11-19 10:00'),
      assigneeId: 'slack:UA',
      assigneeName: 'Aiko',
    },
    // Mon 09:00, never answered: due 11:00 Mon, resolution due Tue 18:00 (close of the 2nd day).
    {
      id: 3,
      reasonId: 'billing',
      receivedAt: at('2026-11-16 09:00'),
      firstResponseAt: null,
      resolvedAt: null,
      assigneeId: 'slack:UB',
      assigneeName: 'Ben',
    },
    // Saturday: counts from Tue 09:00 (Monday is a holiday), so not late yet.
    { id: 4, reasonId: 'bug', receivedAt: at('2026-11-21 10:00'), firstResponseAt: null, resolvedAt: null, ...nobody },
  ];
  const policy = createSlaPolicy(testSlaSettings({ byReason: { bug: { firstResponse: { unit: 'h', amount: 1 } } } }));
  // Built before each test, not as the file loads, so a mutant it reaches is seen by the tests that read it.
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest({ ...emptyRows(week), received }, { ...options(week, at('2026-11-23 09:00')), sla: policy });
  });

  it('gives wall-clock and business percentiles side by side, each inquiry held to its own target', () => {
    expect(digest.firstResponse).toEqual({
      target: '2h',
      done: 2,
      waiting: 2,
      medianMinutes: 60,
      p90Minutes: 90,
      businessMedianMinutes: 30,
      businessP90Minutes: 90,
      withinTarget: 1,
      withinTargetRate: 1 / 3, // #4 (Saturday) is not due until Tuesday
    });
    expect(digest.resolutionTime).toMatchObject({
      target: '2d',
      done: 1,
      medianMinutes: 24 * 60,
      businessMedianMinutes: 9 * 60, // Wed 10:00-18:00, Thu 09:00-10:00
      withinTarget: 1,
    });
  });

  it('lists breaches furthest past due first, in business minutes, with who holds them', () => {
    expect(digest.sla).toMatchObject({ breaches: 2, late: 1, unanswered: 1, resolvedLate: 0, unresolved: 1 });
    expect(digest.sla.worst.map((b) => [b.inquiryId, b.kind, b.overMinutes, b.done, b.owner?.name])).toEqual([
      [3, 'first_response', (7 + 4 * 9) * 60, false, 'Ben'], // Mon 11:00 → now: 7h, then Tue–Fri
      [3, 'resolution', 3 * 9 * 60, false, 'Ben'], // Tue 18:00 → now: Wed–Fri
      [2, 'first_response', 30, true, 'Aiko'],
    ]);
    expect(digest.sla.worst[0]!.dueAt).toBe(at('2026-11-16 11:00'));
    expect(digest.sla.worst[1]!.dueAt).toBe(at('2026-11-17 18:00'));
  });

  it('gives the weekly share within target per reason', () => {
    expect(digest.reasonSla?.map((r) => [r.id, r.received, r.firstResponseRate, r.resolutionRate])).toEqual([
      ['bug', 2, 0, 1], // #4 is inside both targets: out of both shares
      ['billing', 1, 0, 0],
      ['how_to', 1, 1, null], // resolution not due until Tuesday
    ]);
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
  // Built before each test, not as the file loads, so a mutant it reaches is seen by the tests that read it.
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest(rows, options(day, nowMs));
  });

  it('reports the backlog as of build time, with the oldest unclaimed age', () => {
    expect(digest.backlog).toEqual({
      asOf: nowMs,
      unresolved: 5,
      unclaimed: 3,
      claimed: 2,
      overdue: 1,
      resolutionTarget: '72h',
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
  // Built before each test, not as the file loads, so a mutant it reaches is seen by the tests that read it.
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest(rows, options(week, week.endMs));
  });

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
