import type { Message } from '../../core/inquiries/types.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { escapeMarkdown } from './markdown.ts';

/**
 * The message a customer receives on Discord: the author's name in bold, then the reply. The bot's
 * own name and avatar already say it comes from the team (whatever the app is called), so the line
 * names only the person, as a signature would; "(koe)" would name a tool the customer never chose.
 *
 * Everything is escaped (`escapeMarkdown`): staff type plain text in a form, and the customer must
 * see exactly what the form showed. A `[label](address)` quoted from elsewhere cannot become a link
 * with a lying label, and `@everyone` is inert anyway (`allowed_mentions: { parse: [] }`). Bare web
 * addresses stay links; their previews are suppressed by the sender.
 */
export function renderCustomerReply(message: Pick<Message, 'body' | 'authorName'>): string {
  const body = escapeMarkdown(message.body);
  const name = message.authorName?.trim();
  return name ? `**${escapeMarkdown(name)}**\n${body}` : body;
}

/** Whether the reply fits Discord's 2000 characters once escaped; `length` is what it would be. */
export function customerReplyFits(message: Pick<Message, 'body' | 'authorName'>): { fits: boolean; length: number } {
  const length = renderCustomerReply(message).length;
  return { fits: length <= DISCORD_LIMITS.content, length };
}
