import type { Message } from '../core/inquiries/types.ts';
import { formatTime } from '../lib/time-format.ts';
import type { RenderSettings } from './types.ts';
import type { Failure } from '../core/errors.ts';
import type { Locale } from '../core/reasons/taxonomy.ts';
import {
  type FormattedUser,
  type ReplyContext,
  type StatsPeriod,
  type Subcommand,
  type SuccessKey,
  type SuccessParams,
  wordsFor,
} from './words/index.ts';

/**
 * koe's answers to people, for every chat platform: which sentence, with what in it. The sentences
 * themselves live in `words/` (one file per locale); this module picks and fills them.
 */

export type { FormattedUser, ReplyContext, Subcommand, SuccessKey };

/** A refusal from a core verb, as a sentence that says what to do next. */
export function failureReply(c: ReplyContext, failure: Failure, who: { holder?: FormattedUser } = {}): string {
  return wordsFor(c.locale).failures[failure.code](c, failure, who);
}

/**
 * A refusal only an adapter makes, never a core verb: someone who is not staff (or who koe cannot
 * tell is staff just now, because the platform does not answer and koe has no record), a control on a
 * message that is not a mirror, koe's own post, a control koe does not know. `ok: false` so it can
 * stand where a verb's outcome does.
 */
export type AdapterRefusal =
  | { ok: false; refusal: 'notStaff'; role?: FormattedUser | null }
  | { ok: false; refusal: 'staffUnknown' | 'notAMirror' | 'ownPost' | 'unknownControl' };

/** A refusal, the core's or the adapter's, as a sentence. */
export function refusalReply(
  c: ReplyContext,
  refusal: Failure | AdapterRefusal,
  who: { holder?: FormattedUser } = {},
): string {
  if ('code' in refusal) return failureReply(c, refusal, who);
  const w = wordsFor(c.locale).refusals;
  switch (refusal.refusal) {
    case 'notStaff':
      return w.notStaff(refusal.role ?? null);
    case 'staffUnknown':
      return w.staffUnknown;
    case 'notAMirror':
      return w.notAMirror;
    case 'ownPost':
      return w.ownPost(c);
    case 'unknownControl':
      return w.unknownControl(c);
  }
}

/** A done action, confirmed. */
export function successReply(locale: Locale, key: SuccessKey, params: SuccessParams): string {
  return wordsFor(locale).success[key](params);
}

/** Subcommands of `/koe`, with the arguments they take (shown in help and usage errors), in help's order. */
export const SUBCOMMANDS: Readonly<Record<Subcommand, string>> = {
  help: '',
  claim: '[id]',
  unclaim: '[id]',
  assign: '<id> <@user>',
  resolve: '[id] [note]',
  reopen: '[id]',
  reason: '<id> <reason-id>',
  note: '<id> <text>',
  reply: '<id> <text>',
  mine: '',
  open: '',
  show: '<id>',
  stats: '[today|7d|30d]',
};

/** `` `/koe claim [id]` ``: how a subcommand is typed. */
function form(c: ReplyContext, s: Subcommand): string {
  return `\`${c.command} ${s}${SUBCOMMANDS[s] ? ` ${SUBCOMMANDS[s]}` : ''}\``;
}

/** The `/koe help` text. `threadHint` explains where the id may be left out on this platform. */
export function helpReply(c: ReplyContext, threadHint?: string): string {
  const help = wordsFor(c.locale).help;
  const lines = (Object.keys(SUBCOMMANDS) as Subcommand[]).map(
    (name) => `• ${form(c, name)} — ${help.subcommands[name]}`,
  );
  return [help.title, ...lines, ...(threadHint ? ['', threadHint] : [])].join('\n');
}

export type UsageProblem =
  | { kind: 'unknown'; given: string }
  | { kind: 'missingId'; subcommand: Subcommand }
  | { kind: 'badId'; given: string }
  | { kind: 'missingArgument'; subcommand: Subcommand };

/** A command typed wrong: what was wrong and the right form. */
export function usageReply(c: ReplyContext, problem: UsageProblem): string {
  const w = wordsFor(c.locale).usage;
  switch (problem.kind) {
    case 'unknown':
      return w.unknown(c, problem.given);
    case 'missingId':
      return w.missingId(c, form(c, problem.subcommand), problem.subcommand);
    case 'badId':
      return w.badId(problem.given);
    case 'missingArgument':
      return w.missingArgument(form(c, problem.subcommand));
  }
}

/** Words for lists and summaries. */
export function listWords(locale: Locale) {
  const w = wordsFor(locale);
  return { ...w.lists, unassigned: w.labels.unassigned, age: w.age };
}

/** A duration in minutes as a short phrase: see `Words.age`. */
export function formatAge(minutes: number, locale: Locale): string {
  return wordsFor(locale).age(minutes);
}

export interface StatsNumbers {
  period: StatsPeriod;
  received: number;
  resolved: number;
  openNow: number;
  claimedNow: number;
  medianFirstResponseMinutes: number | null;
  byReason: { label: string; count: number }[];
}

/** `/koe stats` as text. */
export function statsReply(locale: Locale, s: StatsNumbers): string {
  const w = wordsFor(locale);
  const median = s.medianFirstResponseMinutes === null ? '-' : w.age(s.medianFirstResponseMinutes);
  const lines = [
    w.stats.title(w.stats.periods[s.period]),
    w.stats.totals(s.received, s.resolved, median),
    w.stats.now(s.openNow, s.claimedNow),
  ];
  if (s.byReason.length > 0) {
    lines.push(w.stats.byReason);
    for (const r of s.byReason) lines.push(w.stats.reasonLine(r.label, r.count));
  }
  return lines.join('\n');
}

/** Misc one-liners. */
export function miscWords(locale: Locale) {
  return wordsFor(locale).misc;
}

/** Where a reply to an inquiry goes, in words: the customer, and the channel as the platform shows it. */
export function replyWhere(
  locale: Locale,
  target: { platform: string; channel: string },
  customerName: string,
  channelText: (platform: string, channel: string) => string,
): string {
  const where = wordsFor(locale).replies.where;
  const customer = customerName;
  if (target.platform === 'slack') return where.slack({ customer, channel: channelText('slack', target.channel) });
  if (target.platform === 'discord')
    return where.discord({ customer, channel: channelText('discord', target.channel) });
  if (target.platform === 'webhook') return where.webhook({ customer, source: target.channel });
  if (target.platform === 'email') return where.email({ customer });
  return where.other({ customer, source: `${target.platform}:${target.channel}` });
}

/**
 * A reply's state as one line, the same words on every surface: queued (until when), sent (when),
 * failed (why), undone. The author's name is as stored; a renderer escapes the line for its markup.
 */
export function replyStateLine(message: Message, settings: RenderSettings): string {
  const words = wordsFor(settings.locale).replies.state;
  const by = message.authorName ?? message.authorId ?? '?';
  const at = (ms: number) => formatTime(ms, settings.timezone, settings.locale);
  switch (message.replyState) {
    case 'sent':
      return words.sent({ by, at: at(message.sentAt ?? message.createdAt) });
    case 'failed':
      return words.failed({ by, error: message.replyError ?? '?' });
    case 'undone':
      return words.undone({ by });
    default:
      return words.queued({ by, at: at(message.sentAt ?? message.createdAt) });
  }
}
