import type { types } from '@slack/bolt';
import type { InquiryView, Message } from '../../core/inquiries/types.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { LIMITS, REPLY_METADATA_EVENT_TYPE, type SlackMessage } from './render.ts';
import { chunk, mrkdwnLiteral, plainText, sanitize } from './text.ts';

/** Slack shows at most 80 characters of a customised username. */
export const USERNAME_MAX = 80;
const FALLBACK_CHARS = 3_000;

/** The name a reply is sent under: its author's, as stored. */
export function replyAuthorName(message: Message): string {
  const name = sanitize(message.authorName ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return name || 'koe';
}

/**
 * A reply as the customer receives it in their thread. The text is shown exactly as typed: it goes in
 * plain_text sections, which Slack never reads as markup, so `<!channel>`, `<@U…>`, `<url|label>`,
 * `*bold*` and `@here` reach the customer as characters, mention no one and hide no link. Emoji codes
 * (`:bow:`) still show as emoji, as everywhere else in Slack. When koe may post under the author's
 * name (`chat:write.customize`), Slack shows that name; otherwise a first line names them.
 */
export function renderCustomerReply(message: Message, options: { named: boolean }): SlackMessage {
  const name = replyAuthorName(message);
  const body = sanitize(message.body).trim() || '-';
  const byLine: types.KnownBlock[] = options.named
    ? []
    : [{ type: 'context', elements: [{ type: 'mrkdwn', text: `*${mrkdwnLiteral(name, 200)}*`, verbatim: true }] }];
  const sections = chunk(body, LIMITS.sectionText).map(
    (piece): types.KnownBlock => ({
      type: 'section',
      text: { type: 'plain_text', text: plainText(piece, LIMITS.sectionText), emoji: true },
    }),
  );
  // The notification's text: Slack does read it as mrkdwn, so it is made literal too.
  const text = mrkdwnLiteral(options.named ? body : `${name}: ${body}`, FALLBACK_CHARS);
  return { text, blocks: [...byLine, ...sections] };
}

/** The metadata a reply carries: its delivery id, so a reply whose answer was lost is found, not sent again. */
export function replyMetadata(deliveryId: number) {
  return { event_type: REPLY_METADATA_EVENT_TYPE, event_payload: { delivery_id: deliveryId } };
}

/** The private notice to a reply's author that it failed: which inquiry, why, and where Retry is. */
export function renderFailedNotice(view: InquiryView, message: Message, settings: RenderSettings): SlackMessage {
  const words = wordsFor(settings.locale);
  const error = mrkdwnLiteral(message.replyError ?? '?', 600);
  const notice = words.replies.failedNotice({ id: view.inquiry.id, error });
  return {
    text: words.slack.replyFailedTitle,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: notice, verbatim: true } }],
  };
}
