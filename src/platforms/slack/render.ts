import type { types } from '@slack/bolt';
import type { Inquiry, InquiryStatus, InquiryView, Message } from '../../core/inquiries/types.ts';
import { type Locale, reasonLabel } from '../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../lib/time-format.ts';
import { dueLine } from '../due-line.ts';
import { replyStateLine } from '../replies.ts';
import type { RenderSettings } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { fileLinks, splitFiles } from './files.ts';
import {
  chunk,
  escapeMrkdwn,
  jsonBytes,
  mrkdwnLink,
  mrkdwnLiteral,
  mrkdwnText,
  plainText,
  sanitize,
  truncate,
} from './text.ts';
import { menuReasons } from '../reason-menu.ts';

export type KnownBlock = types.KnownBlock;

/** A message as chat.postMessage / chat.update / chat.postEphemeral take it. */
export interface SlackMessage {
  /** Notification and screen-reader fallback; kept short. */
  text: string;
  blocks: KnownBlock[];
}

/** Block Kit's limits (docs.slack.dev/reference/block-kit), plus koe's own total budget. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  header: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  placeholder: 150,
  messageText: 40_000,
} as const;

/**
 * koe's own budget for one message's blocks, in bytes of JSON (UTF-8): Slack has answered
 * `msg_blocks_too_long` near 13k characters in all (bolt-js #2509). Counting bytes, not characters,
 * keeps Japanese text (3 bytes a character) safe whichever way Slack counts.
 */
export const BLOCKS_BUDGET_BYTES = 11_000;
/** At most this much of the body in a mirror, before "show full text". */
export const BODY_PREVIEW_CHARS = 2_500;
/** The reason select's share of the budget; reasons beyond it are set with `/koe reason`. */
const SELECT_BUDGET_BYTES = 3_500;
/** Per page of `/koe show`, in JSON bytes (a page also carries a header and details). */
export const FALLBACK_CHARS = 300;

/** Interaction ids: the action listeners match on these. */
export const ACTION_IDS = {
  claim: 'koe_claim',
  unclaim: 'koe_unclaim',
  resolve: 'koe_resolve',
  reopen: 'koe_reopen',
  show: 'koe_show',
  reason: 'koe_reason',
  /** The mirror's "Reply to customer": value `<inquiryId>`; opens the reply form. */
  replyOpen: 'koe_reply_open',
  /** On a queued reply's line in the thread: value `<inquiryId>:<messageId>`. */
  replyUndo: 'koe_reply_undo',
  /** On a failed reply's line in the thread: value `<inquiryId>:<messageId>`. */
  replyRetry: 'koe_reply_retry',
} as const;

/** The message shortcut that sends a note in a mirror's thread to the customer (slack-app-manifest.yaml). */
export const SEND_TO_CUSTOMER_CALLBACK = 'koe_send_to_customer';

/** The value of a reply's Undo and Retry buttons. */
export function replyButtonValue(inquiryId: number, messageId: number): string {
  return `${inquiryId}:${messageId}`;
}

/**
 * What the Slack renderer needs besides the common settings: whether an inquiry has a way back to
 * its customer (then its mirror offers "Reply to customer"), and the workspace's URL, so only file
 * links into this workspace are drawn as links.
 */
export interface SlackRenderSettings extends RenderSettings {
  canReply?: (inquiry: Inquiry) => boolean;
  workspaceUrl?: () => string | null;
}

export const METADATA_EVENT_TYPE = 'koe_inquiry';
export const DIGEST_METADATA_EVENT_TYPE = 'koe_digest';
/** The metadata of a reply koe posted in a customer's thread: how it is found again, and not taken for a customer's message. */
export const REPLY_METADATA_EVENT_TYPE = 'koe_reply';

const STATUS_EMOJI: Record<InquiryStatus, string> = { open: '🔴', claimed: '🟡', resolved: '✅' };

/** The words a Slack message uses, from the locale's words. */
export function words(locale: Locale) {
  const w = wordsFor(locale);
  return { ...w.labels, ...w.controls, ...w.slack, direction: w.direction };
}

/**
 * A mrkdwn text object that carries someone else's words (through `mrkdwnLiteral`): `verbatim` stops
 * Slack from turning bare URLs, channel names and `@here`-style words into links and mentions. The
 * mentions and links koe writes itself (`<@U…>`, `<url|label>`) still work.
 */
