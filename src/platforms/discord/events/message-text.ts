import type { Message, PartialMessage } from 'discord.js';
import type { Locale } from '../../../core/reasons/taxonomy.ts';
import { miscWords } from '../../replies.ts';

/**
 * A Discord message as inquiry text: its content, then its attachments' links (an image-only post
 * is still an inquiry), or a placeholder so an empty message never fails intake validation.
 */
export function messageBody(message: Message | PartialMessage, locale: Locale): string {
  const parts: string[] = [];
  const content = message.content?.trim();
  if (content) parts.push(content);
  for (const attachment of message.attachments?.values() ?? []) parts.push(attachment.url);
  for (const embed of message.embeds ?? []) {
    const text = [embed.title, embed.description].filter(Boolean).join('\n');
    if (text) parts.push(text);
  }
  return parts.length > 0 ? parts.join('\n') : miscWords(locale).emptyMessage;
}
