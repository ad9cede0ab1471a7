import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer, Inquiry, InquiryStatus, InquiryView, Message } from '../../../src/core/inquiries/types.ts';
import { DEFAULT_REASONS, type Reason } from '../../../src/core/reasons/taxonomy.ts';
import { DISCORD_LIMITS, embedLength, embedViolations, truncate } from '../../../src/platforms/discord/limits.ts';
import { escapeMarkdown } from '../../../src/platforms/discord/markdown.ts';
import {
  customId,
  hasDeliveryMarker,
  parseCustomId,
  renderInquiryMessage,
  renderThreadMessage,
  threadName,
  withDeliveryMarker,
} from '../../../src/platforms/discord/render.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { messageBodyProblems } from '../../fakes/discord/validate.ts';
import { liveMarkup, maskedLinks, shownText } from '../../helpers/discord-markdown.ts';
import { customer as aCustomer, inquiryView, message as aMessage } from '../../helpers/inquiry-fixtures.ts';

const settings: RenderSettings = { locale: 'ja', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };

/** The shared fixture with this file's body and link, and a customer given only in part (the rest empty). */
function view(
  over: Partial<Inquiry> = {},
  customer: Partial<Customer> | null = { name: '山田 花子', email: 'hanako@example.com' },
  extra: Partial<InquiryView> = {},
): InquiryView {
  return inquiryView(
    { body: 'パスワードを再設定してもエラーになります。', url: 'https://example.com/tickets/12', ...over },
    { customer: customer && aCustomer({ key: 'k', name: null, email: null, ...customer }), ...extra },
  );
}

const buttons = (body: ReturnType<typeof renderInquiryMessage>) => (body.components?.[0]?.components ?? []) as any[];
const select = (body: ReturnType<typeof renderInquiryMessage>) => body.components?.[1]?.components[0] as any;

