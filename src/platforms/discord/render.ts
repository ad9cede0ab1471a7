import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
} from 'discord.js';
import type { InquiryStatus, InquiryView, Message, ReplyState } from '../../core/inquiries/types.ts';
import type { Locale } from '../../core/reasons/taxonomy.ts';
import { reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import { replyStateLine } from '../replies.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { DISCORD_LIMITS as L, embedLength, truncate } from './limits.ts';
import { escapeMarkdown, linkTarget } from './markdown.ts';
import { menuReasons } from '../reason-menu.ts';
import { dueLine } from '../due-line.ts';

/** What a mirror or thread message is posted or edited with (the REST body minus nonce and mentions). */
export interface DiscordMessageBody {
  content?: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const STATUS_COLOR: Record<InquiryStatus, number> = { open: 0xe67e22, claimed: 0x3498db, resolved: 0x2ecc71 };
const DIRECTION_COLOR: Record<Message['direction'], number> = { inbound: 0xe67e22, outbound: 0x3498db, note: 0x95a5a6 };
const REPLY_COLOR: Record<ReplyState, number> = {
  queued: 0x95a5a6,
  sent: 0x3498db,
  failed: 0xe74c3c,
  undone: 0x7f8c8d,
};

export type ComponentAction = 'claim' | 'resolve' | 'reopen' | 'reason' | 'reply' | 'reply_form';
/** Controls on one reply's line in a mirror's thread: they name the reply's message too. */
export type ReplyLineAction = 'reply_undo' | 'reply_retry';

/**
 * `koe:<action>:<inquiryId>`, or `koe:<action>:<inquiryId>:<messageId>` for a reply's Undo / Retry:
 * what a button, the select or a form does, and to what (ids of at most 15 digits: ≤ 50 chars).
 * `reply` opens the reply form; `reply_form` is that form's own id, which its submission carries.
 */
export function customId(action: ComponentAction, inquiryId: number): string;
export function customId(action: ReplyLineAction, inquiryId: number, messageId: number): string;
export function customId(action: ComponentAction | ReplyLineAction, inquiryId: number, messageId?: number): string {
  return messageId === undefined ? `koe:${action}:${inquiryId}` : `koe:${action}:${inquiryId}:${messageId}`;
}

export type ParsedCustomId =
  | { action: ComponentAction; inquiryId: number }
  | { action: ReplyLineAction; inquiryId: number; messageId: number };

/** Parses a custom_id koe made; null for anything else (another app's, or a stale format). */
export function parseCustomId(id: string): ParsedCustomId | null {
  const line = /^koe:(reply_undo|reply_retry):(\d{1,15}):(\d{1,15})$/.exec(id);
  if (line) return { action: line[1] as ReplyLineAction, inquiryId: Number(line[2]), messageId: Number(line[3]) };
  const match = /^koe:(claim|resolve|reopen|reason|reply|reply_form):(\d{1,15})$/.exec(id);
  if (!match) return null;
  return { action: match[1] as ComponentAction, inquiryId: Number(match[2]) };
}

/**
 * The marker a delivery leaves in the footer of what it posted (`d<deliveryId>`), so that after a
 * crash `findDelivered` can recognise the message: Discord does not return `nonce` from GET.
 */
export function deliveryMarker(deliveryId: number): string {
  return `d${deliveryId}`;
}

/** Whether a footer text carries the marker of `deliveryId` (as its own ` · `-separated part). */
export function hasDeliveryMarker(footerText: string | undefined, deliveryId: number): boolean {
  if (!footerText) return false;
  const marker = deliveryMarker(deliveryId);
  return footerText.split(' · ').some((part) => part.trim() === marker);
}

/**
 * A Discord mention for `discord:<id>` actors; otherwise their name (Slack people seen from
 * Discord, API callers), escaped: a name is text someone chose, not markup.
 */
export function actorText(id: string | null, name: string | null): string {
  if (id?.startsWith('discord:')) return `<@${id.slice('discord:'.length)}>`;
  return escapeMarkdown(name ?? id ?? '?');
}

/** An http(s) address as the WHATWG parser writes it, or undefined for anything else. */
export function httpUrl(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

function field(name: string, value: string, inline = true): APIEmbedField {
  return { name: truncate(name, L.fieldName), value: truncate(value.trim() || '-', L.fieldValue), inline };
}

/** The thread's title: `#12 subject` (≤ 100). */
export function threadName(view: InquiryView, locale: Locale): string {
  const { inquiry } = view;
  const title = inquiry.subject ?? firstLine(inquiry.body) ?? wordsFor(locale).labels.noSubject;
  return truncate(`#${inquiry.id} ${title}`, L.threadName);
}

function firstLine(text: string): string | undefined {
  return text
    .split('\n')
    .find((l) => l.trim().length > 0)
    ?.trim();
}

/**
 * The mirror of an inquiry: one embed (reason and status, customer, subject, body, source link,
 * received time) with Claim / Resolve (or Reopen) buttons and a reason select, within every limit.
 * Everything a customer or a form chose (subject, body, name, email, source, reaction names) is
 * escaped (`escapeMarkdown`): it shows as written, never as a masked link, mention or formatting,
 * and never as the label of a link (the title is not one).
 */
export function renderInquiryMessage(
  view: InquiryView,
  settings: RenderSettings,
  options: { deliveryId?: number; canReply?: boolean } = {},
): DiscordMessageBody {
  const { inquiry, customer } = view;
  const words = wordsFor(settings.locale);
  const w = words.labels;
  const url = httpUrl(inquiry.url);

  let reason = escapeMarkdown(reasonLabel(settings.reasons, inquiry.reasonId, settings.locale));
  if (inquiry.reasonSource === 'rule' || inquiry.reasonSource === 'classifier') {
    reason += w.autoReason(inquiry.reasonConfidence === null ? null : Math.round(inquiry.reasonConfidence * 100));
  }
  let status: string = words.status[inquiry.status];
  if (inquiry.assigneeId && inquiry.status !== 'open')
    status += ` · ${actorText(inquiry.assigneeId, inquiry.assigneeName)}`;

  const fields: APIEmbedField[] = [field(w.reason, reason), field(w.status, status)];
  const due = dueLine(inquiry, settings);
  if (due) fields.push(field(words.sla.label, due));
  const customerText = [customer?.name, customer?.email]
    .filter(Boolean)
    .map((t) => escapeMarkdown(t!))
    .join(' · ');
  if (customerText) fields.push(field(w.customer, customerText));
  fields.push(field(w.received, formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)));
  const source = escapeMarkdown(inquiry.source);
  // The one link to the address, under koe's own label. It is percent-encoded where it could close
  // the markup, and left out rather than cut in half when it does not fit (`/koe show` has it whole).
  const sourceLink = url ? `${source} · [${words.discord.link}](${linkTarget(url)})` : source;
  fields.push(field(w.source, sourceLink.length <= L.fieldValue ? sourceLink : source));
  if (view.messageCount > 0) fields.push(field(w.messages, String(view.messageCount)));
  const reactions = Object.entries(view.reactionCounts)
    .filter(([, n]) => n > 0)
    .map(([emoji, n]) => `${escapeMarkdown(emoji)} ${n}`)
    .join('  ');
  if (reactions) fields.push(field(w.reactions, reactions));

  const footerParts = [`koe #${inquiry.id}`];
  if (options.deliveryId !== undefined) footerParts.push(deliveryMarker(options.deliveryId));
  const embed: APIEmbed = {
    title: truncate(
      `#${inquiry.id} ${escapeMarkdown(inquiry.subject ?? firstLine(inquiry.body) ?? w.noSubject)}`,
      L.embedTitle,
    ),
    color: STATUS_COLOR[inquiry.status],
    fields: fields.slice(0, L.embedFields),
    footer: { text: truncate(footerParts.join(' · '), L.footerText) },
  };
  // No `embed.url`: it would make the title a link, and the title is the customer's subject, which
  // could then say `https://bank.example/login` over a link to anywhere. The subject stays text
  // (escaped, so no markup in it links either); the link is in the source field, labelled by koe.
  // The body takes whatever the 6000-character budget leaves, up to the description limit.
  const budget = Math.min(L.embedDescription, L.embedsTotal - embedLength(embed));
  embed.description = truncate(escapeMarkdown(inquiry.body), budget);

  return { embeds: [embed], components: renderComponents(view, settings, options.canReply ?? false) };
}

/**
 * Claim / Resolve (or Reopen) buttons, Reply to customer when the inquiry has a way back (it opens
 * the reply form; nothing is sent by the click), and the reason select with the current reason preselected.
 */
export function renderComponents(
  view: InquiryView,
  settings: RenderSettings,
  canReply = false,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const { inquiry } = view;
  const w = wordsFor(settings.locale).controls;
  const buttons: APIComponentInMessageActionRow[] =
    inquiry.status === 'resolved'
      ? [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Secondary,
            label: w.reopen,
            custom_id: customId('reopen', inquiry.id),
            emoji: { name: '↩️' },
          },
        ]
      : [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            label: truncate(w.claim, L.buttonLabel),
            custom_id: customId('claim', inquiry.id),
            emoji: { name: '🙋' },
            disabled: inquiry.status === 'claimed',
          },
          {
            type: ComponentType.Button,
            style: ButtonStyle.Success,
            label: truncate(w.resolve, L.buttonLabel),
            custom_id: customId('resolve', inquiry.id),
            emoji: { name: '✅' },
          },
        ];

  if (canReply) {
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: truncate(wordsFor(settings.locale).replies.replyToCustomer, L.buttonLabel),
      custom_id: customId('reply', inquiry.id),
      emoji: { name: '✉️' },
    });
  }

  // At most 25 options; the current reason is kept even when it falls past the 25th.
  // koe's guesses first on an unclassified inquiry (reason-menu.ts), then the taxonomy's order.
  let reasons = menuReasons(inquiry, settings).slice(0, L.selectOptions);
  const current = settings.reasons.find((r) => r.id === inquiry.reasonId);
  if (current && !reasons.includes(current)) reasons = [...reasons.slice(0, L.selectOptions - 1), current];
  const options: APISelectMenuOption[] = reasons.map((r) => ({
    label: truncate(r.label[settings.locale], L.selectOptionLabel),
    value: r.id.slice(0, L.selectOptionValue),
    default: r.id === inquiry.reasonId,
  }));
  return [
    { type: ComponentType.ActionRow, components: buttons },
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: customId('reason', inquiry.id),
          placeholder: truncate(w.chooseReason, L.selectPlaceholder),
          min_values: 1,
          max_values: 1,
          options,
        },
      ],
    },
  ];
}

