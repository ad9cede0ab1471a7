import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { customerReplyFits, renderCustomerReply as discordReply } from '../../../src/platforms/discord/render-reply.ts';
import {
  renderCustomerReply,
  renderFailedNotice,
  replyAuthorName,
  replyMetadata,
} from '../../../src/platforms/slack/render-reply.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';

/** What a customer receives as a reply (Slack and Discord), whole, and what its author is told when it fails. */

describe('a reply on Slack, whole', () => {
  it('names the author on a first line when koe cannot post under their name, the body trimmed, emoji shown', () => {
    const reply = message({ direction: 'outbound', authorName: '  Sato\n\tTaro ', body: '\n  Hello *there*  \n' });
    expect(renderCustomerReply(reply, { named: false })).toEqual({
      text: 'Sato Taro: Hello ∗there∗',
      blocks: [
        { type: 'context', elements: [{ type: 'mrkdwn', text: '*Sato Taro*', verbatim: true }] },
        { type: 'section', text: { type: 'plain_text', text: 'Hello *there*', emoji: true } },
      ],
    });
    expect(renderCustomerReply(reply, { named: true })).toEqual({
      text: 'Hello ∗there∗',
      blocks: [{ type: 'section', text: { type: 'plain_text', text: 'Hello *there*', emoji: true } }],
    });
  });

  it('sends under "koe" when the author has no name, and "-" for no text', () => {
    expect(replyAuthorName(message({ authorName: null }))).toBe('koe');
    expect(replyAuthorName(message({ authorName: ' \n ' }))).toBe('koe');
    expect(renderCustomerReply(message({ body: '  ' }), { named: true }).blocks).toEqual([
      { type: 'section', text: { type: 'plain_text', text: '-', emoji: true } },
    ]);
  });

  it('tags a reply with its delivery', () => {
    expect(replyMetadata(4)).toEqual({ event_type: 'koe_reply', event_payload: { delivery_id: 4 } });
  });

  it('tells the author which reply failed and why, the error as text', () => {
    const settings = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    const failed = renderFailedNotice(inquiryView(), message({ replyError: 'not_in_*channel*' }), settings);
    expect(failed.blocks).toHaveLength(1);
    const block = failed.blocks[0] as { type: string; text: { type: string; text: string; verbatim: boolean } };
    expect(block.type).toBe('section');
    expect(block.text.verbatim).toBe(true);
    expect(block.text.text).toBe(
      "Your reply to #12 could not be sent: not_inˍ∗channel∗. Retry is on its line in the inquiry's thread.",
    );
    expect(failed.text).not.toBe('');
    expect(renderFailedNotice(inquiryView(), message({ replyError: null }), settings).blocks[0]).toMatchObject({
      text: { text: "Your reply to #12 could not be sent: ?. Retry is on its line in the inquiry's thread." },
    });
  });
});

describe('a reply on Discord', () => {
  it('puts the trimmed author in bold over the escaped body, or the body alone', () => {
    expect(discordReply({ body: 'a *b*', authorName: '  Sato ' })).toBe('**Sato**\na \\*b\\*');
    expect(discordReply({ body: 'a', authorName: '  ' })).toBe('a');
    expect(discordReply({ body: 'a', authorName: null })).toBe('a');
  });

  it('fits at exactly 2,000 characters once escaped, and not at 2,001', () => {
    expect(customerReplyFits({ body: 'x'.repeat(2000), authorName: null })).toEqual({ fits: true, length: 2000 });
    expect(customerReplyFits({ body: 'x'.repeat(2001), authorName: null })).toEqual({ fits: false, length: 2001 });
    expect(customerReplyFits({ body: '*'.repeat(1001), authorName: null })).toEqual({ fits: false, length: 2002 });
  });
});
