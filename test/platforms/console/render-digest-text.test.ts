import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/core/digests/build-digest.ts';
import { digestPeriod, reinquiryCohort, tallyDates } from '../../../src/core/digests/periods.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../../src/core/sla/policy.ts';
import { renderDigestText } from '../../../src/platforms/console/render-digest.ts';
import { smallWeeklyDigest } from '../../helpers/small-digest.ts';
import { roundTheClock, testSlaSettings } from '../../helpers/sla.ts';

/**
 * The console digest, whole, for a small weekly and a small daily digest: every section in its
 * place, with the words, counts, bars, trends and alignment a reader sees, and the sections a daily
 * digest leaves out.
 */

const H = 3_600_000;
const TZ = 'Asia/Tokyo';
const settings = { locale: 'en' as const, timezone: TZ, reasons: DEFAULT_REASONS };

describe('the console digest, whole', () => {
  it('draws every section of a weekly digest', () => {
    expect(renderDigestText(smallWeeklyDigest({ voiceSubject: 'Export\tbroken' }), settings).split('\n')).toEqual([
      '══ koe Weekly digest · Mon, Nov 16 – Sun, Nov 22, 2026 ══',
      '37 new inquiries (+30 vs week before, 4-week avg 1.8)',
      '',
      '■ Contact reasons',
      '  Billing       ████████████ 28  +21 vs last week · +26.3 vs 4-wk avg  ▂▃▄▅▆▇█',
      '  Bug / outage  ███           7  +7 vs last week · +7 vs 4-wk avg  ███████',
      '  Unclassified  ▉             2  +2 vs last week · +2 vs 4-wk avg  ▁▁▁▁▁▁█',
      '  (7-day trend (Mon→Sun))',
      '',
      '■ First response and targets',
      '  First response: median 1h (1h business) · p90 5h (5h business) · within 2 business hours 50% · awaiting reply 0',
      '  Resolution: median 2h (2h business) · p90 2h (2h business) · within 72 business hours 50% · unresolved 1',
      '  1 inquiry past due (1 replied late, 0 unanswered past due, 0 resolved late, 1 unresolved past due)',
      '    #2 Bug / outage: not resolved, 105h past due in business time · held by Aiko',
      '    #2 Bug / outage: replied late, 3h past due in business time · held by Aiko',
      '',
      '■ Within target by reason',
      '  Billing: first response 100% · resolution 100% (1 inquiry)',
      '  Bug / outage: first response 0% · resolution 0% (1 inquiry)',
      '',
      '■ Backlog (now)',
      '  3 unresolved · 2 open · 1 claimed · oldest open 7d 9h (#2) · 1 past resolution due',
      '',
      '■ Resolution & re-inquiries',
      '  Resolution rate 50% (1/2)',
      '  Re-inquiry rate (within 7 days of a resolution) 25% (1/4 customers)',
      '',
      '■ Participation',
      '  2 people reacted, claimed or replied',
      '    Aiko: 4 (2 replies, 1 claims, 1 reactions)',
      '    api:bot: 1 (1 replies, 0 claims, 0 reactions)',
      '',
      '■ Voices of the customer',
      '  #2 Bug / outage: Export broken (3 reactions)  https://help.example.com/2 slack:C1/1.2',
      '',
      '■ Growing topics in unclassified and other',
      '  “二段階認証・コード”: 5 this week (4-week avg 0.5)',
      '    “コードが届かない”',
      '    “SMSが来ない”',
      '',
      '■ Phase',
      '  5.3 inquiries/day on average; under 30/day: everyone answers.',
      '',
      '(Asia/Tokyo · 2026-11-23 09:00)',
    ]);
  });

  it('leaves out the trend, per-reason targets, topics and phase of a daily digest, and says what is empty', () => {
    const day = digestPeriod('day', '2026-11-20', TZ);
    const custom: Reason = {
      id: 'custom',
      label: { ja: 'カスタム', en: 'Custom\nreason' },
      keywords: [],
      patterns: [],
    };
    const digest = buildDigest(
      {
        dailyTallies: tallyDates(day).map((date, i) => ({
          date,
          rows: i === 7 ? [{ reasonId: 'custom', count: 1 }] : [],
        })),
        received: [],
        backlog: { unresolved: 0, unclaimed: 0, claimed: 0, overdue: 0, oldestUnclaimed: null },
        reinquiry: { customers: 0, returned: 0 },
        participation: [],
        voices: [],
      },
      {
        name: 'daily',
        period: day,
        reasons: [...DEFAULT_REASONS, custom],
        locale: 'en',
        sla: createSlaPolicy(testSlaSettings({ calendar: roundTheClock(TZ) })),
        nowMs: day.endMs + H,
        reinquiryCohort: reinquiryCohort(day),
      },
    );
    // Read where the taxonomy no longer has the reason: its stored label, on one line. Times in the reader's zone.
    expect(renderDigestText(digest, { ...settings, timezone: 'UTC' }).split('\n')).toEqual([
      '══ koe Daily digest · Fri, Nov 20, 2026 ══',
      '1 new inquiry (+1 vs day before, 7-day avg 0)',
      '',
      '■ Contact reasons',
      '  Custom reason  ████████████ 1  +1 vs yesterday · +1 vs 7-day avg',
      '',
      '■ First response and targets',
      '  First response: median — (— business) · p90 — (— business) · within 2 business hours — · awaiting reply 0',
      '  Resolution: median — (— business) · p90 — (— business) · within 2 business days — · unresolved 0',
      '  Nothing past due',
      '',
      '■ Backlog (now)',
      '  0 unresolved · 0 open · 0 claimed · 0 past resolution due',
      '',
      '■ Resolution & re-inquiries',
      '  Resolution rate — (0/0)',
      '  Re-inquiry rate (within 7 days of a resolution) — (0/0 customers)',
      '',
      '■ Participation',
      '  0 people reacted, claimed or replied',
      '',
      '■ Voices of the customer',
      '  No bug reports or feature requests.',
      '',
      '(Asia/Tokyo · 2026-11-20 16:00)',
    ]);
  });
});
