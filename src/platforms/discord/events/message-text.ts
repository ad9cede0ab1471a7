import type { Message, PartialMessage } from 'discord.js';
import type { Locale } from '../../../core/reasons/taxonomy.ts';
import { miscWords } from '../../replies.ts';

/**
 * A Discord message as inquiry text: its content, then one line per attachment with its name and its
 * link (an image-only post is still an inquiry), or a placeholder so an empty message never fails
 * intake validation. The name is the customer's to choose: every renderer escapes the body it is in,
 * so it shows as text, and the link is a bare address that leads where it says.
 */
export function messageBody(message: Message | PartialMessage, locale: Locale): string {
  const parts: string[] = [];
  const content = message.content?.trim();
  if (content) parts.push(content);
  for (const attachment of message.attachments?.values() ?? []) parts.push(`📎 ${attachment.name} ${attachment.url}`);
  for (const embed of message.embeds ?? []) {
    const text = [embed.title, embed.description].filter(Boolean).join('\n');
    if (text) parts.push(text);
  }
  return parts.length > 0 ? parts.join('\n') : miscWords(locale).emptyMessage;
}