describe('the Discord mirror', () => {
  it('shows reason and status, customer, subject, body, source link and received time in the configured zone', () => {
    const body = renderInquiryMessage(view(), settings, { deliveryId: 345 });
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('#12 ログインできません');
    expect(embed.url).toBeUndefined(); // the subject is no link's label
    expect(embed.description).toBe('パスワードを再設定してもエラーになります。');
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields.理由).toBe('アカウント・ログイン（自動判定）');
    expect(fields.状態).toBe('未対応');
    expect(fields.お客様).toBe('山田 花子 · hanako@example.com');
    expect(fields.受付).toBe('2026/11/23 09:05'); // 00:05 UTC is 09:05 in Tokyo
    expect(fields.窓口).toBe('web · [リンク](https://example.com/tickets/12)');
    expect(hasDeliveryMarker(embed.footer?.text, 345)).toBe(true);
    expect(hasDeliveryMarker(embed.footer?.text, 34)).toBe(false);
    expect(messageBodyProblems(body, { create: true })).toEqual([]);
  });

  it.each<[InquiryStatus, string[], boolean | undefined]>([
    ['open', ['koe:claim:12', 'koe:resolve:12'], false],
    ['claimed', ['koe:claim:12', 'koe:resolve:12'], true],
    ['resolved', ['koe:reopen:12'], undefined],
  ])('offers the right buttons when %s', (status, ids, claimDisabled) => {
    const body = renderInquiryMessage(
      view({ status, assigneeId: status === 'open' ? null : 'discord:42', assigneeName: 'alice' }),
      settings,
    );
    expect(buttons(body).map((b) => b.custom_id)).toEqual(ids);
    if (claimDisabled !== undefined) expect(buttons(body)[0].disabled).toBe(claimDisabled);
    if (status !== 'open') expect(body.embeds[0]!.fields!.find((f) => f.name === '状態')!.value).toContain('<@42>');
    expect(body.embeds[0]!.color).toEqual({ open: 0xe67e22, claimed: 0x3498db, resolved: 0x2ecc71 }[status]);
  });

  it('preselects the current reason in the select and never offers more than 25 options', () => {
    const many: Reason[] = Array.from({ length: 40 }, (_, i) => ({
      id: `r${i}`,
      label: { ja: `理由${i}`.repeat(30), en: `Reason ${i}`.repeat(20) },
      keywords: [],
      patterns: [],
    }));
    const body = renderInquiryMessage(view({ reasonId: 'r33' }), { ...settings, reasons: many });
    const menu = select(body);
    expect(menu.custom_id).toBe('koe:reason:12');
    expect(menu.options).toHaveLength(25);
    expect(menu.options.filter((o: any) => o.default).map((o: any) => o.value)).toEqual(['r33']);
    for (const o of menu.options) expect(o.label.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptionLabel);
    expect(messageBodyProblems(body, { create: true })).toEqual([]);
  });

  // Discord's documented limits (developer docs, "Embed Limits"), written out here rather than taken
  // from src, so that a wrong constant in src cannot agree with itself.
  const DESCRIPTION_LIMIT = 4096;
  const EMBEDS_TOTAL_LIMIT = 6000;

  it('cuts a 100k-character body to exactly the 4096-character description limit, visibly', () => {
    const body = '本文'.repeat(50_000);
    // Short everything else, so that the 6000-character total leaves the description its full 4096.
    const embed = renderInquiryMessage(view({ subject: 'Short', body }), settings, { deliveryId: 1 }).embeds[0]!;
    const description = embed.description!;
    expect(description.length).toBe(DESCRIPTION_LIMIT);
    // The cut shows: an ellipsis in the last place, after the body's own first 4095 characters.
    expect(description.endsWith('…')).toBe(true);
    expect(description.slice(0, -1)).toBe(body.slice(0, DESCRIPTION_LIMIT - 1));
    expect(embedLength(embed)).toBeLessThan(EMBEDS_TOTAL_LIMIT); // the total was not what bound it
    expect(messageBodyProblems({ embeds: [embed] }, { create: true })).toEqual([]);
  });

  it('leaves a body under 4096 characters whole', () => {
    const body = 'x'.repeat(DESCRIPTION_LIMIT);
    const embed = renderInquiryMessage(view({ subject: 'Short', body }), settings).embeds[0]!;
    expect(embed.description).toBe(body);
  });

  it('cuts the body further when long fields leave less than 4096 of the 6000-character total', () => {
    const body = '本文'.repeat(50_000);
    const huge = view(
      { subject: 'S'.repeat(1000), body, url: `https://example.com/${'p'.repeat(900)}` },
      {
        name: 'N'.repeat(600),
        email: `${'e'.repeat(490)}@x.io`,
      },
    );
    const embed = renderInquiryMessage(huge, settings, { deliveryId: 1 }).embeds[0]!;
    const description = embed.description!;
    expect(embed.title!.length).toBe(256);
    expect(description.length).toBeLessThan(DESCRIPTION_LIMIT);
    expect(description.endsWith('…')).toBe(true);
    expect(description.slice(0, -1)).toBe(body.slice(0, description.length - 1));
    // The body takes all that the total leaves: exactly 6000 together.
    expect(embedLength(embed)).toBe(EMBEDS_TOTAL_LIMIT);
    expect(messageBodyProblems({ embeds: [embed] }, { create: true })).toEqual([]);
  });

  it('drops a source link that is not http(s), which Discord would reject as an embed url', () => {
    const embed = renderInquiryMessage(view({ url: 'javascript:alert(1)' }), settings).embeds[0]!;
    expect(embed.url).toBeUndefined();
    expect(embed.fields!.find((f) => f.name === '窓口')!.value).toBe('web');
  });

  it('stays within every limit for any inquiry (property)', () => {
    const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
    fc.assert(
      fc.property(
        fc.record({
          id: fc.integer({ min: 1, max: 2 ** 40 }),
          subject: fc.option(text(2000), { nil: null }),
          body: text(9000).filter((s) => s.trim().length > 0),
          status: fc.constantFrom<InquiryStatus>('open', 'claimed', 'resolved'),
          assigneeName: fc.option(text(600), { nil: null }),
          name: fc.option(text(600), { nil: undefined }),
          messages: fc.nat(10_000),
          reactions: fc.dictionary(text(30), fc.nat(99), { maxKeys: 40 }),
          locale: fc.constantFrom<'ja' | 'en'>('ja', 'en'),
          deliveryId: fc.integer({ min: 1, max: 2 ** 50 }),
        }),
        (p) => {
          const v = view(
            {
              id: p.id,
              subject: p.subject,
              body: p.body,
              status: p.status,
              assigneeId: p.assigneeName ? 'slack:U1' : null,
              assigneeName: p.assigneeName,
            },
            { name: p.name },
            { messageCount: p.messages, reactionCounts: p.reactions },
          );
          const body = renderInquiryMessage(v, { ...settings, locale: p.locale }, { deliveryId: p.deliveryId });
          expect(embedViolations(body.embeds)).toEqual([]);
          expect(messageBodyProblems(body, { create: true })).toEqual([]);
          for (const b of buttons(body)) expect(parseCustomId(b.custom_id)?.inquiryId).toBe(p.id);
          expect(hasDeliveryMarker(body.embeds[0]!.footer?.text, p.deliveryId)).toBe(true);
          expect(threadName(v, p.locale).length).toBeLessThanOrEqual(DISCORD_LIMITS.threadName);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('thread messages', () => {
  const message = (over: Partial<Message> = {}): Message =>
    aMessage({
      id: 7,
      body: 'まだ直りません',
      authorId: 'discord:99',
      authorName: 'yamada',
      createdAt: Date.parse('2026-11-23T01:00:00Z'),
      ...over,
    });

  it.each([
    ['inbound', 'お客様から · yamada'],
    ['outbound', '返信 · yamada'],
    ['note', '社内メモ · yamada'],
  ] as const)('say which way a %s message went and who wrote it', (direction, author) => {
    const body = renderThreadMessage(view(), message({ direction }), settings, { deliveryId: 9 });
    expect(body.embeds[0]!.author!.name).toBe(author);
    expect(body.embeds[0]!.description).toBe('まだ直りません');
    expect(hasDeliveryMarker(body.embeds[0]!.footer!.text, 9)).toBe(true);
  });

  it('cuts a long message within the limits', () => {
    const body = renderThreadMessage(
      view(),
      message({ body: 'x'.repeat(20_000), authorName: 'a'.repeat(400) }),
      settings,
      { deliveryId: 1 },
    );
    expect(embedViolations(body.embeds)).toEqual([]);
    expect(messageBodyProblems(body, { create: true })).toEqual([]);
  });
});

describe('what a customer wrote, shown as written', () => {
  const PHISH = '[https://bank.example/login](https://evil.example/phish)';
  const MARKUP =
    '# Heading\n> quote\n- item\n1. first\n-# small\n||spoiler|| <@123> <@&456> <#789> <t:0:R> <:e:1> `code` ```block``` ~~s~~ __u__ *i* **b** \\';

  /** Every embed text Discord draws as markdown: title, description, field values. */
  const markdownOf = (embed: { title?: string; description?: string; fields?: { value: string }[] }) => [
    embed.title ?? '',
    embed.description ?? '',
    ...(embed.fields ?? []).map((f) => f.value),
  ];

  it('draws no masked link and no markup from the body, subject, customer, source, assignee or reactions', () => {
    const hostile = view(
      {
        subject: `${PHISH} ${MARKUP}`,
        body: `${PHISH}\n${MARKUP}`,
        source: PHISH,
        url: null,
        status: 'claimed',
        assigneeId: 'slack:U1',
        assigneeName: PHISH,
      },
      { name: PHISH, email: '**x**@example.com' },
      { reactionCounts: { [PHISH]: 2 } },
    );
    const embed = renderInquiryMessage(hostile, settings, { deliveryId: 1 }).embeds[0]!;
    for (const text of markdownOf(embed)) {
      expect(maskedLinks(text), text).toEqual([]);
      expect(liveMarkup(text.replace(/^#12 /, '')), text).toEqual([]);
    }
    // Still there to read, line breaks and all (brackets inside an address are percent-encoded).
    const shown = shownText(embed.description!);
    expect(shown).toContain('[https://bank.example/login%5D%28https://evil.example/phish%29');
    expect(shown.split('\n').slice(1)).toEqual(MARKUP.split('\n'));
    const fields = Object.fromEntries((embed.fields ?? []).map((f) => [f.name, shownText(f.value)]));
    expect(fields.お客様).toContain(' · **x**@example.com');
    expect(fields.窓口).toBe('[https://bank.example/login%5D%28https://evil.example/phish%29');
  });

  it('draws no masked link from a thread message, and names its author plainly (author names show no markdown)', () => {
    const body = renderThreadMessage(
      view(),
      aMessage({ body: `${PHISH}\n${MARKUP}`, authorName: '*alice*' }),
      settings,
    );
    const embed = body.embeds[0]!;
    expect(maskedLinks(embed.description!)).toEqual([]);
    expect(liveMarkup(embed.description!)).toEqual([]);
    expect(embed.author!.name).toContain('*alice*');
  });

  it.each(['note', 'outbound'] as const)(
    'escapes a staff %s too: it may quote the customer, whose masked link would live on under staff’s name',
    (direction) => {
      const quoted = `The customer wrote:\n> ${PHISH}\n**please check**`;
      const body = renderThreadMessage(
        view(),
        aMessage({ direction, body: quoted, authorId: 'discord:42', authorName: 'alice' }),
        settings,
      );
      const description = body.embeds[0]!.description!;
      expect(maskedLinks(description)).toEqual([]);
      expect(liveMarkup(description)).toEqual([]);
      // Shown as typed: the quote mark and the asterisks are there to read, not drawn.
      expect(shownText(description)).toContain('\n> [https://bank.example/login');
      expect(shownText(description)).toContain('\n**please check**');
    },
  );

  it('escapes any text so that a reader sees it exactly, with no markup left (property)', () => {
    const unit = fc.constantFrom(...'[]()<>*_~`|#->\\:@!. 1\nabcあ😀'.split(''), '\r\n', '```', '||', '<@1>', '](');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 80 }), (parts) => {
        const text = parts.join('');
        const escaped = escapeMarkdown(text);
        expect(liveMarkup(escaped)).toEqual([]);
        expect(maskedLinks(escaped)).toEqual([]);
        expect(shownText(escaped)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never lets web addresses in the text form a masked link, and keeps them leading where they say (property)', () => {
    const unit = fc.constantFrom(
      'https://',
      'http://evil.example/',
      'HTTPS://bank.example/login',
      'https://ok.example/)[x](https://evil.example',
      '[',
      ']',
      '(',
      ')',
      ' ',
      '\\',
      '<',
      '>',
      '.',
      'x',
      '\n',
      '|',
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const escaped = escapeMarkdown(parts.join(''));
        expect(maskedLinks(escaped)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
    // A plain address is left clickable as it is.
    expect(escapeMarkdown('see https://example.com/a_b-c?x=1#top.')).toBe('see https://example.com/a_b-c?x=1#top.');
  });
});

describe('the source link', () => {
  const BREAKOUTS = [
    'https://ok.example/)[x](https://evil.example',
    'https://ok.example/a b)[x](https://evil.example)',
    'https://ok.example/?q=)[x](https://evil.example',
    'https://ok.example/#)[x](https://evil.example',
    'https://ok.example/\\)[x](https://evil.example',
    'https://ok.example/>)<[x](https://evil.example)',
    'https://ok.example/"x")[x](https://evil.example)',
  ];

  it.each(BREAKOUTS)('cannot close the link markup from inside the address: %s', (url) => {
    const embed = renderInquiryMessage(view({ url }), settings).embeds[0]!;
    const source = embed.fields!.find((f) => f.name === '窓口')!.value;
    const links = maskedLinks(source);
    expect(links, source).toHaveLength(1);
    expect(links[0]!.label).toBe('リンク');
    expect(new URL(links[0]!.target).host).toBe('ok.example');
    expect(embed.url).toBeUndefined();
  });

  it('leaves the link out rather than cut it in half when the address is too long for the field', () => {
    const url = `https://ok.example/${'p'.repeat(1100)}`;
    const embed = renderInquiryMessage(view({ url }), settings).embeds[0]!;
    expect(embed.fields!.find((f) => f.name === '窓口')!.value).toBe('web');
    expect(embed.url).toBeUndefined();
  });

  it.each([
    'https://bank.example/login',
    '[https://bank.example/login](https://bank.example/login)',
    '<https://bank.example/login>',
    'bank.example/login',
  ])('is never labelled by the subject: %s', (subject) => {
    const url = 'https://evil.example/phish';
    const embed = renderInquiryMessage(view({ subject, url }), settings).embeds[0]!;
    expect(embed.url).toBeUndefined(); // the title (the subject) links nowhere
    expect(maskedLinks(embed.title!)).toEqual([]);
    // The only link to the address in the whole embed is koe's, with koe's label.
    const everywhere = [embed.title!, embed.description ?? '', ...embed.fields!.map((f) => f.value)];
    const links = everywhere.flatMap((t) => maskedLinks(t));
    expect(links).toEqual([{ label: 'リンク', target: url }]);
  });

  it('leads where the address says, for any address (property)', () => {
    const part = fc.constantFrom(
      '(',
      ')',
      '[',
      ']',
      '<',
      '>',
      ' ',
      '\\',
      '"',
      "'",
      '`',
      '|',
      'x',
      '/',
      '?',
      '#',
      '%',
      'あ',
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 30 }), (parts) => {
        const url = `https://ok.example/${parts.join('')}`;
        const embed = renderInquiryMessage(view({ url }), settings).embeds[0]!;
        const source = embed.fields!.find((f) => f.name === '窓口')!.value;
        const links = maskedLinks(source);
        expect(links, source).toHaveLength(1);
        expect(new URL(links[0]!.target).host).toBe('ok.example');
        // The same address, but for the characters percent-encoded (by koe or by the URL parser).
        const plain = (u: string) => u.replace(/%(2[0278]|29|3[CE]|5[BCD]|60|7C)/gi, (m) => decodeURIComponent(m));
        expect(plain(links[0]!.target)).toBe(plain(new URL(url).href));
      }),
      { numRuns: 500 },
    );
  });
});

describe('custom ids, markers and truncation', () => {
  it('round-trips custom ids and refuses foreign ones', () => {
    expect(parseCustomId(customId('resolve', 123456))).toEqual({ action: 'resolve', inquiryId: 123456 });
    expect(customId('reason', 2 ** 50).length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    for (const foreign of ['other:claim:1', 'koe:delete:1', 'koe:claim:', 'koe:claim:1:2', 'koe:claim:x'])
      expect(parseCustomId(foreign)).toBeNull();
  });

  it('never splits a surrogate pair when cutting', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
        const cut = truncate(s, max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut.replace(/…$/, ''))).toBe(false);
      }),
    );
  });

  it('adds the delivery marker to a digest that already uses the whole budget, staying within 6000', () => {
    const embeds = [
      { title: 'T'.repeat(256), description: 'd'.repeat(4096), footer: { text: 'f'.repeat(1600) } },
      { description: 'x'.repeat(2000), footer: { text: 'digest' } },
    ];
    const marked = withDeliveryMarker({ content: 'c'.repeat(3000), embeds }, 77);
    expect(hasDeliveryMarker(marked.embeds.at(-1)!.footer!.text, 77)).toBe(true);
    expect(marked.content!.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(messageBodyProblems(marked, { create: true })).toEqual([]);
    expect(withDeliveryMarker({ embeds: [] }, 5).embeds).toEqual([{ footer: { text: 'd5' } }]);
  });

  it.each([
    ['a 257-character title', [{ title: 't'.repeat(257) }]],
    ['a 4097-character description', [{ description: 'd'.repeat(4097) }]],
    ['26 fields', [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }]],
    ['a 257-character field name', [{ fields: [{ name: 'n'.repeat(257), value: 'v' }] }]],
    ['a 1025-character field value', [{ fields: [{ name: 'n', value: 'v'.repeat(1025) }] }]],
    ['a 2049-character footer', [{ footer: { text: 'f'.repeat(2049) } }]],
    ['7000 characters across two embeds', [{ description: 'a'.repeat(3500) }, { description: 'b'.repeat(3500) }]],
  ])('flags %s (the checker itself can fail)', (_what, embeds) => {
    expect(embedViolations(embeds)).toHaveLength(1);
    expect(messageBodyProblems({ embeds }, { create: true })).toHaveLength(1);
  });
});
