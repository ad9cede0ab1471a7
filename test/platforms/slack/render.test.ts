import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InquiryView } from '../../../src/core/inquiries/types.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';
import {
  ACTION_IDS,
  BLOCKS_BUDGET_BYTES,
  renderInquiry,
  renderThreadMessage,
} from '../../../src/platforms/slack/render.ts';
import { renderInquiryDetail, renderInquiryList } from '../../../src/platforms/slack/render-answers.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import type { InquiryDetail } from '../../../src/core/ports/read-model.ts';
import { blockKitProblems } from '../../fakes/slack/block-kit.ts';
import { customer, inquiry, inquiryView as view, message, RECEIVED_AT } from '../../helpers/inquiry-fixtures.ts';

const T0 = RECEIVED_AT; // 09:05 in Tokyo
const JA: RenderSettings = { locale: 'ja', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
const EN: RenderSettings = { ...JA, locale: 'en' };

const blocksBytes = (m: { blocks: unknown[] }) => Buffer.byteLength(JSON.stringify(m.blocks), 'utf8');
/** The mrkdwn texts: the only ones Slack parses for mentions and links (plain_text is shown as is). */
const mrkdwnTexts = (m: { blocks: any[] }): string[] =>
  m.blocks
    .flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])])
    .filter((t: any) => t?.type === 'mrkdwn')
    .map((t: any) => t.text as string);
const texts = (m: { blocks: any[] }): string[] =>
  m.blocks
    .flatMap((b) => [
      b.text?.text,
      ...(b.fields ?? []).map((f: any) => f.text),
      ...(b.elements ?? []).map((e: any) => e.text?.text ?? e.text),
    ])
    .filter((t): t is string => typeof t === 'string');

/** 100 reasons whose labels use Slack's full 75 characters. */
const HUNDRED_REASONS: Reason[] = Array.from({ length: 100 }, (_, i) => ({
  id: `reason_${String(i).padStart(3, '0')}_${'x'.repeat(50)}`,
  label: { ja: `理由${i}${'あ'.repeat(80)}`, en: `Reason ${i} ${'y'.repeat(80)}` },
  keywords: [],
  patterns: [],
}));

const HUGE = 100_000;
const cases: Array<[string, InquiryView, RenderSettings]> = [
  ['a short Japanese inquiry', view(), JA],
  ['a short English inquiry', view({ subject: 'Cannot log in', body: 'Password reset did not help.' }), EN],
  ['a 100k-character ASCII body', view({ body: 'a'.repeat(HUGE) }), EN],
  ['a 100k-character Japanese body', view({ body: 'あ'.repeat(HUGE) }), JA],
  [
    'a 100k-character body of emoji (surrogate pairs and ZWJ sequences)',
    view({ body: '👩‍👩‍👧‍👦🎫😀'.repeat(HUGE / 14) }),
    JA,
  ],
  ['a body of 100k newlines', view({ body: `x${'\n'.repeat(HUGE)}y` }), JA],
  [
    'a body full of NUL bytes and control characters',
    view({ body: `a\u0000b\u0001c\u001f\u007f${'\u0000'.repeat(5000)}d` }),
    JA,
  ],
  ['a body that is only NUL bytes', view({ body: '\u0000\u0000\u0000' }), JA],
  ['lone surrogates', view({ body: `broken \uD800 pair \uDC00 end`, subject: '\uD83D' }), EN],
  [
    'mrkdwn and mention injection',
    view({ subject: '<!channel> *bold* & <@U999|boss>', body: '<!here> <https://evil.example|click>' }),
    EN,
  ],
  [
    'a 1000-character subject and customer name',
    view(
      { subject: 's'.repeat(1000) },
      { customer: customer({ name: 'n'.repeat(500), email: `${'e'.repeat(400)}@example.com` }) },
    ),
    EN,
  ],
  ['a 3000-character URL with | and >', view({ url: `https://example.com/${'p'.repeat(2950)}|>x` }), EN],
  [
    '100 reasons with 75+ character labels, current one last',
    view({ body: 'あ'.repeat(HUGE), reasonId: HUNDRED_REASONS[99]!.id }),
    { ...JA, reasons: HUNDRED_REASONS },
  ],
  [
    '100 reasons in English',
    view({ reasonId: HUNDRED_REASONS[0]!.id, reasonSource: 'human' }),
    { ...EN, reasons: HUNDRED_REASONS },
  ],
  ['an unclassified inquiry', view({ reasonId: null, reasonSource: null }), JA],
  ['a reason removed from the taxonomy', view({ reasonId: 'gone', reasonSource: 'human' }), JA],
  ['a claimed inquiry', view({ status: 'claimed', assigneeId: 'slack:U0ALICE', assigneeName: 'alice' }), JA],
  [
    'a resolved inquiry claimed over Discord',
    view({ status: 'resolved', assigneeId: 'discord:1122', assigneeName: '<@everyone>', resolvedAt: T0 }),
    EN,
  ],
  [
    'many reactions and messages',
    view(
      {},
      {
        messageCount: 42,
        reactionCounts: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`emoji_${i}`, i + 1])),
      },
    ),
    JA,
  ],
  ['no customer at all', view({ customerId: null }, { customer: null }), JA],
  [
    'a Slack customer',
    view(
      { source: 'slack:C0CUST' },
      { customer: customer({ source: 'slack:C0CUST', key: 'U0CUST', name: 'Cust <Co>' }) },
    ),
    EN,
  ],
];

