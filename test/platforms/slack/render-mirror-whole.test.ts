import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderInquiry, renderThreadMessage, type SlackRenderSettings } from '../../../src/platforms/slack/render.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';

/**
 * The Slack mirror and thread lines, whole, in the states that change what is drawn (claimed with a
 * due time, a reply and reactions; resolved with nothing to spare; replies queued and failed; a
 * note with no text): which fields, buttons and controls appear in which state.
 */

const base = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
const settings: SlackRenderSettings = {
  ...base,
  dueOf: () => ({ target: 'first_response', dueAt: Date.parse('2026-11-23T03:00:00Z'), state: 'due_soon' }),
  canReply: () => true,
  workspaceUrl: () => 'https://acme.slack.com',
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

describe('the Slack mirror, whole', () => {
  it('draws a claimed inquiry: holder, auto reason with its confidence, due line first, reactions, Unclaim, Resolve, Reply', () => {
    expect(renderInquiry(claimed, settings)).toEqual({
      text: '#12 [Account &amp; login] Claimed — ログインできません',
      blocks: [
        {
          type: 'header',
          block_id: 'koe-12-1795392300000-header',
          text: { type: 'plain_text', text: '🟡 #12 Claimed · Account & login', emoji: true },
        },
        {
          type: 'section',
          block_id: 'koe-12-1795392300000-fields',
          fields: [
            { type: 'mrkdwn', text: '*Customer*\n山田 花子 &lt;hanako@example.com&gt;', verbatim: true },
            { type: 'mrkdwn', text: '*Assignee*\n<@U0ALICE>', verbatim: true },
            { type: 'mrkdwn', text: '*Reason*\nAccount &amp; login (auto, 88%)', verbatim: true },
            { type: 'mrkdwn', text: '*Subject*\nログインできません', verbatim: true },
          ],
        },
        {
          type: 'section',
          block_id: 'koe-12-1795392300000-body',
          text: { type: 'plain_text', text: 'パスワードを再設定してもログインできません。', emoji: false },
        },
        {
          type: 'context',
          block_id: 'koe-12-1795392300000-meta',
          elements: [
            { type: 'mrkdwn', text: '⏰ First response due Mon, Nov 23, 12:00 · due soon', verbatim: true },
            {
              type: 'mrkdwn',
              text: 'Received 2026-11-23 09:05 · Source web · <https://example.com/form/42|original> · 💬 3',
              verbatim: true,
            },
            { type: 'mrkdwn', text: '👀 1  :eyes: 2' },
          ],
        },
        {
          type: 'actions',
          block_id: 'koe-12-1795392300000-actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Unclaim', emoji: true },
              action_id: 'koe_unclaim',
              value: '12',
            },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Resolve', emoji: true },
              action_id: 'koe_resolve',
              value: '12',
            },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Reply to customer', emoji: true },
              action_id: 'koe_reply_open',
              value: '12',
            },
            {
              type: 'static_select',
              action_id: 'koe_reason',
              placeholder: { type: 'plain_text', text: 'Choose the contact reason', emoji: true },
              options: [
                { text: { type: 'plain_text', text: 'How to', emoji: true }, value: 'how_to' },
                { text: { type: 'plain_text', text: 'Pricing & plans', emoji: true }, value: 'pricing_plan' },
                { text: { type: 'plain_text', text: 'Billing', emoji: true }, value: 'billing' },
                { text: { type: 'plain_text', text: 'Bug / outage', emoji: true }, value: 'bug' },
                { text: { type: 'plain_text', text: 'Feature request', emoji: true }, value: 'feature_request' },
                { text: { type: 'plain_text', text: 'Account & login', emoji: true }, value: 'account' },
                { text: { type: 'plain_text', text: 'Cancellation', emoji: true }, value: 'cancellation' },
                { text: { type: 'plain_text', text: 'Other', emoji: true }, value: 'other' },
              ],
              initial_option: { text: { type: 'plain_text', text: 'Account & login', emoji: true }, value: 'account' },
            },
          ],
        },
      ],
    });
  });

  it('draws a resolved, unclassified inquiry with no customer, subject or link: Reopen only, the hint to pick a reason', () => {
    expect(renderInquiry(resolved, base)).toEqual({
      text: '#12 [Unclassified] Resolved — first ∗line∗ second',
      blocks: [
        {
          type: 'header',
          block_id: 'koe-12-1795392300000-header',
          text: { type: 'plain_text', text: '✅ #12 Resolved · Unclassified', emoji: true },
        },
        {
          type: 'section',
          block_id: 'koe-12-1795392300000-fields',
          fields: [
            { type: 'mrkdwn', text: '*Customer*\n(unknown)', verbatim: true },
            { type: 'mrkdwn', text: '*Assignee*\nUnassigned', verbatim: true },
            { type: 'mrkdwn', text: '*Reason*\nUnclassified: pick a reason below.', verbatim: true },
          ],
        },
        {
          type: 'section',
          block_id: 'koe-12-1795392300000-body',
          text: { type: 'plain_text', text: 'first *line*\nsecond', emoji: false },
        },
        {
          type: 'context',
          block_id: 'koe-12-1795392300000-meta',
          elements: [{ type: 'mrkdwn', text: 'Received 2026-11-23 09:05 · Source web', verbatim: true }],
        },
        {
          type: 'actions',
          block_id: 'koe-12-1795392300000-actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Reopen', emoji: true },
              action_id: 'koe_reopen',
              value: '12',
            },
            {
              type: 'static_select',
              action_id: 'koe_reason',
              placeholder: { type: 'plain_text', text: 'Choose the contact reason', emoji: true },
              options: [
                { text: { type: 'plain_text', text: 'How to', emoji: true }, value: 'how_to' },
                { text: { type: 'plain_text', text: 'Pricing & plans', emoji: true }, value: 'pricing_plan' },
                { text: { type: 'plain_text', text: 'Billing', emoji: true }, value: 'billing' },
                { text: { type: 'plain_text', text: 'Bug / outage', emoji: true }, value: 'bug' },
                { text: { type: 'plain_text', text: 'Feature request', emoji: true }, value: 'feature_request' },
                { text: { type: 'plain_text', text: 'Account & login', emoji: true }, value: 'account' },
                { text: { type: 'plain_text', text: 'Cancellation', emoji: true }, value: 'cancellation' },
                { text: { type: 'plain_text', text: 'Other', emoji: true }, value: 'other' },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('Slack thread lines, whole', () => {
  it('draws a failed reply with its error and Retry, a queued one with Undo, and a note with no text', () => {
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
    expect(renderThreadMessage(claimed, failed, settings)).toEqual({
      text: '#12 Reply: We ∗fixed∗ it Thanks',
      blocks: [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '*Reply* · <@U0BOB> · 2026-11-23 09:05', verbatim: true }],
        },
        { type: 'section', text: { type: 'plain_text', text: 'We *fixed* it\nThanks', emoji: false } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '⚠️ Reply by bob could not be sent: channel_not_found', verbatim: true }],
        },
        {
          type: 'actions',
          block_id: 'koe-reply-5-failed',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Retry', emoji: true },
              action_id: 'koe_reply_retry',
              value: '12:5',
              style: 'primary',
            },
          ],
        },
      ],
    });
    expect(renderThreadMessage(claimed, queued, settings)).toEqual({
      text: '#12 Reply: On it',
      blocks: [
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: '*Reply* · api &lt;x&gt; · 2026-11-23 09:05', verbatim: true }],
        },
        { type: 'section', text: { type: 'plain_text', text: 'On it', emoji: false } },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '↩︎ Reply to the customer by api &lt;x&gt;: leaves at 09:05:00 unless undone',
              verbatim: true,
            },
          ],
        },
        {
          type: 'actions',
          block_id: 'koe-reply-6-queued',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Undo', emoji: true },
              action_id: 'koe_reply_undo',
              value: '12:6',
              style: 'danger',
            },
          ],
        },
      ],
    });
    expect(renderThreadMessage(claimed, note, settings)).toEqual({
      text: '#12 Internal note: -',
      blocks: [
        { type: 'context', elements: [{ type: 'mrkdwn', text: '*Internal note* · 2026-11-23 09:05', verbatim: true }] },
        { type: 'section', text: { type: 'plain_text', text: '-', emoji: false } },
      ],
    });
  });
});
