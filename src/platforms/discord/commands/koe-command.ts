import type { Failure } from '../../../core/errors.ts';
import type { Actor, Inquiry } from '../../../core/inquiries/index.ts';
import type { InquiryDetail } from '../../../core/ports/read-model.ts';
import { reasonLabel } from '../../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../../lib/time-format.ts';
import { type AdapterRefusal, listWords, type ReplyContext, SUBCOMMANDS, type Subcommand } from '../../replies.ts';
import { replyTargetsOf } from '../../../config/reply-targets.ts';
import {
  type CommandAnswer,
  type CommandVoice,
  type KoeCommand,
  refusal,
  reply,
  runKoeCommand,
} from '../../run-command.ts';
import type { PlatformDeps } from '../../types.ts';
import { wordsFor } from '../../words/index.ts';
import { DISCORD_LIMITS, truncate } from '../limits.ts';
import { escapeMarkdown, linkTarget } from '../markdown.ts';
import { actorText, httpUrl } from '../render.ts';
import { customerReplyFits } from '../render-reply.ts';
import { KOE_COMMAND } from './definitions.ts';
import { dueLine } from '../../due-line.ts';

/** One `/koe` call, with its typed options already read from the interaction. */
export interface KoeInvocation {
  subcommand: string;
  actor: Actor;
  /** Where it was typed: inside a mirror's thread the inquiry id may be left out. */
  channelId: string | null;
  id?: number | null;
  user?: Actor | null;
  reason?: string | null;
  note?: string | null;
  text?: string | null;
  period?: string | null;
}

const LIST_SHOWN = 10;

/** Slack's whole-line `*bold*` (replies.ts) as Discord's `**bold**`; everything else is shared markdown. */
export function toDiscordMarkdown(text: string): string {
  return text.replace(/(^|\n)\*([^*\n]+)\*(?=\n|$)/g, '$1**$2**');
}

/** The reply context of Discord: the configured locale and `/koe`. */
export function replyContext(deps: PlatformDeps): ReplyContext {
  return { locale: deps.render.locale, command: `/${KOE_COMMAND}` };
}

/** How Discord speaks: mentions as `<@123>`, and where the id may be left out. */
export function discordVoice(deps: PlatformDeps): CommandVoice {
  const rc = replyContext(deps);
  return {
    rc,
    mention: (actor) => actorText(actor.id, actor.name ?? null),
    threadHint: wordsFor(rc.locale).threadHints.discord,
    // A Discord channel as a link to it; another platform's channel as its id, as text.
    channel: (platform, channel) => (platform === 'discord' ? `<#${channel}>` : escapeMarkdown(channel)),
  };
}

/** A verb's or the adapter's refusal in words, naming the holder the way Discord mentions people. */
export function failureText(deps: PlatformDeps, failure: Failure | AdapterRefusal): string {
  return refusal(discordVoice(deps), failure);
}

/** The typed options of `/koe` as a command; Discord has already checked their types. */
export function toKoeCommand(inv: KoeInvocation): KoeCommand {
  if (!Object.hasOwn(SUBCOMMANDS, inv.subcommand))
    return { kind: 'usage', problem: { kind: 'unknown', given: inv.subcommand } };
  const sub = inv.subcommand as Subcommand;
  const id = inv.id ?? undefined;
  const missing: KoeCommand = { kind: 'usage', problem: { kind: 'missingArgument', subcommand: sub } };
  switch (sub) {
    case 'help':
    case 'mine':
    case 'open':
      return { kind: sub };
    case 'claim':
    case 'unclaim':
    case 'reopen':
    case 'show':
      return { kind: sub, id };
    case 'resolve':
      return { kind: 'resolve', id, ...(inv.note && { note: inv.note }) };
    case 'assign':
      return inv.user ? { kind: 'assign', id, assignee: inv.user } : missing;
    case 'reason':
      return inv.reason?.trim() ? { kind: 'reason', id, reasonId: inv.reason.trim() } : missing;
    case 'note':
    case 'reply':
      return inv.text?.trim() ? { kind: sub === 'note' ? 'note' : 'reply', id, text: inv.text.trim() } : missing;
    case 'stats':
      return { kind: 'stats', period: inv.period === '7d' || inv.period === '30d' ? inv.period : 'today' };
  }
}

/** Runs one `/koe` subcommand through the core and returns the ephemeral answer (≤ 2000 chars). */
export function runDiscordCommand(
  deps: PlatformDeps,
  command: KoeCommand,
  actor: Actor,
  channelId: string | null,
): string {
  // In a mirror's thread, the inquiry is the one the thread belongs to.
  const inThread = channelId ? deps.read.inquiryForMirror('discord', { messageRef: channelId }) : null;
  const inquiryId = command.kind === 'reply' ? (command.id ?? inThread) : null;
  if (command.kind === 'reply' && inquiryId !== null)
    return truncate(replyFromDiscord(deps, { inquiryId, actor, body: command.text }), DISCORD_LIMITS.content);
  const answer = runKoeCommand(deps, discordVoice(deps), command, actor, inThread);
  return truncate(toDiscordMarkdown(draw(deps, answer)), DISCORD_LIMITS.content);
}

/**
 * Queues a reply typed on Discord (`/koe reply`, the form): refused at once when it is bound for a
 * Discord channel and would not fit Discord's 2000 characters once escaped (it would only fail later).
 */
