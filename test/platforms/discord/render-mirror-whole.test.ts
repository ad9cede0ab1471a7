import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderInquiryMessage, renderThreadMessage } from '../../../src/platforms/discord/render.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';

/**
 * The Discord mirror and thread lines, whole, in the states that change what is drawn: which
 * fields, buttons and markers appear in which state, and customer text escaped.
 */

const settings: RenderSettings = {
  locale: 'en',
  timezone: 'Asia/Tokyo',
  reasons: DEFAULT_REASONS,
  dueOf: () => ({ target: 'first_response', dueAt: Date.parse('2026-11-23T03:00:00Z'), state: 'due_soon' }),
};
const claimed = inquiryView(
  {
    status: 'claimed',
    assigneeId: 'slack:U0ALICE',
    assigneeName: 'alice',
    reasonSource: 'classifier',
    reasonConfidence: 0.876,
  },
  { messageCount: 3, reactionCounts: { eyes: 2, '👀': 1, zero: 0 } },
);
const resolved = inquiryView(
  {
    status: 'resolved',
    subject: null,
    url: null,
    reasonId: null,
    reasonSource: null,
    body: '\n  first *line*\nsecond',
  },
  { customer: null },
);

describe('the Discord mirror, whole', () => {
  it('draws a claimed inquiry with its delivery marker: holder, auto reason, due, customer, link, counts, Claim disabled, Reply', () => {
    expect(renderInquiryMessage(claimed, settings, { deliveryId: 7, canReply: true })).toEqual({
      embeds: [
        {
          title: '#12 ログインできません',
          color: 3447003,
          fields: [
            { name: 'Reason', value: 'Account & login (auto, 88%)', inline: true },
            { name: 'Status', value: 'Claimed · alice', inline: true },
            { name: 'Due', value: '⏰ First response due Mon, Nov 23, 12:00 · due soon', inline: true },
            { name: 'Customer', value: '山田 花子 · hanako@example.com', inline: true },
            { name: 'Received', value: '2026-11-23 09:05', inline: true },
            { name: 'Source', value: 'web · [link](https://example.com/form/42)', inline: true },
            { name: 'Messages', value: '3', inline: true },
            { name: 'Reactions', value: 'eyes 2  👀 1', inline: true },
          ],
          footer: { text: 'koe #12 · d7' },
          description: 'パスワードを再設定してもログインできません。',
        },
      ],
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, label: 'Claim', custom_id: 'koe:claim:12', emoji: { name: '🙋' }, disabled: true },
            { type: 2, style: 3, label: 'Resolve', custom_id: 'koe:resolve:12', emoji: { name: '✅' } },
            { type: 2, style: 2, label: 'Reply to customer', custom_id: 'koe:reply:12', emoji: { name: '✉️' } },
          ],
        },
        {
          type: 1,
          components: [
            {
              type: 3,
              custom_id: 'koe:reason:12',
              placeholder: 'Choose the contact reason',
              min_values: 1,
              max_values: 1,
              options: [
                { label: 'How to', value: 'how_to', default: false },
                { label: 'Pricing & plans', value: 'pricing_plan', default: false },
                { label: 'Billing', value: 'billing', default: false },
                { label: 'Bug / outage', value: 'bug', default: false },
                { label: 'Feature request', value: 'feature_request', default: false },
                { label: 'Account & login', value: 'account', default: true },
                { label: 'Cancellation', value: 'cancellation', default: false },
                { label: 'Other', value: 'other', default: false },
              ],
            },
          ],
        },
      ],
    });
  });

  it('draws a resolved inquiry titled by its first line, escaped: Reopen only, no customer, link or marker', () => {
    expect(renderInquiryMessage(resolved, settings)).toEqual({
      embeds: [
        {
          title: '#12 first \\*line\\*',
          color: 3066993,
          fields: [
            { name: 'Reason', value: 'Unclassified', inline: true },
            { name: 'Status', value: 'Resolved', inline: true },
            { name: 'Due', value: '⏰ First response due Mon, Nov 23, 12:00 · due soon', inline: true },
            { name: 'Received', value: '2026-11-23 09:05', inline: true },
            { name: 'Source', value: 'web', inline: true },
          ],
          footer: { text: 'koe #12' },
          description: '\n  first \\*line\\*\nsecond',
        },
      ],
      components: [
        {
          type: 1,
          components: [{ type: 2, style: 2, label: 'Reopen', custom_id: 'koe:reopen:12', emoji: { name: '↩️' } }],
        },
        {
          type: 1,
          components: [
            {
              type: 3,
              custom_id: 'koe:reason:12',
              placeholder: 'Choose the contact reason',
              min_values: 1,
              max_values: 1,
              options: [
                { label: 'How to', value: 'how_to', default: false },
                { label: 'Pricing & plans', value: 'pricing_plan', default: false },
                { label: 'Billing', value: 'billing', default: false },
                { label: 'Bug / outage', value: 'bug', default: false },
                { label: 'Feature request', value: 'feature_request', default: false },
                { label: 'Account & login', value: 'account', default: false },
                { label: 'Cancellation', value: 'cancellation', default: false },
                { label: 'Other', value: 'other', default: false },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('Discord thread lines, whole', () => {
  it('draws a failed reply with its state and Retry, a queued one with Undo, and a note with no author', () => {
    const failed = message({
      id: 5,
      direction: 'outbound',
      body: 'We *fixed* it\nThanks',
      authorId: 'slack:U0BOB',
      authorName: 'bob',
      replyState: 'failed',
      replyError: 'channel_not_found',
    });
    const queued = message({
      id: 6,
      direction: 'outbound',
      body: 'On it',
      authorId: null,
      authorName: 'api <x>',
      replyState: 'queued',
    });
    const note = message({ id: 7, direction: 'note', body: '', authorId: null, authorName: null });
    expect(renderThreadMessage(claimed, failed, settings, { deliveryId: 9 })).toEqual({
      embeds: [
        {
          author: { name: 'Reply · bob' },
          color: 15158332,
          footer: { text: 'koe #12 · 2026-11-23 09:05 · d9' },
          description: '⚠️ Reply by bob could not be sent: channel\\_not\\_found\n\nWe \\*fixed\\* it\nThanks',
        },
      ],
      components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Retry', custom_id: 'koe:reply_retry:12:5' }] }],
    });
    expect(renderThreadMessage(claimed, queued, settings)).toEqual({
      embeds: [
        {
          author: { name: 'Reply · api <x>' },
          color: 9807270,
          footer: { text: 'koe #12 · 2026-11-23 09:05' },
          description: '↩︎ Reply to the customer by api \\<x\\>: leaves at 09:05:00 unless undone\n\nOn it',
        },
      ],
      components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Undo', custom_id: 'koe:reply_undo:12:6' }] }],
    });
    expect(renderThreadMessage(claimed, note, settings)).toEqual({
      embeds: [
        {
          author: { name: 'Internal note' },
          color: 9807270,
          footer: { text: 'koe #12 · 2026-11-23 09:05' },
          description: '',
        },
      ],
    });
  });
});