/**
 * A follow-up, reply or note in the mirror's thread: one embed saying who and which way. The body
 * is escaped like a mirror's; the author's name goes where Discord draws no markdown, as it is.
 *
 * Staff replies and notes are escaped too, on purpose, though staff are trusted: a note or reply
 * often quotes what the customer wrote (pasted from the mirror, or from an email), and a quoted
 * `[https://bank.example](https://evil.example)` would become a live link with a lying label under
 * a staff member's name. Losing staff's bold and lists costs little; the safer choice is kept.
 */
export function renderThreadMessage(
  view: InquiryView,
  message: Message,
  settings: RenderSettings,
  options: { deliveryId?: number } = {},
): DiscordMessageBody {
  const direction = wordsFor(settings.locale).direction[message.direction];
  const author = message.authorId || message.authorName ? actorName(message) : null;
  const footerParts = [
    `koe #${view.inquiry.id}`,
    formatDateTime(message.createdAt, settings.timezone, settings.locale),
  ];
  if (options.deliveryId !== undefined) footerParts.push(deliveryMarker(options.deliveryId));
  const embed: APIEmbed = {
    author: {
      name: truncate(author ? `${direction} · ${author}` : direction, L.authorName),
    },
    color: message.replyState ? REPLY_COLOR[message.replyState] : DIRECTION_COLOR[message.direction],
    footer: { text: truncate(footerParts.join(' · '), L.footerText) },
  };
  // A reply koe sends leads with its state (queued until when, sent, failed and why, undone); the
  // line names people and a platform's error text, so it is escaped like the body.
  const state = message.replyState ? `${escapeMarkdown(replyStateLine(message, settings))}\n\n` : '';
  embed.description = truncate(
    state + escapeMarkdown(message.body),
    Math.min(L.embedDescription, L.embedsTotal - embedLength(embed)),
  );
  const components = replyLineComponents(view, message, settings);
  return components ? { embeds: [embed], components } : { embeds: [embed] };
}

