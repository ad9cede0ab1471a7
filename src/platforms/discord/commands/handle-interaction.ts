import {
  GuildMember,
  MessageFlags,
  type APIInteractionGuildMember,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
  type User,
} from 'discord.js';
import { type Actor, createInquiry } from '../../../core/inquiries/index.ts';
import { miscWords, refusalReply } from '../../replies.ts';
import type { KoeCommand } from '../../run-command.ts';
import type { PlatformDeps } from '../../types.ts';
import { DISCORD_LIMITS, truncate } from '../limits.ts';
import { parseCustomId } from '../render.ts';
import type { StaffPolicy } from '../staff.ts';
import { messageBody } from '../events/message-text.ts';
import { KOE_COMMAND, RECORD_COMMAND, SEND_COMMAND } from './definitions.ts';
import { openReplyForm, openSendForm, replyLineAction, submitReplyForm } from './reply-interactions.ts';
import { failureText, replyContext, runDiscordCommand, toDiscordMarkdown, toKoeCommand } from './koe-command.ts';

export interface InteractionEnv {
  deps: PlatformDeps;
  staff: StaffPolicy;
}

/** `discord:<user id>` with the name the guild shows. */
export function actorOf(user: User, member: GuildMember | APIInteractionGuildMember | null | undefined): Actor {
  const nick = member instanceof GuildMember ? member.nickname : (member?.nick ?? null);
  return { id: `discord:${user.id}`, name: nick ?? user.globalName ?? user.username };
}

/** Role ids of an interaction's member, cached or raw. */
export function roleIdsOf(member: GuildMember | APIInteractionGuildMember | null | undefined): string[] {
  if (!member) return [];
  if (member instanceof GuildMember) return [...member.roles.cache.keys()];
  return member.roles;
}

function notStaff(env: InteractionEnv): string {
  const role = env.deps.config.discord.staffRoleId;
  return refusalReply(replyContext(env.deps), { ok: false, refusal: 'notStaff', role: role ? `<@&${role}>` : null });
}

type Repliable =
  | ChatInputCommandInteraction
  | ButtonInteraction
  | StringSelectMenuInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction;

