import {
  ComponentType,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type Client,
  type Message,
} from 'discord.js';
import { REPLY_MAX } from '../../../core/actions.ts';
import type { ReplyTarget } from '../../../core/context.ts';
import type { Locale } from '../../../core/reasons/taxonomy.ts';
import { replyWhere } from '../../replies.ts';
import { wordsFor } from '../../words/index.ts';
import { DISCORD_LIMITS as L, truncate } from '../limits.ts';
import { unescapeMarkdown } from '../markdown.ts';
import { customId } from '../render.ts';

/** The custom_id of the form's one text input. */
export const REPLY_INPUT = 'text';

/**
 * The reply form (a modal, interaction response type 9): its title says who gets the reply and
 * where (`Goes to Yamada, as a reply in #help.`, cut to 45), and one paragraph input of at most
 * REPLY_MAX characters. Empty from the mirror's button (the placeholder repeats where it goes, whole);
 * prefilled with a note's text from "Send to customer".
 */
export function replyForm(p: {
  inquiryId: number;
  locale: Locale;
  target: ReplyTarget;
  customer: string;
  channelName: (platform: string, channel: string) => string;
  value?: string;
}): APIModalInteractionResponseCallbackData {
  const words = wordsFor(p.locale).replies;
  const where = (customer: string, cut: number) =>
    words.goesTo(replyWhere(p.locale, p.target, customer, (pl, c) => truncate(p.channelName(pl, c), cut)));
  const input = {
    type: ComponentType.TextInput as const,
    custom_id: REPLY_INPUT,
    style: TextInputStyle.Paragraph,
    label: truncate(words.fieldLabel, L.textInputLabel),
    required: true,
    min_length: 1,
    max_length: REPLY_MAX,
    placeholder: truncate(where(p.customer, 40), L.textInputPlaceholder),
    ...(p.value ? { value: truncate(p.value, REPLY_MAX) } : {}),
  };
  return {
    custom_id: customId('reply_form', p.inquiryId),
    // The customer's name and the channel are cut first, so the title still says both.
    title: truncate(where(truncate(p.customer, 12), 14), L.modalTitle),
    components: [{ type: ComponentType.ActionRow, components: [input] }],
  };
}

/** `#name` of a Discord channel the bot sees (modal text shows no mentions); the bare id otherwise. */
export function channelNameOf(client: Client): (platform: string, channel: string) => string {
  return (platform, channel) => {
    const found = platform === 'discord' ? client.channels.cache.get(channel) : undefined;
    return found && 'name' in found && found.name ? `#${found.name}` : channel;
  };
}

/**
 * The text of a note in a mirror's thread, for "Send to customer"; null for anything else. A note is
 * a message a person wrote in the thread (the thread is koe's, so what staff write there stays
 * internal), or koe's own "Internal note" post (its text is the embed's, escaped by koe: unescaped
 * here). koe's other posts (the customer's messages, replies, state lines) are not notes.
 */
export function noteText(message: Message, botUserId: string | undefined, locale: Locale): string | null {
  if (message.author.id !== botUserId) {
    if (message.author.bot || message.system) return null;
    return message.content.trim() || null;
  }
  const embed = message.embeds[0];
  const note = wordsFor(locale).direction.note;
  if (!embed?.author?.name.startsWith(note) || !embed.description) return null;
  return unescapeMarkdown(embed.description).trim() || null;
}
