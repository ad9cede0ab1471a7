import { describe, expect, it } from 'vitest';
import { inquiryMetadata, renderNotice, replyButtonValue } from '../../../src/platforms/slack/render.ts';
import { msToTs, tsToMs } from '../../../src/platforms/slack/text.ts';

/** Plain answers, the metadata every post carries, and Slack's timestamps. */

describe('renderNotice', () => {
  it('drops what Slack refuses, splits into at most four sections of 3,000, and keeps the fallback short', () => {
    const notice = renderNotice(`a\u0000b\n${'x'.repeat(13_000)}`);
    expect(notice.blocks.map((b) => (b as { text: { text: string } }).text.text.length)).toEqual([
      3000, 3000, 3000, 3000,
    ]);
    expect((notice.blocks[0] as { text: { text: string } }).text.text.startsWith('ab\nxx')).toBe(true);
    expect(notice.blocks.every((b) => (b as { text: { type: string } }).text.type === 'mrkdwn')).toBe(true);
    expect(notice.text).toHaveLength(1200);
    expect(notice.text.endsWith('x…')).toBe(true);
  });

  it('never sends an empty section', () => {
    expect(renderNotice('  \n ').blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '-' } }]);
    expect(renderNotice('short').text).toBe('short');
  });
});

describe('metadata and values', () => {
  it('tags a post with its inquiry and delivery, and a reply button with inquiry and message', () => {
    expect(inquiryMetadata(3, 9)).toEqual({
      event_type: 'koe_inquiry',
      event_payload: { inquiry_id: 3, delivery_id: 9 },
    });
    expect(replyButtonValue(3, 9)).toBe('3:9');
  });
});

describe('Slack timestamps', () => {
  it('reads a ts as milliseconds, rounded', () => {
    expect(tsToMs('1700000000.000100')).toBe(1_700_000_000_000);
    expect(tsToMs('1700000000.0005')).toBe(1_700_000_000_001);
  });

  it('writes milliseconds as a ts bound, never below zero', () => {
    expect(msToTs(1_700_000_000_123)).toBe('1700000000.123000');
    expect(msToTs(1_700_000_000_005)).toBe('1700000000.005000');
    expect(msToTs(-5)).toBe('0.000000');
  });
});