export function verbatim(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A user as Slack shows them: a mention for Slack users (`slack:U…`), the stored name otherwise. */
export function formatActor(id: string | null, name: string | null): string {
  // Only a real user id becomes a mention: ids arrive in signed but otherwise unchecked payloads,
  // and a 100,000-character "id" would make every message naming that person one Slack refuses.
  const userId = id?.startsWith('slack:') ? id.slice('slack:'.length) : null;
  if (userId && /^[UW][A-Z0-9]{1,30}$/.test(userId)) return `<@${userId}>`;
  return mrkdwnLiteral(name ?? id ?? '?', 200);
}

/**
 * The customer: a mention when koe took them from a Slack channel itself (source `slack:<channel id>`,
 * which the API may not use, and key the user id Slack gave); otherwise their name and address.
 */
export function customerLine(view: Pick<InquiryView, 'customer'>, locale: Locale): string {
  const c = view.customer;
  if (!c) return wordsFor(locale).labels.unknownCustomer;
  if (/^slack:[CDG][A-Z0-9]{1,30}$/.test(c.source) && /^[UW][A-Z0-9]{1,30}$/.test(c.key)) {
    return `<@${c.key}>${c.name ? ` (${mrkdwnLiteral(c.name, 200)})` : ''}`;
  }
  const parts = [c.name && mrkdwnLiteral(c.name, 300), c.email && mrkdwnLiteral(`<${c.email}>`, 320)].filter(Boolean);
  return parts.length ? parts.join(' ') : mrkdwnLiteral(c.key, 300);
}

export function reasonText(inquiry: Inquiry, settings: RenderSettings): string {
  const w = wordsFor(settings.locale);
  if (inquiry.reasonId === null) return w.controls.unclassifiedHint;
  const label = mrkdwnText(reasonLabel(settings.reasons, inquiry.reasonId, settings.locale), 200);
  const auto = inquiry.reasonSource === 'rule' || inquiry.reasonSource === 'classifier';
  const pct = inquiry.reasonConfidence === null ? null : Math.round(inquiry.reasonConfidence * 100);
  return auto ? `${label}${w.labels.autoReason(pct)}` : label;
}

/** The header line: status and reason first, so a glance at the channel tells what needs doing. */
export function headerText(inquiry: Inquiry, settings: RenderSettings): string {
  const status = wordsFor(settings.locale).status[inquiry.status];
  const reason = reasonLabel(settings.reasons, inquiry.reasonId, settings.locale);
  return plainText(`${STATUS_EMOJI[inquiry.status]} #${inquiry.id} ${status} · ${reason}`, LIMITS.header);
}

function fallbackText(inquiry: Inquiry, settings: RenderSettings): string {
  const status = wordsFor(settings.locale).status[inquiry.status];
  const reason = reasonLabel(settings.reasons, inquiry.reasonId, settings.locale);
  const gist = (inquiry.subject ?? inquiry.body).replace(/\s+/g, ' ').trim();
  return mrkdwnLiteral(`#${inquiry.id} [${reason}] ${status} — ${gist}`, FALLBACK_CHARS);
}

function reasonSelect(inquiry: Inquiry, settings: RenderSettings): types.StaticSelect {
  const option = (r: (typeof settings.reasons)[number]): types.PlainTextOption => ({
    text: { type: 'plain_text', text: plainText(r.label[settings.locale], LIMITS.optionText), emoji: true },
    value: truncate(r.id, LIMITS.optionValue, { suffix: '' }).text,
  });
  // As many reasons as fit Slack's 100 options and koe's byte budget; the current one always.
  const current = settings.reasons.find((r) => r.id === inquiry.reasonId);
  const options: types.PlainTextOption[] = current ? [option(current)] : [];
  let used = current ? jsonBytes(JSON.stringify(options[0])) : 0;
  const menu = menuReasons(inquiry, settings);
  for (const r of menu) {
    if (options.length >= LIMITS.selectOptions) break;
    if (r === current) continue;
    const o = option(r);
    const size = jsonBytes(JSON.stringify(o)) + 1;
    if (used + size > SELECT_BUDGET_BYTES) break;
    options.push(o);
    used += size;
  }
  // Keep the menu's order: koe's guesses first on an unclassified inquiry, then the taxonomy's.
  const order = new Map(menu.map((r, i) => [r.id, i]));
  options.sort((a, b) => (order.get(a.value ?? '') ?? 0) - (order.get(b.value ?? '') ?? 0));
  return {
    type: 'static_select',
    action_id: ACTION_IDS.reason,
    placeholder: { type: 'plain_text', text: wordsFor(settings.locale).controls.chooseReason, emoji: true },
    options,
    ...(current && { initial_option: option(current) }),
  };
}

function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: plainText(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: value.slice(0, LIMITS.buttonValue),
    ...(style && { style }),
  };
}

/**
 * A block_id unique per inquiry and per rendering: Slack clients keep a select's old choice when a
 * message is updated with the same block_id, so the id changes with every change of the inquiry.
 */
