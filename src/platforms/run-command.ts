import { type Action, perform } from '../core/actions.ts';
import type { CoreContext } from '../core/context.ts';
import type { Failure } from '../core/errors.ts';
import type { Actor, Inquiry } from '../core/inquiries/types.ts';
import type { InquiryDetail, ReadModel } from '../core/ports/read-model.ts';
import { reasonLabel } from '../core/reasons/taxonomy.ts';
import { formatTime } from '../lib/time-format.ts';
import { localDate, startOfLocalDay } from '../lib/zoned-time.ts';
import {
  type AdapterRefusal,
  type FormattedUser,
  helpReply,
  refusalReply,
  type ReplyContext,
  replyWhere,
  type SuccessKey,
  statsReply,
  successReply,
  type UsageProblem,
  usageReply,
} from './replies.ts';
import type { RenderSettings } from './types.ts';
import { wordsFor } from './words/index.ts';
import type { SlaPolicy } from '../core/sla/policy.ts';
import { shownDue } from '../core/sla/shown-due.ts';

export type StatsPeriod = 'today' | '7d' | '30d';

/** A `/koe` command, whichever platform it was typed on; `id` is absent when it was left out. */
export type KoeCommand =
  | { kind: 'help' }
  | { kind: 'claim' | 'unclaim' | 'reopen'; id?: number }
  | { kind: 'show'; id?: number }
  | { kind: 'resolve'; id?: number; note?: string }
  | { kind: 'assign'; id?: number; assignee: Actor }
  | { kind: 'reason'; id?: number; reasonId: string }
  | { kind: 'note'; id?: number; text: string }
  | { kind: 'reply'; id?: number; text: string }
  | { kind: 'mine' | 'open' }
  | { kind: 'stats'; period: StatsPeriod }
  | { kind: 'usage'; problem: UsageProblem };

/** What a command answers, for the platform to draw. */
export type CommandAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'list'; which: 'open' | 'mine'; items: Inquiry[]; total: number }
  | { kind: 'detail'; detail: InquiryDetail };

export interface CommandEnv {
  ctx: CoreContext;
  read: ReadModel;
  render: RenderSettings;
}

/** How the platform speaks: its reply context, how it mentions a person, and where ids may be left out. */
export interface CommandVoice {
  rc: ReplyContext;
  mention: (actor: { id: string; name?: string | null }) => FormattedUser;
  threadHint: string;
  /** How a channel of `platform` is shown (a link on its own platform, the bare id elsewhere). */
  channel?: (platform: string, channel: string) => string;
  /**
   * Text someone else wrote (a customer's name), escaped so the platform's markup shows it as typed.
   * Absent: shown as stored.
   */
  literal?: (text: string) => string;
}

/** How many inquiries `/koe open` and `/koe mine` list (the answer says how many there are in all). */
export const LIST_LIMIT = 20;

/**
 * Runs one `/koe` command for `actor`: queries through the read model, changes through the action
 * table. `defaultInquiryId` is the inquiry of the mirror thread it was typed in, if any.
 */
export function runKoeCommand(
  env: CommandEnv,
  voice: CommandVoice,
  command: KoeCommand,
  actor: Actor,
  defaultInquiryId: number | null = null,
): CommandAnswer {
  const text = (t: string): CommandAnswer => ({ kind: 'text', text: t });
  switch (command.kind) {
    case 'help':
      return text(helpReply(voice.rc, voice.threadHint));
    case 'usage':
      return text(usageReply(voice.rc, command.problem));
    case 'open':
    case 'mine':
      return list(env, command.kind, actor);
    case 'stats':
      return text(stats(env, voice, command.period));
  }
  const inquiryId = command.id ?? defaultInquiryId;
  if (inquiryId === null) return text(usageReply(voice.rc, { kind: 'missingId', subcommand: command.kind }));
  if (command.kind === 'show') {
    const detail = env.read.inquiryDetail(inquiryId);
    return detail ? { kind: 'detail', detail } : text(refusal(voice, { ok: false, code: 'NOT_FOUND', inquiryId }));
  }
  if (command.kind === 'reply') return text(reply(env, voice, { inquiryId, actor, body: command.text }));
  return text(act(env, voice, command, actor, inquiryId));
}

function list(env: CommandEnv, which: 'open' | 'mine', actor: Actor): CommandAnswer {
  if (which === 'open' && env.ctx.sla) return openByDue(env, env.ctx.sla);
  const filter = which === 'open' ? { status: 'open' as const } : { status: 'claimed' as const, assigneeId: actor.id };
  const page = env.read.listInquiries({ ...filter, order: 'oldest', limit: LIST_LIMIT });
  return { kind: 'list', which, items: page.items, total: page.total };
}

/**
 * `/koe open`, soonest due first (ties oldest first): a due time depends on the reason's target and
 * the business calendar, which SQL cannot rank, so the open inquiries' clocks are ranked here and
 * the first page is read by id.
 */
