import type { ButtonInteraction, MessageContextMenuCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { perform } from '../../../core/actions.ts';
import type { Actor } from '../../../core/inquiries/types.ts';
import { replyTargetsOf } from '../../../config/reply-targets.ts';
import type { PlatformDeps } from '../../types.ts';
import { wordsFor } from '../../words/index.ts';
import type { ParsedCustomId } from '../render.ts';
import { channelNameOf, noteText, REPLY_INPUT, replyForm } from './reply-forms.ts';
import { failureText, noWayBack, replyFromDiscord, toDiscordMarkdown } from './koe-command.ts';

/**
 * Replies to customers from Discord: the mirror's Reply to customer button and "Send to customer"
 * open the reply form; its submission, and the Undo and Retry buttons on a reply's line, act. Each
 * returns the ephemeral answer, or null when it answered with the form. The caller has already
 * checked that the person is staff.
 */

/** What a form needs to know before it opens: the inquiry exists, has a way back, and its customer. */
function formTarget(deps: PlatformDeps, inquiryId: number) {
  const detail = deps.read.inquiryDetail(inquiryId);
  if (!detail) return { refusal: failureText(deps, { ok: false, code: 'NOT_FOUND', inquiryId }) };
  const { inquiry, customer } = detail;
  const target = replyTargetsOf(deps.config)(inquiry);
  if (!target) return { refusal: noWayBack(deps, inquiry) };
  const name = customer?.name ?? customer?.email ?? wordsFor(deps.render.locale).labels.unknownCustomer;
  return { target, customer: name };
}

/** Reply to customer: the empty reply form, or why this inquiry cannot be answered from koe. */
export async function openReplyForm(deps: PlatformDeps, interaction: ButtonInteraction, inquiryId: number) {
  return showForm(deps, interaction, inquiryId);
}

/**
 * "Send to customer" on a note in a mirror's thread: the reply form, prefilled with the note's text.
 * That is the confirmation: it shows exactly what the customer will get and where, the person may
 * still edit it, and nothing leaves until they submit (and then the undo window still applies).
 */
export async function openSendForm(deps: PlatformDeps, interaction: MessageContextMenuCommandInteraction) {
  const notANote = wordsFor(deps.render.locale).discord.replies.notANote;
  const inquiryId = interaction.channelId
    ? deps.read.inquiryForMirror('discord', { messageRef: interaction.channelId })
    : null;
  if (inquiryId === null) return notANote;
  const text = noteText(interaction.targetMessage, interaction.client.user?.id, deps.render.locale);
  if (!text) return notANote;
  return showForm(deps, interaction, inquiryId, text);
}

async function showForm(
  deps: PlatformDeps,
  interaction: ButtonInteraction | MessageContextMenuCommandInteraction,
  inquiryId: number,
  value?: string,
): Promise<string | null> {
  const found = formTarget(deps, inquiryId);
  if ('refusal' in found) return found.refusal ?? null;
  const form = replyForm({
    inquiryId,
    locale: deps.render.locale,
    target: found.target,
    customer: found.customer,
    channelName: channelNameOf(interaction.client),
    value,
  });
  await interaction.showModal(form);
  return null;
}

/** The reply form submitted: the reply is queued (with its undo window), or refused with a reason. */
export function submitReplyForm(
  deps: PlatformDeps,
  interaction: ModalSubmitInteraction,
  inquiryId: number,
  actor: Actor,
) {
  const body = interaction.fields.getTextInputValue(REPLY_INPUT).trim();
  return replyFromDiscord(deps, { inquiryId, actor, body });
}

/** Undo and Retry on a reply's line in a mirror's thread. */
export function replyLineAction(
  deps: PlatformDeps,
  parsed: Extract<ParsedCustomId, { messageId: number }>,
  actor: Actor,
): string {
  const { inquiryId, messageId } = parsed;
  const type = parsed.action === 'reply_undo' ? 'undo_reply' : 'retry_reply';
  const outcome = perform(deps.ctx, { type, inquiryId, messageId, actor });
  if (!outcome.ok)
    return toDiscordMarkdown(failureText(deps, { ...outcome, inquiryId: outcome.inquiryId ?? inquiryId }));
  const words = wordsFor(deps.render.locale).replies;
  return type === 'undo_reply' ? words.undone(inquiryId) : words.retried(inquiryId);
}
