import { describe, expect, it } from 'vitest';
import type { Message, ReplyState } from '../../../src/core/inquiries/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { fileLines, filesOf, splitFiles } from '../../../src/platforms/slack/files.ts';
import {
  ACTION_IDS,
  BLOCKS_BUDGET_BYTES,
  renderInquiry,
  renderThreadMessage,
  type SlackRenderSettings,
} from '../../../src/platforms/slack/render.ts';
import { renderCustomerReply, renderFailedNotice } from '../../../src/platforms/slack/render-reply.ts';
import { blockKitProblems } from '../../fakes/slack/block-kit.ts';
import { inquiryView as view, message } from '../../helpers/inquiry-fixtures.ts';

const WORKSPACE = 'https://acme.slack.com/';
const JA: SlackRenderSettings = {
  locale: 'ja',
  timezone: 'Asia/Tokyo',
  reasons: DEFAULT_REASONS,
  workspaceUrl: () => WORKSPACE,
};
const EN: SlackRenderSettings = { ...JA, locale: 'en' };

/** Text that would mention, link, format or break a payload if it were read as markup. */
const HOSTILE = [
  '<!channel> <!here> <!everyone> @channel @here',
  '<@U0ALICE> <#C0SUPPORT> <!subteam^S1|@support>',
  '<https://evil.example/login|Your invoice> https://evil.example/?a=<b>&c',
  '*bold* _italic_ ~strike~ `code` ```block``` > quote',
  '\u0000\u0001\u007f \uD800 lone \uDFFF surrogates',
  '👩‍👩‍👧‍👦 🎫 日本語のテキスト',
].join('\n');

const reply = (over: Partial<Message> = {}): Message =>
  message({
    id: 77,
    direction: 'outbound',
    body: 'お問い合わせありがとうございます。',
    authorId: 'slack:U0ALICE',
    authorName: 'Alice',
    replyState: 'queued',
    sentAt: Date.parse('2026-11-23T00:10:00Z'),
    ...over,
  });

/** Every text in mrkdwn: the only texts Slack parses for mentions and links. */
const mrkdwnTexts = (blocks: any[]): string[] =>
  blocks
    .flatMap((b) => [b.text, ...(b.fields ?? []), ...(b.elements ?? [])])
    .filter((t: any) => t?.type === 'mrkdwn')
    .map((t: any) => t.text as string);
const buttons = (blocks: any[]) =>
  blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.filter((e: any) => e.type === 'button'));
const bytes = (blocks: unknown[]) => Buffer.byteLength(JSON.stringify(blocks), 'utf8');