function blockId(inquiry: Inquiry, part: string): string {
  return `koe-${inquiry.id}-${inquiry.updatedAt}-${part}`.slice(0, LIMITS.id);
}

/** The mirror of an inquiry: status and reason, who, what, where from, and the buttons. */
export function renderInquiry(view: InquiryView, settings: SlackRenderSettings): SlackMessage {
  const { inquiry } = view;
  const w = words(settings.locale);
  const assignee = inquiry.assigneeId ? formatActor(inquiry.assigneeId, inquiry.assigneeName) : w.unassigned;

  const fields: types.MrkdwnElement[] = [
    verbatim(`*${w.customer}*\n${customerLine(view, settings.locale)}`),
    verbatim(`*${w.assignee}*\n${assignee}`),
    verbatim(`*${w.reason}*\n${reasonText(inquiry, settings)}`),
  ];
  if (inquiry.subject) fields.push(verbatim(`*${w.subject}*\n${mrkdwnLiteral(inquiry.subject, 500)}`));

  const { text: bodyText, files } = splitFiles(sanitize(inquiry.body).trim(), settings.workspaceUrl?.() ?? null);
  const body = bodyText.trim();
  const filesBlock: KnownBlock[] = files.length
    ? [{ type: 'context', block_id: blockId(inquiry, 'files'), elements: [verbatim(fileLinks(files))] }]
    : [];
  const bodyBlock = {
    type: 'section',
    block_id: blockId(inquiry, 'body'),
    text: { type: 'plain_text', text: '-', emoji: false },
  } as const;
  const header: KnownBlock = {
    type: 'header',
    block_id: blockId(inquiry, 'header'),
    text: { type: 'plain_text', text: headerText(inquiry, settings), emoji: true },
  };
  const fieldsBlock: KnownBlock = { type: 'section', block_id: blockId(inquiry, 'fields'), fields };

  const where = [
    `${w.received} ${formatDateTime(inquiry.receivedAt, settings.timezone, settings.locale)}`,
    `${w.source} ${mrkdwnLiteral(inquiry.source, 200)}`,
    ...(inquiry.url ? [mrkdwnLink(truncate(inquiry.url, LIMITS.url - 100, { suffix: '' }).text, w.original)] : []),
    ...(view.messageCount > 0 ? [w.mirrorMessages(view.messageCount)] : []),
  ].join(' · ');
  // The due line first: on a glance at the channel, what is late matters most after the status.
  const due = dueLine(inquiry, settings);
  const contextElements: types.MrkdwnElement[] = [...(due ? [verbatim(due)] : []), verbatim(where)];
  const reactions = Object.entries(view.reactionCounts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(0, 20)
    .map(([emoji, n]) => `${/^[\w+-]+$/.test(emoji) ? `:${emoji}:` : escapeMrkdwn(emoji)} ${n}`);
  if (reactions.length) contextElements.push({ type: 'mrkdwn', text: truncate(reactions.join('  '), 1000).text });
  const meta: KnownBlock = { type: 'context', block_id: blockId(inquiry, 'meta'), elements: contextElements };

  const actions = (cut: boolean): KnownBlock => {
    const id = String(inquiry.id);
    const elements: types.ActionsBlockElement[] = [];
    if (inquiry.status === 'open') elements.push(button(w.claim, ACTION_IDS.claim, id, 'primary'));
    if (inquiry.status === 'claimed') elements.push(button(w.unclaim, ACTION_IDS.unclaim, id));
    if (inquiry.status !== 'resolved') elements.push(button(w.resolve, ACTION_IDS.resolve, id));
    else elements.push(button(w.reopen, ACTION_IDS.reopen, id));
    if (cut) elements.push(button(w.showFull, ACTION_IDS.show, id));
    if (settings.canReply?.(inquiry))
      elements.push(button(wordsFor(settings.locale).replies.replyToCustomer, ACTION_IDS.replyOpen, id));
    elements.push(reasonSelect(inquiry, settings));
    return { type: 'actions', block_id: blockId(inquiry, 'actions'), elements };
  };
  const cutNotice = (shown: number): KnownBlock => ({
    type: 'context',
    block_id: blockId(inquiry, 'cut'),
    elements: [{ type: 'mrkdwn', text: w.truncated(shown, body.length, inquiry.id) }],
  });

  // The body gets what the rest leaves of the budget (measured with the "cut" notice and button in).
  const frame = [header, fieldsBlock, bodyBlock, cutNotice(body.length), ...filesBlock, meta, actions(true)];
  const room = BLOCKS_BUDGET_BYTES - jsonBytes(JSON.stringify(frame));
  let preview = truncate(body, BODY_PREVIEW_CHARS);
  if (jsonBytes(preview.text) > room) preview = truncate(body, Math.max(200, room), { measure: jsonBytes });
  const shownChars = preview.cut ? preview.text.length - 1 : body.length;
  const blocks: KnownBlock[] = [
    header,
    fieldsBlock,
    // A message of files only has no text to show: its files are the next block.
    ...(body || !files.length
      ? [
          {
            ...bodyBlock,
            text: { type: 'plain_text' as const, text: plainText(preview.text, LIMITS.sectionText), emoji: false },
          },
        ]
      : []),
    ...(preview.cut ? [cutNotice(shownChars)] : []),
    ...filesBlock,
    meta,
    actions(preview.cut),
  ];

  return { text: fallbackText(inquiry, settings), blocks };
}

/**
 * A follow-up, reply or note, posted into the mirror's thread. A reply koe sends to the customer
 * also says where it stands, with Undo while it waits out its window and Retry once it failed; the
 * same rendering edits the line when the state changes. A customer's files show as links.
 */
export function renderThreadMessage(view: InquiryView, message: Message, settings: SlackRenderSettings): SlackMessage {
  const w = words(settings.locale);
  const author = message.authorId || message.authorName ? formatActor(message.authorId, message.authorName) : null;
  const kind = w.direction[message.direction];
  const when = formatDateTime(message.createdAt, settings.timezone, settings.locale);
  const { text, files } = splitFiles(sanitize(message.body).trim(), settings.workspaceUrl?.() ?? null);
  const body = text.trim() || (files.length ? '' : '-');
  const head: KnownBlock = {
    type: 'context',
    elements: [verbatim(`*${kind}*${author ? ` · ${author}` : ''} · ${when}`)],
  };
  const cutNote: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: w.threadCut(body.length, view.inquiry.id) }],
  };
  const tail: KnownBlock[] = [
    ...(files.length ? [{ type: 'context', elements: [verbatim(fileLinks(files))] } as KnownBlock] : []),
    ...replyStateBlocks(view, message, settings),
  ];
  // Each section adds ~60 bytes of JSON around its text; allow for five of them.
  const room = BLOCKS_BUDGET_BYTES - jsonBytes(JSON.stringify([head, cutNote, ...tail])) - 5 * 60;
  const shown = truncate(body, room, { measure: jsonBytes });
  const blocks: KnownBlock[] = [
    head,
    ...(body ? chunk(shown.text, LIMITS.sectionText) : []).map(
      (piece): KnownBlock => ({
        type: 'section',
        text: { type: 'plain_text', text: plainText(piece, LIMITS.sectionText), emoji: false },
      }),
    ),
  ];
  if (shown.cut) blocks.push(cutNote);
  blocks.push(...tail);
  const gist = (body || files.map((f) => f.name).join(' ')).replace(/\s+/g, ' ');
  return { text: mrkdwnLiteral(`#${view.inquiry.id} ${kind}: ${gist}`, FALLBACK_CHARS), blocks };
}