export function replyFromDiscord(deps: PlatformDeps, input: { inquiryId: number; actor: Actor; body: string }): string {
  const inquiry = deps.read.inquiryDetail(input.inquiryId)?.inquiry;
  const target = inquiry ? replyTargetsOf(deps.config)(inquiry) : null;
  if (inquiry && !target) return noWayBack(deps, inquiry);
  if (target?.platform === 'discord' && input.body) {
    const { fits, length } = customerReplyFits({ body: input.body, authorName: input.actor.name ?? null });
    if (!fits) return wordsFor(deps.render.locale).discord.replies.tooLong({ length, max: DISCORD_LIMITS.content });
  }
  return toDiscordMarkdown(reply(deps, discordVoice(deps), input));
}

/**
 * NO_WAY_BACK, with where the customer wrote shown safely: the address as a link that cannot close
 * its `<…>` (no preview), the source as text. Both are the customer's or a form's to choose.
 */
export function noWayBack(deps: PlatformDeps, inquiry: Pick<Inquiry, 'id' | 'source' | 'url'>): string {
  const url = httpUrl(inquiry.url);
  const failure = {
    ok: false as const,
    code: 'NO_WAY_BACK' as const,
    inquiryId: inquiry.id,
    source: escapeMarkdown(inquiry.source),
    url: url ? `<${linkTarget(url)}>` : null,
  };
  return toDiscordMarkdown(failureText(deps, failure));
}

function draw(deps: PlatformDeps, answer: CommandAnswer): string {
  switch (answer.kind) {
    case 'text':
      return answer.text;
    case 'list':
      return list(deps, answer);
    case 'detail':
      return show(deps, answer.detail);
  }
}

function list(deps: PlatformDeps, answer: Extract<CommandAnswer, { kind: 'list' }>): string {
  const w = listWords(deps.render.locale);
  const open = answer.which === 'open';
  if (answer.total === 0) return open ? w.openEmpty : w.mineEmpty;
  const lines = [open ? w.openTitle(answer.total) : w.mineTitle(answer.total)];
  const shown = answer.items.slice(0, LIST_SHOWN);
  for (const inquiry of shown) lines.push(listLine(deps, inquiry));
  if (answer.total > shown.length) lines.push(w.more(answer.total - shown.length));
  return lines.join('\n');
}

/** The subject (or first line), cut to 80 and escaped: customer text shows as written, never as markup. */
function title(inquiry: Pick<Inquiry, 'subject' | 'body'>): string {
  const line = inquiry.subject ?? inquiry.body.split('\n').find((l) => l.trim()) ?? '';
  return escapeMarkdown(truncate(line.trim(), 80));
}

function listLine(deps: PlatformDeps, inquiry: Inquiry): string {
  const locale = deps.render.locale;
  const age = listWords(locale).age((deps.ctx.now() - inquiry.receivedAt) / 60_000);
  const due = dueLine(inquiry, deps.render);
  return `• #${inquiry.id} [${reasonLabel(deps.ctx.reasons, inquiry.reasonId, locale)}] ${title(inquiry)} — ${age}${due ? ` · ${due}` : ''}`;
}

function show(deps: PlatformDeps, detail: InquiryDetail): string {
  const locale = deps.render.locale;
  const w = wordsFor(locale);
  const { inquiry, customer } = detail;
  const status = w.status[inquiry.status];
  // A web address, without a preview, that cannot close its `<…>`; anything else as plain text.
  const url = httpUrl(inquiry.url);
  const link = url ? `<${linkTarget(url)}>` : inquiry.url ? escapeMarkdown(inquiry.url) : '';
  const holder =
    inquiry.assigneeId && inquiry.status !== 'open' ? ` · ${actorText(inquiry.assigneeId, inquiry.assigneeName)}` : '';
  const head = [
    `**#${inquiry.id} ${title(inquiry)}**`,
    `[${reasonLabel(deps.ctx.reasons, inquiry.reasonId, locale)}] ${status}${holder}`,
    [customer?.name, customer?.email]
      .filter(Boolean)
      .map((t) => escapeMarkdown(t!))
      .join(' · '),
    `${w.labels.received}: ${formatDateTime(inquiry.receivedAt, deps.render.timezone, locale)} · ${escapeMarkdown(inquiry.source)}${link ? ` · ${link}` : ''}`,
    dueLine(inquiry, deps.render),
  ].filter(Boolean);
  const tail: string[] = [];
  const recent = detail.messages.slice(-3);
  if (recent.length > 0) {
    tail.push(`— ${w.discord.latestMessages(detail.messages.length)}`);
    for (const m of recent)
      tail.push(
        `> ${truncate(`${w.direction[m.direction]} · ${escapeMarkdown(`${m.authorName ?? m.authorId ?? ''}: ${m.body.replace(/\s+/g, ' ')}`)}`, 200)}`,
      );
  }
  // The body takes what the 2000-character message leaves.
  const fixed = head.join('\n').length + tail.join('\n').length + 8;
  const body = truncate(escapeMarkdown(inquiry.body), Math.max(50, DISCORD_LIMITS.content - fixed));
  return [...head, '', body, ...(tail.length ? ['', ...tail] : [])].join('\n');
}
