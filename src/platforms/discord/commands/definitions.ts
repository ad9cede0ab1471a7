import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import { REPLY_MAX } from '../../../core/actions.ts';
import type { Subcommand } from '../../replies.ts';
import { wordsFor } from '../../words/index.ts';

/** Descriptions in English (Discord's default) and their Japanese localizations. */
const EN = wordsFor('en').discord.commands;
const JA = wordsFor('ja').discord.commands;

/** The slash command's name: `/koe …`, the same word as on Slack. */
export const KOE_COMMAND = 'koe';
/** The message context-menu command (≤ 32 characters; shown in the message's Apps menu). */
export const RECORD_COMMAND = EN.record;
/** The message command that sends a note in a mirror's thread to the customer, after a confirming form. */
export const SEND_COMMAND = wordsFor('en').replies.sendToCustomer;

function sub(
  name: Subcommand,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: EN.subcommands[name],
    description_localizations: { ja: JA.subcommands[name] },
    options,
  };
}

const inquiryId = (required: boolean): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  name: 'id',
  description: required ? EN.id : EN.idInThread,
  description_localizations: { ja: required ? JA.id : JA.idInThread },
  required,
  min_value: 1,
  autocomplete: true,
});

const text = (
  name: 'note' | 'text',
  required: boolean,
  maxLength = 4000,
  description: 'note' | 'text' | 'replyText' = name,
): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name,
  description: EN[description],
  description_localizations: { ja: JA[description] },
  required,
  max_length: maxLength,
});

/**
 * Every application command koe registers: `/koe` with Slack's subcommands as typed Discord
 * subcommands (inquiry ids and reason ids autocomplete), and two message commands: "Record as customer
 * inquiry", and "Send to customer" (a note in a mirror's thread, after a confirming form).
 * Guild-only: koe's commands act on a team's inquiries, never in DMs.
 */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: KOE_COMMAND,
      description: EN.koe,
      description_localizations: { ja: JA.koe },
      contexts: [InteractionContextType.Guild],
      options: [
        sub('help'),
        sub('claim', [inquiryId(false)]),
        sub('unclaim', [inquiryId(false)]),
        sub('assign', [
          inquiryId(true),
          {
            type: ApplicationCommandOptionType.User,
            name: 'user',
            description: EN.user,
            description_localizations: { ja: JA.user },
            required: true,
          },
        ]),
        sub('resolve', [inquiryId(false), text('note', false)]),
        sub('reopen', [inquiryId(false)]),
        sub('reason', [
          inquiryId(true),
          {
            type: ApplicationCommandOptionType.String,
            name: 'reason',
            description: EN.reason,
            description_localizations: { ja: JA.reason },
            required: true,
            autocomplete: true,
            max_length: 100,
          },
        ]),
        sub('note', [inquiryId(true), text('text', true)]),
        // The reply's limit is the core's (REPLY_MAX): Discord refuses a longer one as it is typed.
        sub('reply', [inquiryId(true), text('text', true, REPLY_MAX, 'replyText')]),
        sub('mine'),
        sub('open'),
        sub('show', [inquiryId(true)]),
        sub('stats', [
          {
            type: ApplicationCommandOptionType.String,
            name: 'period',
            description: EN.period,
            description_localizations: { ja: JA.period },
            required: false,
            // The typed values are the English names; Japanese shows the period's words.
            choices: (['today', '7d', '30d'] as const).map((p) => ({
              name: p,
              value: p,
              name_localizations: { ja: wordsFor('ja').stats.periods[p] },
            })),
          },
        ]),
      ],
    },
    {
      type: ApplicationCommandType.Message,
      name: RECORD_COMMAND,
      name_localizations: { ja: JA.record },
      contexts: [InteractionContextType.Guild],
    },
    {
      type: ApplicationCommandType.Message,
      name: SEND_COMMAND,
      name_localizations: { ja: wordsFor('ja').replies.sendToCustomer },
      contexts: [InteractionContextType.Guild],
    },
  ];
}