// Ephemeral, and never pinging anyone: answers go to the one person who asked.
function replyTo(interaction: Repliable, content: string) {
  return interaction.reply({
    content: truncate(content, DISCORD_LIMITS.content),
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/**
 * Handles one interaction: `/koe`, autocomplete, the mirror's buttons and select, and the message
 * command. Everything is answered at once (the core's verbs are synchronous SQLite transactions),
 * well inside Discord's 3 s; re-deliveries of the same interaction are skipped.
 */
export async function handleInteraction(env: InteractionEnv, interaction: Interaction): Promise<void> {
  const { deps, staff } = env;
  const { log } = deps;
  // Autocomplete is answered for every keystroke and changes nothing: no ledger row for it.
  if (!interaction.isAutocomplete() && !deps.ledger.claim(`discord:${interaction.id}`)) {
    log.debug({ interactionId: interaction.id }, 'discord: interaction already handled');
    return;
  }
  const isStaff = staff.isStaff(interaction.guildId, roleIdsOf(interaction.member));
  try {
    if (interaction.isAutocomplete()) {
      await interaction.respond(isStaff ? autocomplete(env, interaction) : []);
      return;
    }
    if (
      !interaction.isChatInputCommand() &&
      !interaction.isButton() &&
      !interaction.isStringSelectMenu() &&
      !interaction.isMessageContextMenuCommand() &&
      !interaction.isModalSubmit()
    ) {
      return;
    }
    if (!isStaff) {
      await replyTo(interaction, notStaff(env));
      return;
    }
    const actor = actorOf(interaction.user, interaction.member);
    const answer = await act(env, interaction, actor);
    if (answer !== null) await replyTo(interaction, answer);
  } catch (error) {
    log.error({ err: error, interactionId: interaction.id }, 'discord: interaction failed');
    if (interaction.isRepliable() && !interaction.replied && !interaction.deferred) {
      await interaction
        .reply({ content: miscWords(deps.render.locale).internalError, flags: MessageFlags.Ephemeral })
        .catch((e: unknown) => log.warn({ err: e }, 'discord: could not send the error reply'));
    }
  }
}

/**
 * What a staff member's interaction does: the ephemeral answer, or null when it was answered
 * otherwise (a form opened) or is not koe's.
 */
async function act(env: InteractionEnv, interaction: Repliable, actor: Actor): Promise<string | null> {
  const { deps } = env;
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName !== KOE_COMMAND) return null;
    const o = interaction.options;
    const user = o.getUser('user');
    const command = toKoeCommand({
      subcommand: o.getSubcommand(true),
      actor,
      channelId: interaction.channelId,
      id: o.getInteger('id'),
      user: user ? actorOf(user, o.getMember('user') as GuildMember | APIInteractionGuildMember | null) : null,
      reason: o.getString('reason'),
      note: o.getString('note'),
      text: o.getString('text'),
      period: o.getString('period'),
    });
    return runDiscordCommand(deps, command, actor, interaction.channelId);
  }
  if (interaction.isModalSubmit()) {
    const parsed = parseCustomId(interaction.customId);
    if (parsed?.action !== 'reply_form')
      return toDiscordMarkdown(failureText(deps, { ok: false, refusal: 'unknownControl' }));
    return submitReplyForm(deps, interaction, parsed.inquiryId, actor);
  }
  if (interaction.isButton() && parseCustomId(interaction.customId)?.action === 'reply') {
    return openReplyForm(deps, interaction, parseCustomId(interaction.customId)!.inquiryId);
  }
  if (interaction.isButton() || interaction.isStringSelectMenu()) return component(env, interaction, actor);
  if (interaction.commandName === SEND_COMMAND) return openSendForm(deps, interaction);
  if (interaction.commandName === RECORD_COMMAND) return record(env, interaction, actor);
  return null;
}

/** Claim / Resolve / Reopen buttons and the reason select: the same commands as `/koe`, with the mirror's id. */
function component(
  env: InteractionEnv,
  interaction: ButtonInteraction | StringSelectMenuInteraction,
  actor: Actor,
): string {
  const { deps } = env;
  const parsed = parseCustomId(interaction.customId);
  if (!parsed) return toDiscordMarkdown(failureText(deps, { ok: false, refusal: 'notAMirror' }));
  if ('messageId' in parsed) return replyLineAction(deps, parsed, actor);
  const id = parsed.inquiryId;
  const reasonId = interaction.isStringSelectMenu() ? interaction.values[0] : undefined;
  const command: KoeCommand | null =
    parsed.action === 'reason'
      ? reasonId
        ? { kind: 'reason', id, reasonId }
        : null
      : interaction.isButton() &&
          (parsed.action === 'claim' || parsed.action === 'resolve' || parsed.action === 'reopen')
        ? { kind: parsed.action, id }
        : null;
  if (!command) return toDiscordMarkdown(failureText(deps, { ok: false, refusal: 'unknownControl' }));
  return runDiscordCommand(deps, command, actor, null);
}

/** "Record as customer inquiry": the message becomes an inquiry from its author, linked back to it. */
function record(env: InteractionEnv, interaction: MessageContextMenuCommandInteraction, actor: Actor): string {
  const { deps } = env;
  const words = miscWords(deps.render.locale);
  const message = interaction.targetMessage;
  const source = `discord:${message.channelId}`;
  const author = message.author;
  const outcome = createInquiry(
    deps.ctx,
    {
      source,
      externalId: message.id,
      customer: {
        id: `discord:${author.id}`,
        name: message.member?.displayName ?? author.globalName ?? author.username,
      },
      body: messageBody(message, deps.render.locale),
      url: message.url,
      receivedAt: new Date(message.createdTimestamp).toISOString(),
    },
    { recordedBy: actor },
  );
  if (!outcome.ok) return toDiscordMarkdown(failureText(deps, outcome));
  if (!outcome.created && !outcome.joined) return words.recordedAlready(outcome.inquiry.id);
  return `${words.recorded(outcome.inquiry.id)} ${message.url}`;
}

/** Up to 25 choices: unresolved inquiries for `id`, reasons for `reason`. */
function autocomplete(
  env: InteractionEnv,
  interaction: AutocompleteInteraction,
): Array<{ name: string; value: string | number }> {
  const { deps } = env;
  const locale = deps.render.locale;
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value ?? '');
  const max = DISCORD_LIMITS.autocompleteChoices;
  if (focused.name === 'id') {
    return deps.read.unresolvedMatching(typed, max).map((i) => ({
      name: truncate(`#${i.id} ${(i.subject ?? i.body).replace(/\s+/g, ' ').trim()}`, DISCORD_LIMITS.choiceName),
      value: i.id,
    }));
  }
  if (focused.name === 'reason') {
    const t = typed.toLowerCase();
    return deps.ctx.reasons
      .filter(
        (r) =>
          !t || r.id.includes(t) || r.label[locale].toLowerCase().includes(t) || r.label.en.toLowerCase().includes(t),
      )
      .slice(0, max)
      .map((r) => ({ name: truncate(`${r.label[locale]} (${r.id})`, DISCORD_LIMITS.choiceName), value: r.id }));
  }
  return [];
}
