import type { types } from '@slack/bolt';
import { REPLY_MAX } from '../../core/actions.ts';
import type { Locale } from '../../core/reasons/taxonomy.ts';
import { wordsFor } from '../words/index.ts';
import { chunk, mrkdwnLiteral, plainText, sanitize } from './text.ts';

/**
 * The two modals a reply to a customer goes through on Slack, drawn purely: the reply form (the
 * mirror's "Reply to customer") and the confirmation of "Send to customer" on a note. Each says first
 * where the reply goes, so nobody sends to a customer without seeing whom and where.
 */

/** Slack's documented limits for a modal view (docs.slack.dev/reference/views/modal-views). */
export const MODAL_LIMITS = {
  title: 24,
  button: 24,
  blocks: 100,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  sectionText: 3000,
  contextText: 3000,
} as const;

/** The views' callback ids: the form, and the confirmation of a note. */
export const REPLY_VIEWS = { form: 'koe_reply_form', confirm: 'koe_reply_confirm' } as const;

/** The form's one input, by block and action id (view_submission's `state.values[block][action]`). */
export const REPLY_INPUT = { block: 'koe_reply_body', action: 'koe_reply_text' } as const;

/** What a view carries through Slack between opening and submission. */
export interface ReplyViewState {
  inquiryId: number;
  /** Where the view was opened from (the mirror's channel and thread), for the confirmation. */
  channel: string | null;
  threadTs: string | null;
  /** The note's text, in the confirmation only: what is shown is what is sent. */
  text?: string;
}

/**
 * `private_metadata`: `<id>|<channel>|<thread ts>`, then the note's text after a newline, unescaped so
 * it never grows (a note is at most REPLY_MAX characters; the field holds 3000).
 */
export function encodeViewState(state: ReplyViewState): string {
  const head = `${state.inquiryId}|${state.channel ?? ''}|${state.threadTs ?? ''}`;
  return state.text === undefined ? head : `${head}\n${state.text}`;
}

/** The state back from `private_metadata`, or null when it is not one koe wrote. */
export function decodeViewState(metadata: unknown): ReplyViewState | null {
  if (typeof metadata !== 'string') return null;
  const newline = metadata.indexOf('\n');
  const head = newline === -1 ? metadata : metadata.slice(0, newline);
  const [id = '', channel = '', threadTs = '', ...extra] = head.split('|');
  const inquiryId = Number(id);
  if (extra.length > 0 || !/^\d{1,15}$/.test(id) || !Number.isSafeInteger(inquiryId) || inquiryId <= 0) return null;
  return {
    inquiryId,
    channel: channel || null,
    threadTs: threadTs || null,
    ...(newline !== -1 && { text: metadata.slice(newline + 1) }),
  };
}

const plain = (text: string, max: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: plainText(text, max),
  emoji: true,
});

/** Where the reply goes (`where` is mrkdwn already, the customer's name escaped), and which inquiry. */
function whereBlock(locale: Locale, where: string, inquiry: { id: number; subject: string | null }): types.KnownBlock {
  const subject = inquiry.subject ? ` · ${mrkdwnLiteral(inquiry.subject, 300)}` : '';
  return {
    type: 'context',
    block_id: 'koe_reply_where',
    elements: [
      { type: 'mrkdwn', text: `*${wordsFor(locale).replies.goesTo(where)}*\n#${inquiry.id}${subject}`, verbatim: true },
    ],
  };
}

/** The reply form: where it goes, then one empty multi-line field of at most REPLY_MAX characters. */
export function replyFormView(
  locale: Locale,
  input: { where: string; inquiry: { id: number; subject: string | null }; state: ReplyViewState },
): types.ModalView {
  const w = wordsFor(locale).replies;
  return {
    type: 'modal',
    callback_id: REPLY_VIEWS.form,
    title: plain(w.replyToCustomer, MODAL_LIMITS.title),
    submit: plain(w.submit, MODAL_LIMITS.button),
    close: plain(w.cancel, MODAL_LIMITS.button),
    private_metadata: encodeViewState({ ...input.state, text: undefined }),
    blocks: [
      whereBlock(locale, input.where, input.inquiry),
      {
        type: 'input',
        block_id: REPLY_INPUT.block,
        label: plain(w.fieldLabel, MODAL_LIMITS.inputLabel),
        element: {
          type: 'plain_text_input',
          action_id: REPLY_INPUT.action,
          multiline: true,
          max_length: REPLY_MAX,
          focus_on_load: true,
        },
      },
    ],
  };
}

/** "Send to customer"'s confirmation: where it goes, then the note's text exactly as the customer gets it. */
export function confirmView(
  locale: Locale,
  input: { where: string; inquiry: { id: number; subject: string | null }; state: ReplyViewState & { text: string } },
): types.ModalView {
  const w = wordsFor(locale).replies;
  // plain_text with emoji off: Slack shows it as written, with no markup and no :emoji: codes.
  const text = chunk(sanitize(input.state.text), MODAL_LIMITS.sectionText).map(
    (piece): types.KnownBlock => ({
      type: 'section',
      text: { type: 'plain_text', text: piece.trim() === '' ? '-' : piece, emoji: false },
    }),
  );
  return {
    type: 'modal',
    callback_id: REPLY_VIEWS.confirm,
    title: plain(w.sendToCustomer, MODAL_LIMITS.title),
    submit: plain(w.submit, MODAL_LIMITS.button),
    close: plain(w.cancel, MODAL_LIMITS.button),
    private_metadata: encodeViewState(input.state),
    blocks: [
      whereBlock(locale, input.where, input.inquiry),
      { type: 'section', text: { type: 'mrkdwn', text: `*${w.confirmLead}*` } },
      ...text,
    ],
  };
}

/** A modal that only says something (a refusal after "Send"), with its close button. */
export function noticeView(locale: Locale, title: string, notice: string): types.ModalView {
  const w = wordsFor(locale).replies;
  return {
    type: 'modal',
    title: plain(title, MODAL_LIMITS.title),
    close: plain(w.close, MODAL_LIMITS.button),
    blocks: chunk(sanitize(notice), MODAL_LIMITS.sectionText)
      .slice(0, 4)
      .map((piece): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: piece.trim() || '-' } })),
  };
}