describe('renderInquiry', () => {
  it.each(cases)('stays within Block Kit limits: %s', (_label, v, settings) => {
    const message = renderInquiry(v, settings);
    expect(blockKitProblems(message)).toEqual([]);
    expect(blocksBytes(message)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
    expect(message.text.length).toBeGreaterThan(0);
    expect(message.text.length).toBeLessThanOrEqual(400);
  });

  it.each(cases)('never lets customer text mention anyone: %s', (_label, v, settings) => {
    for (const t of mrkdwnTexts(renderInquiry(v, settings))) {
      expect(t).not.toMatch(/<!(channel|here|everyone)/);
      expect(t).not.toMatch(/<@U999/);
    }
  });

  it('puts status and reason up top, in the configured locale', () => {
    const ja = renderInquiry(view(), JA);
    expect(ja.blocks[0]).toMatchObject({ type: 'header', text: { text: '🔴 #12 未対応 · アカウント・ログイン' } });
    const en = renderInquiry(view({ status: 'claimed', assigneeId: 'slack:U0ALICE' }), EN);
    expect(en.blocks[0]).toMatchObject({ type: 'header', text: { text: '🟡 #12 Claimed · Account & login' } });
    expect(JSON.stringify(en.blocks)).toContain('<@U0ALICE>');
  });

  it('shows customer, subject, body, source, link and the received time in the configured timezone', () => {
    const all = texts(renderInquiry(view(), JA)).join('\n');
    expect(all).toContain('山田 花子');
    expect(all).toContain('&lt;hanako@example.com&gt;');
    expect(all).toContain('ログインできません');
    expect(all).toContain('パスワードを再設定してもログインできません。');
    expect(all).toContain('2026/11/23 09:05');
    expect(all).toContain('窓口 web');
    expect(all).toContain('<https://example.com/form/42|元のメッセージ>');
    const en = texts(renderInquiry(view(), { ...EN, timezone: 'America/New_York' })).join('\n');
    expect(en).toContain('2026-11-22 19:05');
  });

  it('offers Claim, Resolve and the reason select on an open inquiry, with the current reason chosen', () => {
    const actions = renderInquiry(view(), JA).blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => e.action_id)).toEqual([
      ACTION_IDS.claim,
      ACTION_IDS.resolve,
      ACTION_IDS.reason,
    ]);
    expect(actions.elements[0].value).toBe('12');
    const select = actions.elements[2];
    expect(select.initial_option.value).toBe('account');
    expect(select.options.map((o: any) => o.value)).toEqual(DEFAULT_REASONS.map((r) => r.id));
  });

  it.each([
    ['claimed', [ACTION_IDS.unclaim, ACTION_IDS.resolve, ACTION_IDS.reason]],
    ['resolved', [ACTION_IDS.reopen, ACTION_IDS.reason]],
  ] as const)('offers the right buttons when %s', (status, expected) => {
    const actions = renderInquiry(view({ status, assigneeId: 'slack:U1' }), EN).blocks.find(
      (b) => b.type === 'actions',
    ) as any;
    expect(actions.elements.map((e: any) => e.action_id)).toEqual(expected);
  });

  it('cuts a long body, says how much is shown, and offers the full text', () => {
    const message = renderInquiry(view({ body: 'a'.repeat(HUGE) }), EN);
    const all = texts(message).join('\n');
    expect(all).toContain('of 100,000 characters');
    expect(all).toContain('/koe show 12');
    const actions = message.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements.map((e: any) => e.action_id)).toContain(ACTION_IDS.show);
  });

  it('keeps the current reason in the select even when the taxonomy does not fit', () => {
    const actions = renderInquiry(view({ reasonId: HUNDRED_REASONS[99]!.id }), {
      ...JA,
      reasons: HUNDRED_REASONS,
    }).blocks.find((b) => b.type === 'actions') as any;
    const select = actions.elements.at(-1);
    expect(select.initial_option.value).toBe(HUNDRED_REASONS[99]!.id);
    expect(select.options.some((o: any) => o.value === HUNDRED_REASONS[99]!.id)).toBe(true);
  });

  it('changes every block_id when the inquiry changes, so Slack redraws the select', () => {
    const before = renderInquiry(view(), JA).blocks.map((b) => b.block_id);
    const after = renderInquiry(view({ updatedAt: T0 + 1 }), JA).blocks.map((b) => b.block_id);
    for (const id of after) expect(before).not.toContain(id);
  });

  it('stays within the limits for any text (property)', () => {
    const pool = [
      'a',
      'あ',
      '漢',
      '😀',
      '👩‍👩‍👧',
      '\u0000',
      '\uD800',
      '\uDC00',
      '<',
      '>',
      '&',
      '|',
      '*',
      '\n',
      '\r',
      ' ',
      'é',
      '\u0301',
    ];
    const text = fc.array(fc.constantFrom(...pool), { maxLength: 6000 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, text, fc.constantFrom(JA, EN), (body, subject, settings) => {
        const message = renderInquiry(
          view({ body: body || 'x', subject: subject || null }, { customer: customer({ name: subject }) }),
          settings,
        );
        expect(blockKitProblems(message)).toEqual([]);
        expect(blocksBytes(message)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
      }),
      { numRuns: 60 },
    );
  });
});

