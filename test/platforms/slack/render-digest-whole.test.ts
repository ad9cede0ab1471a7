import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestBlocks } from '../../../src/platforms/slack/render-digest.ts';
import { smallWeeklyDigest } from '../../helpers/small-digest.ts';

/** The Slack digest, whole, for a small weekly digest whose every section has something in it (read by eye). */

describe('the Slack digest, whole', () => {
  it('draws a header, the summary, the tally with bars and trends, then one section per group, escaped', () => {
    const settings = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    expect(renderDigestBlocks(smallWeeklyDigest(), settings)).toEqual({
      text: 'Weekly digest · Mon, Nov 16 – Sun, Nov 22, 2026: 37 new inquiries (+30 vs week before, 4-week avg 1.8)',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Weekly digest · Mon, Nov 16 – Sun, Nov 22, 2026', emoji: true },
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '37 new inquiries (+30 vs week before, 4-week avg 1.8)', verbatim: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Contact reasons*\n`██████████` *28* Billing `▂▃▄▅▆▇█`  _+21 vs last week · +26.3 vs 4-wk avg_\n`██▌       ` *7* Bug / outage `███████`  _+7 vs last week · +7 vs 4-wk avg_\n`▊         ` *2* Unclassified `▁▁▁▁▁▁█`  _+2 vs last week · +2 vs 4-wk avg_\n_7-day trend (Mon→Sun)_',
            verbatim: true,
          },
        },
        { type: 'divider' },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*First response and targets*\nFirst response: median 1h (1h business) · p90 5h (5h business) · within 2 business hours 50% · awaiting reply 0\nResolution: median 2h (2h business) · p90 2h (2h business) · within 72 business hours 50% · unresolved 1\n1 inquiry past due (1 replied late, 0 unanswered past due, 0 resolved late, 1 unresolved past due)\n• #2 Bug / outage: not resolved, 105h past due in business time · held by Aiko\n• #2 Bug / outage: replied late, 3h past due in business time · held by Aiko',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Within target by reason*\n• Billing: first response 100% · resolution 100% (1 inquiry)\n• Bug / outage: first response 0% · resolution 0% (1 inquiry)',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Backlog (now)*\n3 unresolved · 2 open · 1 claimed · oldest open 7d 9h (#2) · 1 past resolution due',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Resolution &amp; re-inquiries*\nResolution rate 50% (1/2)\nRe-inquiry rate (within 7 days of a resolution) 25% (1/4 customers)',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Participation*\n2 people reacted, claimed or replied\n• Aiko: 4 (2 replies, 1 claims, 1 reactions)\n• api:bot: 1 (1 replies, 0 claims, 0 reactions)',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Voices of the customer*\n• <https://help.example.com/2|#2> Bug / outage: Export ∗broken∗ (3 reactions)',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Growing topics in unclassified and other*\n• “二段階認証・コード”: 5 this week (4-week avg 0.5)\n    “コードが届かない”\n    “SMSが来ない”',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Phase*\n5.3 inquiries/day on average; under 30/day: everyone answers.',
            verbatim: true,
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'koe · Asia/Tokyo · 2026-11-23 09:00' }] },
      ],
    });
  });
});