/**
 * Undo on a queued reply, Retry on a failed one, no control otherwise. An edit sends `[]` to take
 * a button away (the caller decides; a first post simply has none).
 */
export function replyLineComponents(
  view: InquiryView,
  message: Message,
  settings: RenderSettings,
): APIActionRowComponent<APIComponentInMessageActionRow>[] | undefined {
  if (!message.replyState) return undefined;
  const words = wordsFor(settings.locale).replies;
  const button = (
    action: ReplyLineAction,
    label: string,
    style: ButtonStyle.Primary | ButtonStyle.Secondary,
  ): APIComponentInMessageActionRow => ({
    type: ComponentType.Button,
    style,
    label: truncate(label, L.buttonLabel),
    custom_id: customId(action, view.inquiry.id, message.id),
  });
  if (message.replyState === 'queued')
    return [{ type: ComponentType.ActionRow, components: [button('reply_undo', words.undo, ButtonStyle.Secondary)] }];
  if (message.replyState === 'failed')
    return [{ type: ComponentType.ActionRow, components: [button('reply_retry', words.retry, ButtonStyle.Primary)] }];
  return [];
}

// Embed author names do not render mentions, so the plain name goes there.
function actorName(message: Message): string {
  return message.authorName ?? message.authorId ?? '';
}

/**
 * Adds the delivery marker to a message rendered elsewhere (digests): into the last embed's footer,
 * or a footer-only embed when there is none, still within the footer and 6000-character limits.
 */
export function withDeliveryMarker(
  body: { content?: string; embeds: APIEmbed[] },
  deliveryId: number,
): DiscordMessageBody {
  const marker = deliveryMarker(deliveryId);
  const embeds = body.embeds.map((e) => ({ ...e }));
  const last = embeds[embeds.length - 1];
  if (!last) {
    embeds.push({ footer: { text: marker } });
  } else {
    const suffix = ` · ${marker}`;
    const text = last.footer?.text ? `${truncate(last.footer.text, L.footerText - suffix.length)}${suffix}` : marker;
    last.footer = { ...last.footer, text };
    const over = embeds.reduce((n, e) => n + embedLength(e), 0) - L.embedsTotal;
    if (over > 0 && last.description)
      last.description = truncate(last.description, Math.max(1, last.description.length - over));
  }
  const result: DiscordMessageBody = { embeds };
  if (body.content) result.content = truncate(body.content, L.content);
  return result;
}
