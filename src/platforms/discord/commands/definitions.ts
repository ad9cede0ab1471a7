import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';

/** The slash command's name: `/koe …`, the same word as on Slack. */
export const KOE_COMMAND = 'koe';
/** The message context-menu command (≤ 32 characters; shown in the message's Apps menu). */
export const RECORD_COMMAND = 'Record as customer inquiry';

type Words = { en: string; ja: string };

function sub(
  name: string,
  d: Words,
  options: APIApplicationCommandBasicOption[] = [],
): APIApplicationCommandSubcommandOption {
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name,
    description: d.en,
    description_localizations: { ja: d.ja },
    options,
  };
}

const inquiryId = (required: boolean): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  name: 'id',
  description: required ? 'Inquiry number' : 'Inquiry number (in a mirror thread: that inquiry)',
  description_localizations: { ja: required ? 'お問い合わせ番号' : 'お問い合わせ番号（スレッド内では省略可）' },
  required,
  min_value: 1,
  autocomplete: true,
});

const text = (name: string, d: Words, required: boolean, maxLength = 4000): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  name,
  description: d.en,
  description_localizations: { ja: d.ja },
  required,
  max_length: maxLength,
});

/**
 * Every application command koe registers: `/koe` with Slack's subcommands as typed Discord
 * subcommands (inquiry ids and reason ids autocomplete), and "Record as customer inquiry" on messages.
 * Guild-only: koe's commands act on a team's inquiries, never in DMs.
 */
export function commandDefinitions(): RESTPutAPIApplicationCommandsJSONBody {
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: KOE_COMMAND,
      description: 'Customer inquiries: claim, resolve, list, stats',
      description_localizations: { ja: 'お問い合わせ: 担当・解決・一覧・集計' },
      contexts: [InteractionContextType.Guild],
      options: [
        sub('help', { en: 'How to use koe', ja: 'koe の使い方' }),
        sub('claim', { en: 'Claim an inquiry', ja: 'お問い合わせを担当する' }, [inquiryId(false)]),
        sub('unclaim', { en: 'Give an inquiry back to the pool', ja: '担当を外す' }, [inquiryId(false)]),
        sub('assign', { en: 'Hand an inquiry to someone', ja: '担当を付け替える' }, [
          inquiryId(true),
          {
            type: ApplicationCommandOptionType.User,
            name: 'user',
            description: 'Who takes it',
            description_localizations: { ja: '新しい担当者' },
            required: true,
          },
        ]),
        sub('resolve', { en: 'Mark an inquiry resolved', ja: '解決済みにする' }, [
          inquiryId(false),
          text('note', { en: 'Internal note for the thread', ja: 'スレッドに残す社内メモ' }, false),
        ]),
        sub('reopen', { en: 'Reopen a resolved inquiry', ja: '再開する' }, [inquiryId(false)]),
        sub('reason', { en: 'Set the contact reason', ja: 'お問い合わせ理由を設定する' }, [
          inquiryId(true),
          {
            type: ApplicationCommandOptionType.String,
            name: 'reason',
            description: 'Reason id',
            description_localizations: { ja: '理由' },
            required: true,
            autocomplete: true,
            max_length: 100,
          },
        ]),
        sub('note', { en: 'Add an internal note', ja: '社内メモを残す' }, [
          inquiryId(true),
          text('text', { en: 'The note', ja: 'メモの内容' }, true),
        ]),
        sub('mine', { en: 'Inquiries you hold', ja: '自分が担当中の一覧' }),
        sub('open', { en: 'Unclaimed inquiries, oldest first', ja: '未担当の一覧（古い順）' }),
        sub('show', { en: 'Details and the full text', ja: '詳細と全文を表示' }, [inquiryId(true)]),
        sub('stats', { en: 'Counts for a period', ja: '件数などの集計' }, [
          {
            type: ApplicationCommandOptionType.String,
            name: 'period',
            description: 'Period (default: today)',
            description_localizations: { ja: '期間（既定: 今日）' },
            required: false,
            choices: [
              { name: 'today', value: 'today', name_localizations: { ja: '今日' } },
              { name: '7d', value: '7d', name_localizations: { ja: '直近 7 日' } },
              { name: '30d', value: '30d', name_localizations: { ja: '直近 30 日' } },
            ],
          },
        ]),
      ],
    },
    {
      type: ApplicationCommandType.Message,
      name: RECORD_COMMAND,
      name_localizations: { ja: 'お問い合わせとして記録' },
      contexts: [InteractionContextType.Guild],
    },
  ];
}