/** mrkdwn that koe wrote itself may hold `<@U…>` mentions of staff and `<https://acme.slack.com/…|…>` links; nothing else. */
function expectNoMarkupFrom(texts: string[]): void {
  for (const text of texts) {
    const tokens = text.match(/<[^>]*>/g) ?? [];
    for (const token of tokens) expect(token).toMatch(/^<@U0ALICE>$|^<https:\/\/acme\.slack\.com\/files\//);
    expect(text).not.toMatch(/@(channel|here|everyone)\b/);
  }
}

describe("a reply's line in the mirror's thread", () => {
  const cases: Array<[ReplyState, string | null]> = [
    ['queued', ACTION_IDS.replyUndo],
    ['failed', ACTION_IDS.replyRetry],
    ['sent', null],
    ['undone', null],
  ];
  for (const [state, control] of cases) {
    it(`${state}: shows the text, the state line${control ? ` and ${control}` : ', no button'}`, () => {
      const m = reply({ replyState: state, replyError: state === 'failed' ? 'the channel is archived' : null });
      const rendered = renderThreadMessage(view(), m, EN);
      expect(blockKitProblems(rendered)).toEqual([]);
      const all = JSON.stringify(rendered.blocks);
      expect(all).toContain('お問い合わせありがとうございます。');
      const line = {
        queued: 'leaves at 09:10',
        failed: 'could not be sent',
        sent: 'Sent to the customer',
        undone: 'undone',
      };
      expect(all).toContain(line[state]);
      expect(buttons(rendered.blocks).map((b: any) => [b.action_id, b.value])).toEqual(
        control ? [[control, '12:77']] : [],
      );
    });
  }

  it('a message that is not a reply has no state line and no button', () => {
    const rendered = renderThreadMessage(view(), message({ direction: 'note', body: 'internal' }), EN);
    expect(buttons(rendered.blocks)).toEqual([]);
    expect(JSON.stringify(rendered.blocks)).not.toMatch(/leaves at|Sent to the customer/);
  });

  it('stays within Block Kit for a 2,000-character reply of hostile text, in every state, with a hostile name and error', () => {
    const body = HOSTILE.repeat(20).slice(0, 2_000);
    for (const state of ['queued', 'sent', 'failed', 'undone'] as const) {
      for (const settings of [JA, EN]) {
        const m = reply({
          body,
          replyState: state,
          authorId: 'slack:U0ALICE',
          authorName: HOSTILE,
          replyError: HOSTILE.repeat(10).slice(0, 500),
        });
        const rendered = renderThreadMessage(view(), m, settings);
        expect(blockKitProblems(rendered)).toEqual([]);
        expect(bytes(rendered.blocks)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
        expectNoMarkupFrom(mrkdwnTexts(rendered.blocks));
        // The body is shown as typed: plain_text, never read as markup.
        const plain = rendered.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text);
        expect(plain.every((t: any) => t.type === 'plain_text')).toBe(true);
        expect(plain.map((t: any) => t.text).join('')).toContain('<!channel>');
      }
    }
  });

  it('a 2,000-character reply of 4-byte emoji keeps every block and button in the budget', () => {
    const m = reply({ body: '😀'.repeat(1_000), replyState: 'failed', replyError: 'x'.repeat(500) });
    const rendered = renderThreadMessage(view(), m, JA);
    expect(blockKitProblems(rendered)).toEqual([]);
    expect(bytes(rendered.blocks)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
    expect(buttons(rendered.blocks).map((b: any) => b.action_id)).toEqual([ACTION_IDS.replyRetry]);
  });
});

describe('the reply as the customer receives it', () => {
  it('is the text exactly as typed, in plain_text, under the author’s name when koe may set it', () => {
    const m = reply({ body: HOSTILE });
    const named = renderCustomerReply(m, { named: true });
    expect(blockKitProblems(named)).toEqual([]);
    expect(named.blocks.map((b: any) => b.type)).toEqual(['section']);
    expect((named.blocks[0] as any).text).toMatchObject({ type: 'plain_text' });
    expect((named.blocks[0] as any).text.text).toContain('<!channel> <!here>');
    expect((named.blocks[0] as any).text.text).toContain('<https://evil.example/login|Your invoice>');
    // The notification text is mrkdwn: nothing in it may mention or link.
    expect(named.text).not.toMatch(/<[!@#h]/);
    expect(named.text).not.toMatch(/@(channel|here|everyone)\b/);
  });

  it('names its author in a first line when koe may not post under their name, escaped', () => {
    const m = reply({ authorName: '<!channel> *Boss* <https://evil.example|x>' });
    const unnamed = renderCustomerReply(m, { named: false });
    expect(blockKitProblems(unnamed)).toEqual([]);
    expect(unnamed.blocks.map((b: any) => b.type)).toEqual(['context', 'section']);
    expect(mrkdwnTexts(unnamed.blocks).join('')).not.toMatch(/<[!@#h]/);
    expect(unnamed.text.startsWith('&lt;!channel&gt;')).toBe(true);
  });

  it('a 2,000-character reply stays within Block Kit either way', () => {
    for (const body of ['a'.repeat(2_000), 'あ'.repeat(2_000), HOSTILE.repeat(20).slice(0, 2_000)]) {
      for (const named of [true, false]) {
        const rendered = renderCustomerReply(reply({ body }), { named });
        expect(blockKitProblems(rendered)).toEqual([]);
      }
    }
  });

  it('the failed notice to the author stays within Block Kit with a hostile error', () => {
    const rendered = renderFailedNotice(view(), reply({ replyState: 'failed', replyError: HOSTILE.repeat(10) }), EN);
    expect(blockKitProblems(rendered)).toEqual([]);
    expectNoMarkupFrom(mrkdwnTexts(rendered.blocks));
  });
});

describe('the mirror’s Reply to customer button', () => {
  const replyButtons = (settings: SlackRenderSettings) =>
    buttons(renderInquiry(view(), settings).blocks).filter((b: any) => b.action_id === ACTION_IDS.replyOpen);

  it('is there when the inquiry has a way back, with the inquiry id as its value', () => {
    const shown = replyButtons({ ...EN, canReply: () => true });
    expect(shown.map((b: any) => [b.value, b.text.text])).toEqual([['12', 'Reply to customer']]);
  });

  it('is not there without a way back', () => {
    expect(replyButtons({ ...EN, canReply: () => false })).toEqual([]);
    expect(replyButtons(EN)).toEqual([]);
  });

  it('keeps a 100k-character mirror within the budget with the button in', () => {
    const rendered = renderInquiry(view({ body: '😀'.repeat(50_000) }), { ...JA, canReply: () => true });
    expect(blockKitProblems(rendered)).toEqual([]);
    expect(bytes(rendered.blocks)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
  });
});

describe("a customer's files", () => {
  const files = filesOf([
    { name: 'report.pdf', permalink: `${WORKSPACE}files/U0CUST/F1/report.pdf` },
    { title: '<!channel> *invoice* <@U0ALICE>', name: 'x.png', permalink: `${WORKSPACE}files/U0CUST/F2/x.png` },
    { name: 'no-link.txt' },
  ]);
  const body = `Here you go\n\n${fileLines(files)}`;

  it('are stored as names with their permalinks and drawn as links, names escaped', () => {
    expect(splitFiles(body, WORKSPACE)).toEqual({ text: 'Here you go\n', files });
    const mirror = renderInquiry(view({ source: 'slack:C0CUSTOMERS', body, url: null }), EN);
    expect(blockKitProblems(mirror)).toEqual([]);
    const links = mrkdwnTexts(mirror.blocks).find((t) => t.includes('📎'))!;
    expect(links).toContain(`<${WORKSPACE}files/U0CUST/F1/report.pdf|report.pdf>`);
    expect(links).toContain(`<${WORKSPACE}files/U0CUST/F2/x.png|&lt;!channel&gt; ∗invoice∗ &lt;@U0ALICE&gt;>`);
    expectNoMarkupFrom(mrkdwnTexts(mirror.blocks));

    const followUp = renderThreadMessage(view(), message({ body }), EN);
    expect(blockKitProblems(followUp)).toEqual([]);
    expect(mrkdwnTexts(followUp.blocks).join('\n')).toContain(`|report.pdf>`);
  });

  it('a line that only looks like a file, linking outside the workspace, stays text', () => {
    const forged = 'see\n📎 invoice.pdf (https://evil.slack.com/files/U1/F1/invoice.pdf)';
    expect(splitFiles(forged, WORKSPACE).files).toEqual([]);
    const rendered = renderThreadMessage(view(), message({ body: forged }), EN);
    expect(mrkdwnTexts(rendered.blocks).join('')).not.toContain('evil');
  });

  it('hundreds of files stay within one context element', () => {
    const many = filesOf(
      Array.from({ length: 300 }, (_, i) => ({
        name: `${'長'.repeat(150)}${i}`,
        permalink: `${WORKSPACE}files/U/F${i}/x`,
      })),
    );
    const rendered = renderInquiry(view({ body: `hi\n${fileLines(many)}` }), JA);
    expect(blockKitProblems(rendered)).toEqual([]);
    expect(bytes(rendered.blocks)).toBeLessThanOrEqual(BLOCKS_BUDGET_BYTES);
    expect(JSON.stringify(rendered.blocks)).toContain('📎 +');
  });
});
