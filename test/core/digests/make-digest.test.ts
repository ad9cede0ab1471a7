import { describe, expect, it } from 'vitest';
import { VOICE_LIMIT } from '../../../src/core/digests/build-digest.ts';
import type { DigestQueries } from '../../../src/core/digests/digest-source.ts';
import { makeDigest, UNNAMED_PER_WEEK, VOICE_REASON_IDS } from '../../../src/core/digests/make-digest.ts';
import { digestPeriod } from '../../../src/core/digests/periods.ts';
import { asDigest } from '../../../src/core/digests/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { resolutionOverdueCutoffs } from '../../../src/core/sla/overdue.ts';
import { createSlaPolicy } from '../../../src/core/sla/policy.ts';
import { localDaysRange } from '../../../src/lib/zoned-time.ts';
import { roundTheClock, testSlaSettings } from '../../helpers/sla.ts';

const TZ = 'Asia/Tokyo';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A DigestQueries that records what it was asked and answers with empty rows. */
function recordingQueries() {
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    <T>(method: string, answer: T) =>
    (...args: unknown[]) => {
      calls.push({ method, args });
      return answer;
    };
  const queries: DigestQueries = {
    reasonTally: record('reasonTally', []),
    receivedInquiries: record('receivedInquiries', []),
    backlog: record('backlog', { unresolved: 0, unclaimed: 0, claimed: 0, oldestUnclaimed: null, overdue: 0 }),
    reinquiry: record('reinquiry', { customers: 0, returned: 0 }),
    participation: record('participation', []),
    voices: record('voices', []),
    unnamedInquiries: record('unnamedInquiries', []),
  };
  const of = (method: string) => calls.filter((c) => c.method === method).map((c) => c.args);
  return { queries, of };
}

const request = (kind: 'day' | 'week', nowMs: number) => ({
  name: `${kind}ly`,
  kind,
  date: '2026-11-20', // a Friday
  timezone: TZ,
  locale: 'en' as const,
  reasons: DEFAULT_REASONS,
  sla: testSlaSettings({ calendar: roundTheClock(TZ) }),
  nowMs,
});

describe('makeDigest: what it asks the queries for', () => {
  it('asks a daily digest for each local day of the baseline and the day, and for the period’s rows', () => {
    const day = digestPeriod('day', '2026-11-20', TZ);
    const nowMs = day.endMs + 9 * HOUR;
    const { queries, of } = recordingQueries();
    const digest = makeDigest(queries, request('day', nowMs));
    expect(digest.period).toEqual(day);
    expect(digest.generatedAt).toBe(nowMs);
    // 7 baseline days, then the day itself, each a whole JST day.
    expect(of('reasonTally')).toEqual(
      ['11-13', '11-14', '11-15', '11-16', '11-17', '11-18', '11-19', '11-20'].map((d) => [
        localDaysRange(`2026-${d}`, 1, TZ),
      ]),
    );
    const range = { startMs: day.startMs, endMs: day.endMs };
    expect(of('receivedInquiries')).toEqual([[range]]);
    expect(of('participation')).toEqual([[range]]);
    expect(of('voices')).toEqual([[range, VOICE_REASON_IDS, VOICE_LIMIT]]);
    expect(VOICE_REASON_IDS).toEqual(['bug', 'feature_request']);
    // The backlog as of now, with the resolution target's overdue cutoff on the business clock.
    const policy = createSlaPolicy(request('day', nowMs).sla);
    expect(of('backlog')).toEqual([[nowMs, resolutionOverdueCutoffs(policy, nowMs)]]);
    // The cohort: the 7 days that end 7 days before the period ends, each with a 7-day window.
    expect(of('reinquiry')).toEqual([[localDaysRange('2026-11-07', 7, TZ), 7 * DAY]]);
    expect(digest.reinquiry).toMatchObject({
      windowDays: 7,
      cohortStartMs: localDaysRange('2026-11-07', 7, TZ).startMs,
      cohortEndMs: localDaysRange('2026-11-07', 7, TZ).endMs,
    });
    // Topics are weekly only: a daily digest reads no unnamed inquiries.
    expect(of('unnamedInquiries')).toEqual([]);
    expect(digest.topics).toBeNull();
  });

  it('asks a weekly digest for the unnamed inquiries of the week and each of the 4 before, oldest first', () => {
    const week = digestPeriod('week', '2026-11-20', TZ); // Mon 11-16 … Sun 11-22
    const { queries, of } = recordingQueries();
    const digest = makeDigest(queries, request('week', week.endMs + HOUR));
    expect(of('unnamedInquiries')).toEqual(
      ['10-19', '10-26', '11-02', '11-09', '11-16'].map((d) => [localDaysRange(`2026-${d}`, 7, TZ), UNNAMED_PER_WEEK]),
    );
    expect(UNNAMED_PER_WEEK).toBe(2000);
    expect(of('reasonTally')).toHaveLength(5 * 7);
    expect(digest.topics).toEqual([]);
  });
});

describe('asDigest', () => {
  const digest = () => ({ version: 2, period: { kind: 'day' }, reasons: [] });

  it('accepts a version 2 digest with a period and reasons, as it is', () => {
    const d = digest();
    expect(asDigest(d)).toBe(d);
  });

  it.each([
    ['null', null],
    ['a string', 'digest'],
    ['version 1', { ...digest(), version: 1 }],
    ['no period', { ...digest(), period: undefined }],
    ['reasons that are not a list', { ...digest(), reasons: {} }],
  ])('refuses %s', (_what, value) => {
    expect(() => asDigest(value)).toThrow(new TypeError('not a koe digest (version 2)'));
  });
});