describe('renderThreadMessage', () => {
  it.each([
    ['a follow-up', message()],
    [
      'an outbound reply from the API',
      message({ direction: 'outbound', authorId: 'api:bot', authorName: 'Helpdesk <bot>' }),
    ],
    ['a note', message({ direction: 'note', authorId: null, authorName: null })],
    ['a 100k ASCII follow-up', message({ body: 'b'.repeat(HUGE) })],
    ['a 100k Japanese follow-up', message({ body: 'い'.repeat(HUGE) })],
    ['a 100k emoji follow-up', message({ body: '🙋'.repeat(HUGE / 2) })],
    ['NUL bytes', message({ body: '\u0000x\u0000' })],
  ])('stays within Block Kit limits: %s', (_label, m) => {
    const rendered = renderThreadMessage(view(), m, JA);
    expect(blockKitProblems(rendered)).toEqual([]);
    expect(blocksBytes(rendered)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
  });

  it('says who wrote it and what kind of message it is', () => {
    const all = texts(
      renderThreadMessage(view(), message({ direction: 'outbound', authorId: 'slack:U0ALICE' }), EN),
    ).join('\n');
    expect(all).toContain('*Reply* · <@U0ALICE>');
    expect(all).toContain('追加の情報です');
  });
});

describe('renderInquiryDetail', () => {
  const detail = (body: string): InquiryDetail => ({
    inquiry: inquiry({ body }),
    customer: customer(),
    messages: [message(), message({ id: 2, direction: 'note', body: 'n'.repeat(5000) })],
    events: [],
    mirrors: [],
    reactions: [],
  });

  it.each([
    ['ASCII', 'a'.repeat(HUGE)],
    ['Japanese', 'あ'.repeat(HUGE)],
    ['emoji', '😀👩‍👩‍👧'.repeat(HUGE / 10)],
    ['paragraphs', Array.from({ length: 3000 }, (_, i) => `Paragraph ${i}: ${'word '.repeat(6)}`).join('\n')],
  ])('pages a 100k %s body with every page within the limits and nothing lost', (_label, body) => {
    const pages = renderInquiryDetail(detail(body), JA);
    for (const page of pages) {
      expect(blockKitProblems(page)).toEqual([]);
      expect(blocksBytes(page)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
    }
    const bodyText = pages
      .flatMap((p) => p.blocks)
      .filter((b: any) => b.type === 'section' && b.text?.type === 'plain_text')
      .map((b: any) => b.text.text)
      .join('');
    const [got, want] = [bodyText.replace(/\s/g, ''), body.replace(/\s/g, '')];
    expect(got.length).toBe(want.length);
    expect(got === want).toBe(true); // compared as a boolean so a failure does not print 100k characters
  });
});

describe('renderInquiryList', () => {
  it('lists at most 20 lines within the limits and says how many more there are', () => {
    const items = Array.from({ length: 20 }, (_, i) =>
      inquiry({ id: i + 1, subject: `s${'x'.repeat(500)}`, receivedAt: T0 - i * 3_600_000 }),
    );
    const rendered = renderInquiryList(items, 57, JA, 'open', T0 + 60_000);
    expect(blockKitProblems(rendered)).toEqual([]);
    expect(texts(rendered).join('\n')).toContain('ほか37件');
  });
});

describe('customer and outsider text in mrkdwn', () => {
  /** What was typed with formatting marks; none of it may reach a mrkdwn text with its marks. */
  const MARKED = ['*bold*', '_italic_', '~strike~', '`code`', '＊太字＊', '*The Boss*', '~x~', '`x`'];
  const MENTION_WORD = /@(channel|here|everyone)/i;
  const typed = '*bold* _italic_ ~strike~ `code` ＊太字＊';
  const hostile = view(
    { subject: typed, status: 'claimed', assigneeId: 'api:boss', assigneeName: '*The Boss* @channel' },
    { customer: customer({ name: `_${typed}_ @here`, email: 'taro_yamada@example.com' }) },
  );
  const hostileDetail: InquiryDetail = {
    inquiry: hostile.inquiry,
    customer: hostile.customer,
    messages: [message({ authorId: 'api:x', authorName: '~x~', body: `${typed} @everyone` })],
    events: [],
    mirrors: [],
    reactions: [],
  };
  const rendered = () => [
    renderInquiry(hostile, EN),
    renderThreadMessage(hostile, message({ authorId: 'api:x', authorName: '`x` @here' }), EN),
    ...renderInquiryDetail(hostileDetail, EN),
    renderInquiryList([hostile.inquiry], 1, EN, 'open', T0),
  ];

  it('shows *bold*, _italic_, ~strike~ and `code` typed into a subject or a name as typed, not formatted', () => {
    for (const m of rendered()) {
      for (const t of [...mrkdwnTexts(m), m.text]) for (const marked of MARKED) expect(t).not.toContain(marked);
    }
    const mirror = mrkdwnTexts(renderInquiry(hostile, EN)).join('\n');
    expect(mirror).toContain('∗bold∗ ˍitalicˍ ∼strike∼ ˋcodeˋ');
    expect(mirror).toContain('∗The Boss∗');
    // A mark inside a word formats nothing, so an address keeps its underscore.
    expect(mirror).toContain('&lt;taro_yamada@example.com&gt;');
  });

  it('never lets a typed @channel, @here or @everyone ping, and asks Slack not to parse those texts', () => {
    for (const m of rendered()) {
      for (const t of [...mrkdwnTexts(m), m.text]) expect(t).not.toMatch(MENTION_WORD);
      for (const b of m.blocks as any[]) {
        for (const t of [b.text, ...(b.fields ?? []), ...(b.elements ?? [])]) {
          if (t?.type === 'mrkdwn' && /\u2060/.test(t.text)) expect(t.verbatim).toBe(true);
        }
      }
    }
  });

  it('keeps a subject starting with > from becoming a quote', () => {
    const fields = (renderInquiry(view({ subject: '> not a quote' }), EN).blocks[1] as any).fields;
    expect(fields.at(-1).text).toBe('*Subject*\n\u00AD&gt; not a quote');
  });
});

describe('who becomes a mention', () => {
  const mentions = (m: { blocks: any[] }) => mrkdwnTexts(m).flatMap((t) => t.match(/<@[^>]*>/g) ?? []);

  it('mentions a customer koe took from a Slack channel, and no one an API client named', () => {
    const fromSlack = view(
      { source: 'slack:C0CUST' },
      { customer: customer({ source: 'slack:C0CUST', key: 'U0CUST', name: 'Cust' }) },
    );
    expect(mentions(renderInquiry(fromSlack, EN))).toEqual(['<@U0CUST>']);
    // What the API let through before it refused the slack: namespace: a form posing as Slack.
    const posing = view(
      { source: 'slack:webform', status: 'claimed', assigneeId: 'api:ceo', assigneeName: '<@U0CEO>' },
      { customer: customer({ source: 'slack:webform', key: 'U0CEO', name: 'CEO' }) },
    );
    for (const m of [renderInquiry(posing, EN), renderThreadMessage(posing, message({ authorId: 'api:U0CEO' }), EN)])
      expect(mentions(m)).toEqual([]);
    expect(texts(renderInquiry(posing, EN)).join('\n')).toContain('&lt;@U0CEO&gt;');
  });
});
