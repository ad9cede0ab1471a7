import { type Action, perform } from '../core/actions.ts';
import type { CoreContext } from '../core/context.ts';
import type { Failure } from '../core/errors.ts';
import type { Actor, Inquiry } from '../core/inquiries/types.ts';
import type { InquiryDetail, ReadModel } from '../core/ports/read-model.ts';
import { reasonLabel } from '../core/reasons/taxonomy.ts';
import { localDate, startOfLocalDay } from '../lib/zoned-time.ts';
import {
  type AdapterRefusal,
  type FormattedUser,
  helpReply,
  refusalReply,
  type ReplyContext,
  type SuccessKey,
  statsReply,
  successReply,
  type UsageProblem,
  usageReply,
} from './replies.ts';
import type { RenderSettings } from './types.ts';

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
  return text(act(env, voice, command, actor, inquiryId));
}

function list(env: CommandEnv, which: 'open' | 'mine', actor: Actor): CommandAnswer {
  const filter = which === 'open' ? { status: 'open' as const } : { status: 'claimed' as const, assigneeId: actor.id };
  const page = env.read.listInquiries({ ...filter, order: 'oldest', limit: LIST_LIMIT });
  return { kind: 'list', which, items: page.items, total: page.total };
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

/** A verb's or the adapter's refusal in words, naming the holder the way the platform mentions people. */
export function refusal(voice: CommandVoice, failure: Failure | AdapterRefusal): string {
  const by = 'code' in failure ? failure.by : undefined;
  return refusalReply(voice.rc, failure, { holder: by ? voice.mention(by) : undefined });
}
