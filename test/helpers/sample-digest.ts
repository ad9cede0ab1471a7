// Real Digest models for renderer tests, built by the core from synthetic rows: a big one with
// 100 reasons and every list full (to push platform limits) and an empty one.
import { buildDigest } from '../../src/core/digests/build-digest.ts';
import type { DigestRows } from '../../src/core/digests/digest-source.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../src/core/digests/periods.ts';
import type { Digest, DigestPeriodKind } from '../../src/core/digests/types.ts';
import type { Locale, Reason } from '../../src/core/reasons/taxonomy.ts';
import { testSlaPolicy } from './sla.ts';

/** 100 reasons with labels at the longest a config allows in spirit (long, mixed ja/en, markup). */
export const HUNDRED_REASONS: Reason[] = Array.from({ length: 100 }, (_, i) => ({
  id: i === 0 ? 'bug' : i === 1 ? 'feature_request' : `reason_${i}`,
  label: {
    ja: `理由${i}：とても長い説明的なお問い合わせ理由のラベル *太字* <tag> & \`code\` ${'長'.repeat(40)}`,
    en: `Reason ${i}: a very long and descriptive contact reason label *bold* <tag> & \`code\` ${'x'.repeat(60)}`,
  },
  keywords: [],
  patterns: [],
}));

export function bigDigest(kind: DigestPeriodKind, locale: Locale, reasons: Reason[] = HUNDRED_REASONS): Digest {
  const period = digestPeriod(kind, '2026-11-20', 'Asia/Tokyo');
  const dates = tallyDates(period);
  const rows: DigestRows = {
    dailyTallies: dates.map((date, d) => ({
      date,
      rows: [
        ...reasons.map((r, i) => ({ reasonId: r.id, count: ((i * 7 + d * 3) % 97) + 1 })),
        { reasonId: null, count: 12 },
      ],
    })),
    received: Array.from({ length: 40 }, (_, i) => ({
      id: 10_000 + i,
      reasonId: reasons[i % reasons.length]!.id,
      receivedAt: period.startMs + i * 60_000,
      firstResponseAt: i % 3 === 0 ? null : period.startMs + i * 60_000 + i * 17 * 60_000,
      resolvedAt: i % 4 === 0 ? period.startMs + i * 90_000 : null,
      // Every other one held by someone with a long, hostile name, as the breaches list shows owners.
      assigneeId: i % 2 ? `slack:U${i}` : null,
      assigneeName: i % 2 ? `担当者${i} *bold* <@U1> ${'名'.repeat(30)}` : null,
    })),
    backlog: {
      unresolved: 123_456,
      unclaimed: 99_999,
      claimed: 23_457,
      overdue: 12_345,
      oldestUnclaimed: { inquiryId: 1, receivedAt: period.startMs - 90 * 86_400_000 },
    },
    reinquiry: { customers: 1234, returned: 56 },
    participation: Array.from({ length: 30 }, (_, i) => ({
      id: `slack:U${i}`,
      name: `${'とても長い名前の社員'.repeat(10)} ${i} *_~\``,
      reactions: i,
      claims: 30 - i,
      replies: i % 5,
    })),
    voices: Array.from({ length: 5 }, (_, i) => ({
      inquiryId: 500 + i,
      reasonId: i % 2 ? 'feature_request' : 'bug',
      subject: `${'件名がとても長い不具合報告 <b>&</b> [link](https://x) '.repeat(20)}`,
      bodyStart: 'body',
      url: `https://help.example.com/tickets/${500 + i}?q=(a b)|c>`,
      reactions: 50 - i,
      mirrors: [{ platform: 'slack', channel: 'C0TEAM', messageRef: `1700000000.00010${i}` }],
    })),
  };
  return buildDigest(rows, {
    name: 'big',
    period,
    reasons,
    locale,
    sla: testSlaPolicy(),
    nowMs: period.endMs + 9 * 3_600_000,
    reinquiryCohort: reinquiryCohort(period),
  });
}

export function emptyDigest(kind: DigestPeriodKind, locale: Locale, reasons: readonly Reason[]): Digest {
  const period = digestPeriod(kind, '2026-11-20', 'Asia/Tokyo');
  return buildDigest(
    {
      dailyTallies: tallyDates(period).map((date) => ({ date, rows: [] })),
      received: [],
      backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
      reinquiry: { customers: 0, returned: 0 },
      participation: [],
      voices: [],
    },
    {
      name: 'empty',
      period,
      reasons,
      locale,
      sla: testSlaPolicy(),
      nowMs: period.endMs,
      reinquiryCohort: reinquiryCohort(period),
    },
  );
}
