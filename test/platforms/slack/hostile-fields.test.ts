import { describe, expect, it } from 'vitest';
import type { InquiryView } from '../../../src/core/inquiries/types.ts';
import type { InquiryDetail } from '../../../src/core/ports/read-model.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';
import { renderInquiry, renderThreadMessage } from '../../../src/platforms/slack/render.ts';
import { renderInquiryDetail, renderInquiryList } from '../../../src/platforms/slack/render-answers.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import {
  customer,
  inquiryView as fixtureView,
  message as fixtureMessage,
  RECEIVED_AT,
} from '../../helpers/inquiry-fixtures.ts';

/**
 * Slack's markup in any field someone else fills: `<!channel>`, `<!here>`, `<@U…>`,
 * `<!subteam^…>` and `<url|label>` reach Slack escaped (`&lt;…&gt;`) from every field, in every
 * message koe draws (mirror, thread message, `/koe show`, `/koe open` list), so none pings, links
 * or relabels a link. (The digest's fields: render-digest-hostile.test.ts.)
 */

const MARKUP = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U0EVIL>',
  '<@U0EVIL|boss>',
  '<!subteam^S0TEAM|@team>',
  '<!subteam^S0TEAM>',
  '<#C0SECRET|general>',
  '<https://evil.example/login|https://bank.example/login>',
  '<mailto:x@evil.example|support>',
  '<!date^1392734382^{date}|x>',
];
const HOSTILE = MARKUP.join(' ');

// The fixtures, with a link to a known host and a follow-up by an API author (no mention of koe's own).
const inquiryView = (...[over, extra]: Parameters<typeof fixtureView>) =>
  fixtureView({ url: 'https://ok.example/form', ...over }, extra);
const message = (over: Parameters<typeof fixtureMessage>[0] = {}) => fixtureMessage({ authorId: 'api:cust', ...over });

const SETTINGS: RenderSettings = { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };

/** Each field alone carries every piece of markup (so no cut of one field hides another's). */
const FIELDS: Array<[string, () => { view: InquiryView; settings?: RenderSettings }]> = [
  ['subject', () => ({ view: inquiryView({ subject: HOSTILE }) })],
  ['body', () => ({ view: inquiryView({ body: HOSTILE }) })],
  ['source', () => ({ view: inquiryView({ source: HOSTILE }) })],
  ['url', () => ({ view: inquiryView({ url: `https://ok.example/${HOSTILE}` }) })],
  ['customer name', () => ({ view: inquiryView({}, { customer: customer({ name: HOSTILE }) }) })],
  ['customer email', () => ({ view: inquiryView({}, { customer: customer({ email: HOSTILE }) }) })],
  [
    'customer key (no name or email)',
    () => ({ view: inquiryView({}, { customer: customer({ name: null, email: null, key: HOSTILE }) }) }),
  ],
  ['assignee name', () => ({ view: inquiryView({ status: 'claimed', assigneeId: 'api:x', assigneeName: HOSTILE }) })],
  ['assignee id', () => ({ view: inquiryView({ status: 'claimed', assigneeId: HOSTILE, assigneeName: null }) })],
  ['reaction names', () => ({ view: inquiryView({}, { reactionCounts: { [HOSTILE]: 2 } }) })],
  [
    'a reason label',
    () => {
      const reasons: Reason[] = [{ id: 'bad', label: { ja: HOSTILE, en: HOSTILE }, keywords: [], patterns: [] }];
      return { view: inquiryView({ reasonId: 'bad', reasonSource: 'human' }), settings: { ...SETTINGS, reasons } };
    },
  ],
];

/** The plain_text objects of a message: shown as they are, never parsed (the body goes there). */
function plainTexts(m: { blocks: any[] }): string[] {
  return m.blocks
    .flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])])
    .filter((t) => t?.type === 'plain_text')
    .map((t) => t.text as string);
}

/** Every text Slack parses for markup in a message: mrkdwn objects, and the notification text. */
function parsedTexts(m: { text: string; blocks: any[] }): string[] {
  const out = [m.text];
  for (const b of m.blocks) {
    for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) if (t?.type === 'mrkdwn') out.push(t.text);
  }
  return out;
}

/** The Slack markup in `text`, as `<…>` spans, but koe's own link to the URL under its own label. */
function liveMarkup(text: string): string[] {
  return (text.match(/<[^<>]*>/g) ?? []).filter((span) => !/^<https:\/\/ok\.example\/[^|<>]*\|original>$/.test(span));
}

describe('Slack markup in any field shows as text', () => {
  it.each(FIELDS)('%s', (_field, make) => {
    const { view, settings = SETTINGS } = make();
    const detail: InquiryDetail = {
      inquiry: view.inquiry,
      customer: view.customer,
      messages: [message()],
      events: [],
      mirrors: [],
      reactions: [],
    };
    const messages = [
      renderInquiry(view, settings),
      renderThreadMessage(view, message(), settings),
      ...renderInquiryDetail(detail, settings),
      renderInquiryList([view.inquiry], 1, settings, 'open', RECEIVED_AT),
    ];
    let shown = false;
    for (const m of messages) {
      for (const text of parsedTexts(m)) {
        expect(liveMarkup(text), text.slice(0, 300)).toEqual([]);
        if (text.includes('&lt;!channel&gt;') || text.includes('%3C!channel%3E')) shown = true;
      }
      if (plainTexts(m).some((t) => t.includes('<!channel>'))) shown = true; // as typed, unparsed
    }
    expect(shown).toBe(true); // the field was drawn somewhere: escaped, or in plain_text
  });

  it.each([
    ['a thread message body', message({ body: HOSTILE })],
    ['a thread message author name', message({ authorId: 'api:x', authorName: HOSTILE })],
    ['a thread message author id', message({ authorId: HOSTILE, authorName: null })],
  ])('%s', (_field, m) => {
    const view = inquiryView();
    const detail: InquiryDetail = {
      inquiry: view.inquiry,
      customer: view.customer,
      messages: [m],
      events: [],
      mirrors: [],
      reactions: [],
    };
    for (const rendered of [renderThreadMessage(view, m, SETTINGS), ...renderInquiryDetail(detail, SETTINGS)])
      for (const text of parsedTexts(rendered)) expect(liveMarkup(text), text.slice(0, 300)).toEqual([]);
  });
});
