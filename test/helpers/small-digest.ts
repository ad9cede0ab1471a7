import { buildDigest } from '../../src/core/digests/build-digest.ts';
import type { DigestRows } from '../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../src/core/digests/periods.ts';
import type { Digest } from '../../src/core/digests/types.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../src/core/sla/policy.ts';
import { roundTheClock, testSlaSettings } from './sla.ts';

/**
 * A small weekly digest whose every section has something in it (a renderer's whole output can be
 * read by eye): billing 1…7 a day and a bug a day in the week of 2026-11-16, 2 unclassified on
 * Sunday, two received inquiries (one breached twice), two participants, one voice, one topic.
 * `voiceSubject` is the voice's subject: markup for the chat renderers to escape by default, a tab
 * for the console's.
 */
export function smallWeeklyDigest(options: { voiceSubject?: string } = {}): Digest {
  const H = 3_600_000;
  const TZ = 'Asia/Tokyo';
  const week = digestPeriod('week', '2026-11-20', TZ);
  const T0 = week.startMs;
  const rows: DigestRows = {
    dailyTallies: tallyDates(week).map((date, i) => ({
      date,
      rows:
        i >= 28
          ? [
              { reasonId: 'billing', count: i - 27 },
              { reasonId: 'bug', count: 1 },
              ...(i === 34 ? [{ reasonId: null, count: 2 }] : []),
            ]
          : i >= 21
            ? [{ reasonId: 'billing', count: 1 }]
            : [],
    })),
    received: [
      {
        id: 1,
        reasonId: 'billing',
        receivedAt: T0,
        firstResponseAt: T0 + H,
        resolvedAt: T0 + 2 * H,
        assigneeId: null,
        assigneeName: null,
      },
      {
        id: 2,
        reasonId: 'bug',
        receivedAt: T0,
        firstResponseAt: T0 + 5 * H,
        resolvedAt: null,
        assigneeId: 'slack:U1',
        assigneeName: 'Aiko',
      },
    ],
    backlog: { unresolved: 3, unclaimed: 2, claimed: 1, overdue: 1, oldestUnclaimed: { inquiryId: 2, receivedAt: T0 } },
    reinquiry: { customers: 4, returned: 1 },
    participation: [
      { id: 'slack:U1', name: 'Aiko', reactions: 1, claims: 1, replies: 2 },
      { id: 'api:bot', name: null, reactions: 0, claims: 0, replies: 1 },
    ],
    voices: [
      {
        inquiryId: 2,
        reasonId: 'bug',
        subject: options.voiceSubject ?? 'Export *broken*',
        bodyStart: 'b',
        url: 'https://help.example.com/2',
        reactions: 3,
        mirrors: [{ platform: 'slack', channel: 'C1', messageRef: '1.2' }],
      },
    ],
    unnamed: [],
  };
  const digest = buildDigest(rows, {
    name: 'weekly',
    period: week,
    reasons: DEFAULT_REASONS,
    locale: 'en',
    sla: createSlaPolicy(
      testSlaSettings({
        calendar: roundTheClock(TZ),
        firstResponse: { unit: 'h', amount: 2 },
        resolution: { unit: 'h', amount: 72 },
      }),
    ),
    nowMs: week.endMs + 9 * H,
    reinquiryCohort: reinquiryCohort(week),
  });
  digest.topics = [
    {
      label: '二段階認証・コード',
      count: 5,
      previousWeeklyAverage: 0.5,
      examples: ['コードが届かない', 'SMSが来ない'],
    },
  ];
  return digest;
}

/**
 * A small daily digest of the edges: 22 reasons with inquiries today (two more than Discord draws),
 * one only yesterday, one (a team's, "Custom") the reader's taxonomy lacks, unclassified only
 * yesterday, and no voices.
 */
export function smallDailyDigest(): Digest {
  const TZ = 'Asia/Tokyo';
  const day = digestPeriod('day', '2026-11-20', TZ);
  const extra = Array.from({ length: 21 }, (_, i) => ({
    id: `r${String(i).padStart(2, '0')}`,
    label: { ja: `理由${i}`, en: `Reason ${i}` },
    keywords: [],
    patterns: [],
  }));
  const custom = { id: 'custom', label: { ja: 'カスタム', en: 'Custom' }, keywords: [], patterns: [] };
  const rows: DigestRows = {
    dailyTallies: tallyDates(day).map((date, i) => ({
      date,
      rows:
        i === 7
          ? [...extra.map((r, k) => ({ reasonId: r.id, count: k + 1 })), { reasonId: 'custom', count: 2 }]
          : i === 6
            ? [
                { reasonId: 'billing', count: 3 },
                { reasonId: null, count: 1 },
              ]
            : [],
    })),
    received: [],
    backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
    reinquiry: { customers: 0, returned: 0 },
    participation: [],
    voices: [],
  };
  return buildDigest(rows, {
    name: 'daily',
    period: day,
    reasons: [...DEFAULT_REASONS, ...extra, custom],
    locale: 'en',
    sla: createSlaPolicy(testSlaSettings({ calendar: roundTheClock(TZ) })),
    nowMs: day.endMs + 3_600_000,
    reinquiryCohort: reinquiryCohort(day),
  });
}