/** A reply's state line, and its Undo (queued) or Retry (failed) button; nothing for other messages. */
function replyStateBlocks(view: InquiryView, message: Message, settings: RenderSettings): KnownBlock[] {
  if (!message.replyState) return [];
  const w = wordsFor(settings.locale).replies;
  const state: KnownBlock = {
    type: 'context',
    elements: [verbatim(mrkdwnLiteral(replyStateLine(message, settings), 2_000))],
  };
  const value = replyButtonValue(view.inquiry.id, message.id);
  const control =
    message.replyState === 'queued'
      ? button(w.undo, ACTION_IDS.replyUndo, value, 'danger')
      : message.replyState === 'failed'
        ? button(w.retry, ACTION_IDS.replyRetry, value, 'primary')
        : null;
  if (!control) return [state];
  // A block_id per state: a client keeps no stale button when the line is edited.
  const blockIdOf = `koe-reply-${message.id}-${message.replyState}`;
  return [state, { type: 'actions', block_id: blockIdOf, elements: [control] }];
}

/** A plain answer (help, confirmations, errors) as one mrkdwn section. */
export function renderNotice(notice: string): SlackMessage {
  // Answers may echo what someone typed (`/koe` with a NUL byte, a lone surrogate): Slack refuses those.
  const text = sanitize(notice);
  const pieces = chunk(text, LIMITS.sectionText).slice(0, 4);
  return {
    text: truncate(text, FALLBACK_CHARS * 4).text,
    blocks: pieces.map((p): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: p.trim() || '-' } })),
  };
}

/** The message metadata every koe post carries, so a lost post can be found again by its delivery. */
export function inquiryMetadata(inquiryId: number, deliveryId: number) {
  return { event_type: METADATA_EVENT_TYPE, event_payload: { inquiry_id: inquiryId, delivery_id: deliveryId } };
}
