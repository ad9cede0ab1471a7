import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestEmbeds } from '../../../src/platforms/discord/render-digest.ts';
import { smallWeeklyDigest } from '../../helpers/small-digest.ts';

/** The Discord digest embed, whole, for a small weekly digest whose every section has something in it (read by eye). */

describe('the Discord digest, whole', () => {
  it('draws the tally as a code block with bars and trends, then one field per group, escaped', () => {
    const settings = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    expect(renderDigestEmbeds(smallWeeklyDigest(), settings)).toEqual({
      embeds: [
        {
          title: 'Weekly digest · Mon, Nov 16 – Sun, Nov 22, 2026',
          description:
            '37 new inquiries \\(+30 vs week before, 4\\-week avg 1.8\\)\n\n**Contact reasons**\n```\n██████████ 28 Billing ▂▃▄▅▆▇█\n              +21 vs last week · +26.3 vs 4-wk avg\n██▌         7 Bug / outage ███████\n              +7 vs last week · +7 vs 4-wk avg\n▊           2 Unclassified ▁▁▁▁▁▁█\n              +2 vs last week · +2 vs 4-wk avg\n```\n*7\\-day trend \\(Mon→Sun\\)*',
          color: 5793266,
          fields: [
            {
              name: 'First response and targets',
              value:
                'First response: median 1h \\(1h business\\) · p90 5h \\(5h business\\) · within 2 business hours 50% · awaiting reply 0\nResolution: median 2h \\(2h business\\) · p90 2h \\(2h business\\) · within 72 business hours 50% · unresolved 1\n1 inquiry past due \\(1 replied late, 0 unanswered past due, 0 resolved late, 1 unresolved past due\\)\n• \\#2 Bug / outage: not resolved, 105h past due in business time · held by Aiko\n• \\#2 Bug / outage: replied late, 3h past due in business time · held by Aiko',
            },
            {
              name: 'Within target by reason',
              value:
                '• Billing: first response 100% · resolution 100% \\(1 inquiry\\)\n• Bug / outage: first response 0% · resolution 0% \\(1 inquiry\\)',
            },
            {
              name: 'Backlog (now)',
              value: '3 unresolved · 2 open · 1 claimed · oldest open 7d 9h \\(\\#2\\) · 1 past resolution due',
            },
            {
              name: 'Resolution & re-inquiries',
              value:
                'Resolution rate 50% \\(1/2\\)\nRe\\-inquiry rate \\(within 7 days of a resolution\\) 25% \\(1/4 customers\\)',
            },
            {
              name: 'Participation',
              value:
                '2 people reacted, claimed or replied\n• Aiko: 4 \\(2 replies, 1 claims, 1 reactions\\)\n• api:bot: 1 \\(1 replies, 0 claims, 0 reactions\\)',
            },
            {
              name: 'Voices of the customer',
              value: '• [#2](https://help.example.com/2) Bug / outage: Export \\*broken\\* \\(3 reactions\\)',
            },
            {
              name: 'Growing topics in unclassified and other',
              value:
                '• “二段階認証・コード”: 5 this week \\(4\\-week avg 0.5\\)\n   “コードが届かない”\n   “SMSが来ない”',
            },
            { name: 'Phase', value: '5.3 inquiries/day on average; under 30/day: everyone answers.' },
          ],
          footer: { text: 'koe · Asia/Tokyo · 2026-11-23 09:00' },
          timestamp: '2026-11-23T00:00:00.000Z',
        },
      ],
    });
  });
});
