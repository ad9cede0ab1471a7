import { describe, expect, it } from 'vitest';
import type { InquiryDetail } from '../../../src/core/ports/read-model.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import {
  morePagesNotice,
  renderInquiryDetail,
  renderInquiryList,
} from '../../../src/platforms/slack/render-answers.ts';
import type { KnownBlock } from '../../../src/platforms/slack/render.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { customer, inquiry, message, RECEIVED_AT } from '../../helpers/inquiry-fixtures.ts';

/** What /koe show, open and mine answer on Slack, block by block: which fields appear when, and how the body is paged. */

const settings: RenderSettings = { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
const detail = (over: Partial<InquiryDetail> = {}): InquiryDetail => ({
  inquiry: inquiry(),
  customer: customer(),
  messages: [],
  events: [],
  mirrors: [],
  reactions: [],
  ...over,
});
/** A block as `kind:text` (sections and contexts) or its type. */
const shape = (b: KnownBlock) => {
  const any = b as { type: string; text?: { type: string; text: string }; elements?: { text: string }[] };
  if (any.type === 'section') return `${any.text!.type}:${any.text!.text.length}`;
  if (any.type === 'context') return `context:${any.elements![0]!.text}`;
  return any.type;
};

describe('/koe show on Slack', () => {
  it('draws the details (holder, reason, subject, link, due line) and the body, then the conversation', () => {
    const pages = renderInquiryDetail(
      detail({
        inquiry: inquiry({
          assigneeId: 'slack:U0ALICE',
          assigneeName: 'alice',
          status: 'claimed',
          subject: 'Log*in*',
          body: '  Body <b>\n',
        }),
        messages: [
          message(),
          message({
            id: 2,
            direction: 'note',
            body: 'a  b\nc',
            authorId: null,
            authorName: null,
            createdAt: RECEIVED_AT + 60_000,
          }),
        ],
      }),
      {
        ...settings,
        dueOf: () => ({ target: 'resolution', dueAt: Date.parse('2026-11-24T03:00:00Z'), state: 'on_track' }),
      },
    );
    expect(pages).toEqual([
      {
        text: '#12 1/1',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: '🟡 #12 Claimed · Account & login', emoji: true } },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: [
                '*Customer:* 山田 花子 &lt;hanako@example.com&gt;',
                '*Assignee:* <@U0ALICE>',
                '*Reason:* Account &amp; login (auto)',
                '*Subject:* Log*in∗',
                '*Received:* 2026-11-23 09:05 · Source web · <https://example.com/form/42|original>',
                '🕒 Resolve by Tue, Nov 24, 12:00 · on track',
              ].join('\n'),
              verbatim: true,
            },
          },
          { type: 'section', text: { type: 'plain_text', text: 'Body <b>', emoji: false } },
        ],
      },
      {
        text: '#12 Messages',
        blocks: [
          { type: 'context', elements: [{ type: 'mrkdwn', text: '*Messages* (2)' }] },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '*From the customer* · <@U0CUST> · 2026-11-23 09:05\n追加の情報です\n*Internal note* · 2026-11-23 09:06\na b c',
              verbatim: true,
            },
          },
        ],
      },
    ]);
  });

  it('pages a long body: the first page holds less (it carries the details), each page numbered', () => {
    const pages = renderInquiryDetail(
      detail({ inquiry: inquiry({ body: 'a'.repeat(20_000), subject: null, url: null }), customer: null }),
      settings,
    );
    expect(pages.map((p) => p.text)).toEqual(['#12 1/3', '#12 2/3', '#12 3/3']);
    expect(pages.map((p) => p.blocks.map(shape))).toEqual([
      ['header', 'mrkdwn:123', 'context:*Body* 1/3', 'plain_text:3000', 'plain_text:3000', 'plain_text:2165'],
      ['context:*Body* 2/3', 'plain_text:3000', 'plain_text:3000', 'plain_text:2500'],
      ['context:*Body* 3/3', 'plain_text:3000', 'plain_text:335'],
    ]);
    const details = (pages[0]!.blocks[1] as { text: { text: string } }).text.text;
    expect(details).toBe(
      '*Customer:* (unknown)\n*Assignee:* Unassigned\n*Reason:* Account &amp; login (auto)\n*Received:* 2026-11-23 09:05 · Source web',
    );
  });

  it('shows the last ten messages of the conversation, with the count of all', () => {
    const messages = Array.from({ length: 12 }, (_, i) => message({ id: i + 1, body: `m${i + 1}` }));
    const last = renderInquiryDetail(detail({ messages }), settings).at(-1)!;
    expect(shape(last.blocks[0]!)).toBe('context:*Messages* (12)');
    const lines = (last.blocks[1] as { text: { text: string } }).text.text.split('\n');
    expect(lines.filter((l) => /^m\d+$/.test(l))).toEqual([
      'm3',
      'm4',
      'm5',
      'm6',
      'm7',
      'm8',
      'm9',
      'm10',
      'm11',
      'm12',
    ]);
  });

  it('says how many pages were shown when not all could be sent', () => {
    expect(morePagesNotice('en', 4, 9, 12)).toBe(
      'Showed 4 of 9 pages; the rest is in the API (GET /api/v1/inquiries/12).',
    );
  });
});

describe('/koe open and /koe mine on Slack', () => {
  it('lists one line per inquiry (number, reason, age, gist) and says how many more', () => {
    const list = renderInquiryList(
      [inquiry({ subject: null, body: 'multi\n line  body' }), inquiry({ id: 13, reasonId: null })],
      5,
      settings,
      'mine',
      RECEIVED_AT + 3 * 3_600_000,
    );
    expect(list).toEqual({
      text: 'Inquiries you hold (5)',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Inquiries you hold (5)*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '• *#12* Account &amp; login · 3 h · multi line body\n• *#13* Unclassified · 3 h · ログインできません',
            verbatim: true,
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '…and 3 more' }] },
      ],
    });
  });

  it('puts ten lines in a section, adds no "more" line when all are listed, and shows the due line', () => {
    const items = Array.from({ length: 12 }, (_, i) => inquiry({ id: i + 1 }));
    const due = {
      ...settings,
      dueOf: () => ({ target: 'first_response' as const, dueAt: RECEIVED_AT, state: 'breached' as const }),
    };
    const list = renderInquiryList(items, 12, due, 'open', RECEIVED_AT);
    expect(list.text).toBe('Open inquiries (12, oldest first)');
    expect(list.blocks.map((b) => (b as { text: { text: string } }).text.text.split('\n').length)).toEqual([1, 10, 2]);
    expect((list.blocks[1] as { text: { text: string } }).text.text.split('\n')[0]).toBe(
      '• *#1* Account &amp; login · 0 min · 🚨 First response due Mon, Nov 23, 09:05 · past due · ログインできません',
    );
  });

  it('says when there is nothing to list', () => {
    const empty = 'No open inquiries: nothing is waiting to be claimed.';
    expect(renderInquiryList([], 0, settings, 'open', RECEIVED_AT)).toEqual({
      text: empty,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: empty } }],
    });
    expect(renderInquiryList([], 0, settings, 'mine', RECEIVED_AT).text).toBe('You hold no inquiries.');
  });
});