function openByDue(env: CommandEnv, policy: SlaPolicy): CommandAnswer {
  const nowMs = env.ctx.now();
  const open = env.read.unresolvedClocks().filter((c) => c.status === 'open');
  const ranked = open
    .map((c) => ({ id: c.id, dueAt: shownDue(policy, c, nowMs)?.dueAt ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)
    .slice(0, LIST_LIMIT);
  const page = env.read.listInquiries({ status: 'open', ids: ranked.map((r) => r.id), limit: LIST_LIMIT });
  const byId = new Map(page.items.map((i) => [i.id, i]));
  const items = ranked.flatMap((r) => byId.get(r.id) ?? []);
  return { kind: 'list', which: 'open', items, total: open.length };
}

/** The start of a stats period: local midnight today in `timezone`, or 7 / 30 days back. */
export function periodStart(period: StatsPeriod, nowMs: number, timezone: string): number {
  if (period === 'today') return startOfLocalDay(localDate(nowMs, timezone), timezone);
  return nowMs - (period === '7d' ? 7 : 30) * 24 * 3_600_000;
}

function stats(env: CommandEnv, voice: CommandVoice, period: StatsPeriod): string {
  const nowMs = env.ctx.now();
  const numbers = env.read.stats({ sinceMs: periodStart(period, nowMs, env.render.timezone), untilMs: nowMs + 1 });
  const byReason = numbers.byReason.map((r) => ({
    label: reasonLabel(env.render.reasons, r.reasonId, voice.rc.locale),
    count: r.count,
  }));
  return statsReply(voice.rc.locale, { ...numbers, period, byReason });
}

type ChangeCommand = Extract<
  KoeCommand,
  { kind: 'claim' | 'unclaim' | 'reopen' | 'resolve' | 'assign' | 'reason' | 'note' }
>;

function toAction(command: ChangeCommand, inquiryId: number, actor: Actor): Action {
  const on = { inquiryId, actor };
  switch (command.kind) {
    case 'claim':
    case 'unclaim':
    case 'reopen':
      return { type: command.kind, ...on };
    case 'resolve':
      return { type: 'resolve', ...on, ...(command.note && { note: command.note }) };
    case 'assign':
      return { type: 'assign', ...on, assignee: command.assignee };
    case 'reason':
      return { type: 'reason', ...on, reason: command.reasonId };
    case 'note':
      return { type: 'note', ...on, text: command.text };
  }
}

const DONE: Record<ChangeCommand['kind'], SuccessKey> = {
  claim: 'claimed',
  unclaim: 'unclaimed',
  reopen: 'reopened',
  resolve: 'resolved',
  assign: 'assigned',
  reason: 'reasonSet',
  note: 'noteAdded',
};

function act(env: CommandEnv, voice: CommandVoice, command: ChangeCommand, actor: Actor, inquiryId: number): string {
  const outcome = perform(env.ctx, toAction(command, inquiryId, actor));
  const locale = voice.rc.locale;
  if (command.kind === 'assign') {
    const user = voice.mention(command.assignee);
    if (outcome.ok) return successReply(locale, 'assigned', { id: inquiryId, user });
    if (outcome.code === 'ALREADY_YOURS') return successReply(locale, 'alreadyAssigned', { id: inquiryId, user });
  }
  if (!outcome.ok) return refusal(voice, { ...outcome, inquiryId: outcome.inquiryId ?? inquiryId });
  if (command.kind === 'reason') {
    const reason = reasonLabel(env.render.reasons, command.reasonId, locale);
    const changed = 'changed' in outcome && outcome.changed;
    return successReply(locale, changed ? 'reasonSet' : 'reasonUnchanged', { id: inquiryId, reason });
  }
  return successReply(locale, DONE[command.kind], { id: inquiryId });
}

/**
 * Queues a reply and says what was queued, for whom and where, and until when Undo stops it. Shared by
 * `/koe reply`, `@koe reply`, the reply form and "Send to customer".
 */
export function reply(
  env: CommandEnv,
  voice: CommandVoice,
  input: { inquiryId: number; actor: Actor; body: string },
): string {
  return replyOutcome(env, voice, input).text;
}

/** What `reply` did: queued (`ok`), or refused with the core's code; `text` says which, in words. */
export type ReplyOutcome = { ok: true; text: string } | { ok: false; code: Failure['code']; text: string };

/** `reply`, with whether it was queued: a form answers a refusal differently from a success. */
export function replyOutcome(
  env: CommandEnv,
  voice: CommandVoice,
  input: { inquiryId: number; actor: Actor; body: string },
): ReplyOutcome {
  const outcome = perform(env.ctx, { type: 'reply', ...input });
  if (!outcome.ok) {
    const text = refusal(voice, { ...outcome, inquiryId: outcome.inquiryId ?? input.inquiryId });
    return { ok: false, code: outcome.code, text };
  }
  const locale = voice.rc.locale;
  const where = replyWhereFor(env, voice, input.inquiryId, outcome.target);
  const text = wordsFor(locale).replies.queued({
    id: input.inquiryId,
    where,
    at: formatTime(outcome.sendsAt, env.render.timezone, locale),
    undoSeconds: Math.round((outcome.sendsAt - outcome.message.createdAt) / 1000),
  });
  return { ok: true, text };
}

/** Where a reply to `inquiryId` goes, in the platform's words: the customer's name (escaped) and the channel. */
export function replyWhereFor(
  env: CommandEnv,
  voice: CommandVoice,
  inquiryId: number,
  target: { platform: string; channel: string },
): string {
  const locale = voice.rc.locale;
  const customer = env.read.inquiryDetail(inquiryId)?.customer;
  const name = customer?.name ?? customer?.email;
  const shown = name ? (voice.literal ?? ((t: string) => t))(name) : wordsFor(locale).labels.unknownCustomer;
  return replyWhere(locale, target, shown, voice.channel ?? ((_p, c) => c));
}

/** A verb's or the adapter's refusal in words, naming the holder the way the platform mentions people. */
export function refusal(voice: CommandVoice, failure: Failure | AdapterRefusal): string {
  const by = 'code' in failure ? failure.by : undefined;
  return refusalReply(voice.rc, failure, { holder: by ? voice.mention(by) : undefined });
}
