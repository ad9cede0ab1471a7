import { describe, expect, it } from 'vitest';
import { type BuildOptions, buildDigest } from '../../../src/core/digests/build-digest.ts';
import type { DigestRows, ReceivedRow, VoiceRow } from '../../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';
import type { DigestPeriod } from '../../../src/core/digests/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../../src/core/sla/policy.ts';
import { roundTheClock, testSlaSettings } from '../../helpers/sla.ts';

/**
 * The digest's orders and cut-offs, where ties and limits decide what a reader sees first (or at
 * all): reasons, participants, breaches and per-reason SLA lines in ties; five breaches, five
 * voices; a voice's title; weekly totals; and shares that leave out what is still inside its target.
 */

const TZ = 'Asia/Tokyo';
const MIN = 60_000;
const day = digestPeriod('day', '2026-11-20', TZ);
const week = digestPeriod('week', '2026-11-20', TZ); // Mon 11-16 … Sun 11-22
const T0 = day.startMs;
const nobody = { assigneeId: null, assigneeName: null };

function options(period: DigestPeriod = day, nowMs = period.endMs + 30 * MIN): BuildOptions {
  return {
    name: 'digest',
    period,
    reasons: DEFAULT_REASONS,
    locale: 'en',
    // Around the clock: business time is wall-clock time. First response 2h, resolution 72h.
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

function emptyRows(period: DigestPeriod = day): DigestRows {
  return {
    dailyTallies: tallyDates(period).map((date) => ({ date, rows: [] })),
    received: [],
    backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
    reinquiry: { customers: 0, returned: 0 },
    participation: [],
    voices: [],
  };
}

const row = (id: number, over: Partial<ReceivedRow>): ReceivedRow => ({
  id,
  reasonId: 'bug',
  receivedAt: T0,
  firstResponseAt: null,
  resolvedAt: null,
  ...nobody,
  ...over,
});

describe('the reasons of a digest in ties', () => {
  it('orders equal counts by the count before, then by the taxonomy, then unknown ids by name', () => {
    const rows = emptyRows();
    const [before, today] = [rows.dailyTallies[6]!.rows, rows.dailyTallies[7]!.rows];
    before.push({ reasonId: 'billing', count: 1 }, { reasonId: 'bug', count: 3 });
    today.push(
      { reasonId: 'zz_custom', count: 2 },
      { reasonId: 'aa_custom', count: 2 },
      { reasonId: 'account', count: 2 },
      { reasonId: 'how_to', count: 2 },
      { reasonId: 'billing', count: 2 },
      { reasonId: 'bug', count: 2 },
      { reasonId: 'pricing_plan', count: 0 },
    );
    const ids = buildDigest(rows, options()).reasons.map((r) => r.id);
    // bug and billing had 3 and 1 the day before; how_to comes before account in the taxonomy;
    // reasons the taxonomy lacks come last, by id. A reason with no inquiries anywhere is not listed.
    expect(ids).toEqual(['bug', 'billing', 'how_to', 'account', 'aa_custom', 'zz_custom']);
  });

  it('totals the week before and the 4-week baseline of a weekly digest by whole weeks', () => {
    const rows = emptyRows(week);
    // 35 days: 4 baseline weeks, then the week. One billing a day in the week before, two a day in the oldest.
    rows.dailyTallies.forEach((d, i) => {
      if (i < 7) d.rows.push({ reasonId: 'billing', count: 2 });
      else if (i >= 21 && i < 28) d.rows.push({ reasonId: 'billing', count: 1 });
      else if (i >= 28) d.rows.push({ reasonId: 'bug', count: i - 27 });
    });
    const digest = buildDigest({ ...rows, unnamed: [] }, options(week));
    expect(digest.total).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
    expect(digest.previousTotal).toBe(7);
    expect(digest.baselineAverageTotal).toBe(5.3); // (14 + 7) / 4, to one decimal
    expect(digest.reasons.find((r) => r.id === 'bug')?.trend).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('has no topics on a weekly digest whose rows carry no unnamed inquiries (queued before topics)', () => {
    expect(buildDigest(emptyRows(week), options(week)).topics).toEqual([]);
  });
});

describe('participants in ties', () => {
  it('puts more replies first among equal totals, then orders by name, or id when there is no name', () => {
    const rows = emptyRows();
    rows.participation = [
      { id: 'slack:Z', name: 'Aki', reactions: 2, claims: 0, replies: 0 },
      { id: 'slack:B', name: null, reactions: 2, claims: 0, replies: 0 },
      { id: 'slack:A', name: 'Yui', reactions: 1, claims: 0, replies: 1 },
      { id: 'slack:C', name: 'Mio', reactions: 0, claims: 2, replies: 0 },
    ];
    const top = buildDigest(rows, options()).participation.top.map((p) => p.name ?? p.id);
    expect(top).toEqual(['Yui', 'Aki', 'Mio', 'slack:B']);
  });
});

describe('voices', () => {
  const voice = (inquiryId: number, over: Partial<VoiceRow> = {}): VoiceRow => ({
    inquiryId,
    reasonId: 'bug',
    subject: null,
    bodyStart: 'body',
    url: null,
    reactions: 0,
    mirrors: [],
    ...over,
  });
  const titles = (voices: VoiceRow[]) => buildDigest({ ...emptyRows(), voices }, options()).voices.map((v) => v.title);

  it('lists five', () => {
    expect(titles([1, 2, 3, 4, 5, 6].map((id) => voice(id, { subject: `v${id}` })))).toEqual([
      'v1',
      'v2',
      'v3',
      'v4',
      'v5',
    ]);
  });

  it('titles a voice by its subject, else the first line of its body, trimmed', () => {
    expect(
      titles([
        voice(1, { subject: '  Dark mode  ' }),
        voice(2, { subject: '   ', bodyStart: 'first line  \nsecond' }),
        voice(3, { bodyStart: '\n  first line\nsecond' }),
        voice(4, { subject: '', bodyStart: '   ' }),
      ]),
    ).toEqual(['Dark mode', 'first line', 'first line', '']);
  });

  it('keeps a title of 140 code points whole and cuts one of 141 to 139 and an ellipsis', () => {
    const [whole, cut] = titles([voice(1, { subject: '😀'.repeat(140) }), voice(2, { subject: '😀'.repeat(141) })]);
    expect(whole).toBe('😀'.repeat(140));
    expect(cut).toBe(`${'😀'.repeat(139)}…`);
  });
});

describe('breaches and shares', () => {
  it('lists the five furthest past due, equal ones by inquiry', () => {
    const received = [
      // Four days old, unanswered and unresolved: past both targets, each its own breach.
      row(9, { receivedAt: T0 - 4 * 24 * 60 * MIN }),
      row(3, { receivedAt: T0, firstResponseAt: T0 + 3 * 60 * MIN }), // 60 min late
      row(2, { receivedAt: T0, firstResponseAt: T0 + 3 * 60 * MIN }), // 60 min late
      row(5, { receivedAt: T0, firstResponseAt: T0 + 4 * 60 * MIN }), // 120 min late
      row(6, { receivedAt: T0, firstResponseAt: T0 + 150 * MIN }), // 30 min late
      row(7, { receivedAt: T0, firstResponseAt: T0 + 130 * MIN }), // 10 min late
    ];
    const digest = buildDigest({ ...emptyRows(), received }, options());
    const worst = digest.sla.worst.map((b) => [b.inquiryId, b.kind]);
    expect(worst).toEqual([
      [9, 'first_response'],
      [9, 'resolution'],
      [5, 'first_response'],
      [2, 'first_response'],
      [3, 'first_response'],
    ]);
    expect(digest.sla.breaches).toBe(6);
  });

  it('orders per-reason lines by count, equal counts by id, unclassified last', () => {
    const received = [
      row(1, { reasonId: null }),
      row(2, { reasonId: 'bug' }),
      row(3, { reasonId: 'billing' }),
      row(4, { reasonId: 'how_to' }),
      row(5, { reasonId: 'how_to' }),
    ];
    const lines = buildDigest({ ...emptyRows(week), received, unnamed: [] }, options(week)).reasonSla;
    expect(lines?.map((r) => r.id)).toEqual(['how_to', 'billing', 'bug', null]);
  });

  it('counts a resolution without a reply within the first-response target only when it came in time', () => {
    // Resolved 3h after arrival with no reply: the first response (2h) was missed.
    const digest = buildDigest({ ...emptyRows(), received: [row(1, { resolvedAt: T0 + 3 * 60 * MIN })] }, options());
    expect(digest.firstResponse).toMatchObject({ done: 0, waiting: 0, withinTarget: 0, withinTargetRate: 0 });
  });

  it('counts an unresolved inquiry past its resolution target as a miss, and one inside it as neither', () => {
    const nowMs = T0 + 80 * 60 * MIN; // 80h after T0: a 72h resolution target has passed for what came then
    const received = [
      row(1, { firstResponseAt: T0 + 30 * MIN, resolvedAt: T0 + 60 * MIN }), // resolved in time
      row(2, { firstResponseAt: T0 + 30 * MIN }), // unresolved, 80h: missed
      row(3, { receivedAt: T0 + 20 * 60 * MIN, firstResponseAt: T0 + 20 * 60 * MIN + MIN }), // unresolved, 60h: inside
    ];
    const digest = buildDigest({ ...emptyRows(week), received, unnamed: [] }, options(week, nowMs));
    expect(digest.resolutionTime).toMatchObject({ done: 1, waiting: 2, withinTarget: 1, withinTargetRate: 1 / 2 });
    expect(digest.reasonSla).toEqual([
      { id: 'bug', label: 'Bug / outage', received: 3, firstResponseRate: 1, resolutionRate: 1 / 2 },
    ]);
  });

  it('leaves an inquiry still inside its first-response target out of its reason’s share', () => {
    const nowMs = T0 + 60 * MIN;
    const received = [
      row(1, { firstResponseAt: T0 + 30 * MIN }), // answered in time
      row(2, { receivedAt: T0 + 30 * MIN }), // waiting 30 of 120 minutes
      row(3, { receivedAt: T0 - 3 * 60 * MIN }), // waiting past its target: missed
    ];
    const digest = buildDigest({ ...emptyRows(week), received, unnamed: [] }, options(week, nowMs));
    expect(digest.reasonSla?.[0]).toMatchObject({ received: 3, firstResponseRate: 1 / 2 });
  });
});
