import type { Failure } from '../../../core/errors.ts';
import {
  addMessage,
  assign,
  claim,
  reopen,
  resolve,
  setReason,
  unclaim,
  type Actor,
  type Inquiry,
} from '../../../core/inquiries/index.ts';
import { reasonLabel } from '../../../core/reasons/taxonomy.ts';
import { formatDateTime } from '../../../lib/time-format.ts';
import { getInquiryDetail, listInquiries } from '../../../storage/inquiry-queries.ts';
import {
  failureReply,
  helpReply,
  listWords,
  statsReply,
  successReply,
  usageReply,
  type ReplyContext,
  type Subcommand,
  SUBCOMMANDS,
} from '../../replies.ts';
import type { PlatformDeps } from '../../types.ts';
import { DISCORD_LIMITS, truncate } from '../limits.ts';
import type { DiscordQueries } from '../queries.ts';
import { actorText } from '../render.ts';
import { KOE_COMMAND } from './definitions.ts';

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

export interface KoeCommandEnv {
  deps: PlatformDeps;
  queries: DiscordQueries;
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

/** A verb's refusal in words, naming the holder the way Discord mentions people. */
export function failureText(deps: PlatformDeps, failure: Failure): string {
  return failureReply(replyContext(deps), failure, {
    holder: failure.by ? actorText(failure.by.id, failure.by.name) : undefined,
  });
}

/** Runs one `/koe` subcommand through the core and returns the ephemeral answer (≤ 2000 chars). */
export function runKoeCommand(env: KoeCommandEnv, inv: KoeInvocation): string {
  return truncate(toDiscordMarkdown(answer(env, inv)), DISCORD_LIMITS.content);
}

function answer(env: KoeCommandEnv, inv: KoeInvocation): string {
  const { deps, queries } = env;
  const { ctx } = deps;
  const c = replyContext(deps);
  const locale = c.locale;
  if (!(inv.subcommand in SUBCOMMANDS)) return usageReply(c, { kind: 'unknown', given: inv.subcommand });
  const sub = inv.subcommand as Subcommand;

  // In a mirror's thread, the inquiry is the one the thread belongs to.
  const inquiryId = inv.id ?? (inv.channelId ? queries.inquiryForMirror(inv.channelId) : null);
  const needId = (): number | string => inquiryId ?? usageReply(c, { kind: 'missingId', subcommand: sub });
  const done = (
    outcome: { ok: true } | Failure,
    key: Parameters<typeof successReply>[1],
    extra: { user?: string; reason?: string } = {},
  ) => (outcome.ok ? successReply(locale, key, { id: inquiryId as number, ...extra }) : failureText(deps, outcome));

  switch (sub) {
    case 'help':
      return helpReply(
        c,
        locale === 'ja'
          ? 'ミラーのスレッドの中では番号を省略できます。ミラーのボタンとリアクション（🙋 担当 / ✅ 解決）も使えます。'
          : 'Inside a mirror’s thread the id may be left out. The mirror’s buttons and reactions (🙋 claim / ✅ resolve) work too.',
      );
    case 'claim':
    case 'unclaim':
    case 'reopen': {
      const id = needId();
      if (typeof id === 'string') return id;
      const verb = { claim, unclaim, reopen }[sub];
      return done(
        verb(ctx, { inquiryId: id, actor: inv.actor }),
        sub === 'claim' ? 'claimed' : sub === 'unclaim' ? 'unclaimed' : 'reopened',
      );
    }
    case 'resolve': {
      const id = needId();
      if (typeof id === 'string') return id;
      return done(resolve(ctx, { inquiryId: id, actor: inv.actor, note: inv.note ?? undefined }), 'resolved');
    }
    case 'assign': {
      const id = needId();
      if (typeof id === 'string') return id;
      if (!inv.user) return usageReply(c, { kind: 'missingArgument', subcommand: sub });
      return done(assign(ctx, { inquiryId: id, actor: inv.actor, assignee: inv.user }), 'assigned', {
        user: actorText(inv.user.id, inv.user.name ?? null),
      });
    }
    case 'reason': {
      const id = needId();
      if (typeof id === 'string') return id;
      if (!inv.reason) return usageReply(c, { kind: 'missingArgument', subcommand: sub });
      const outcome = setReason(ctx, { inquiryId: id, actor: inv.actor, reasonId: inv.reason.trim(), source: 'human' });
      if (!outcome.ok) return failureText(deps, { ...outcome, inquiryId: outcome.inquiryId ?? id });
      const label = reasonLabel(ctx.reasons, outcome.inquiry.reasonId, locale);
      return successReply(locale, outcome.changed ? 'reasonSet' : 'reasonUnchanged', { id, reason: label });
    }
    case 'note': {
      const id = needId();
      if (typeof id === 'string') return id;
      const body = inv.text?.trim();
      if (!body) return usageReply(c, { kind: 'missingArgument', subcommand: sub });
      return done(addMessage(ctx, { inquiryId: id, direction: 'note', body, author: inv.actor }), 'noteAdded');
    }
    case 'mine':
    case 'open': {
      const w = listWords(locale);
      const page =
        sub === 'open'
          ? listInquiries(deps.db, { status: 'open', order: 'oldest', limit: 100 })
          : listInquiries(deps.db, { status: 'claimed', assigneeId: inv.actor.id, order: 'oldest', limit: 100 });
      if (page.items.length === 0) return sub === 'open' ? w.openEmpty : w.mineEmpty;
      const total = page.items.length;
      const lines = [sub === 'open' ? w.openTitle(total) : w.mineTitle(total)];
      for (const inquiry of page.items.slice(0, LIST_SHOWN)) lines.push(listLine(env, inquiry));
      if (total > LIST_SHOWN) lines.push(w.more(total - LIST_SHOWN));
      return lines.join('\n');
    }
    case 'show':
      return show(env, needId());
    case 'stats': {
      const period = inv.period === '7d' || inv.period === '30d' ? inv.period : 'today';
      return statsReply(locale, queries.stats(period, ctx.now(), deps.render.timezone, ctx.reasons, locale));
    }
  }
}

function title(inquiry: Pick<Inquiry, 'subject' | 'body'>): string {
  const line = inquiry.subject ?? inquiry.body.split('\n').find((l) => l.trim()) ?? '';
  return truncate(line.trim(), 80);
}

function listLine(env: KoeCommandEnv, inquiry: Inquiry): string {
  const { deps } = env;
  const locale = deps.render.locale;
  const age = listWords(locale).age((deps.ctx.now() - inquiry.receivedAt) / 60_000);
  return `• #${inquiry.id} [${reasonLabel(deps.ctx.reasons, inquiry.reasonId, locale)}] ${title(inquiry)} — ${age}`;
}

function show(env: KoeCommandEnv, id: number | string): string {
  if (typeof id === 'string') return id;
  const { deps } = env;
  const locale = deps.render.locale;
  const ja = locale === 'ja';
  const detail = getInquiryDetail(deps.db, id);
  if (!detail) return failureText(deps, { ok: false, code: 'NOT_FOUND', inquiryId: id });
  const { inquiry, customer } = detail;
  const status = {
    open: ja ? '未対応' : 'Open',
    claimed: ja ? '対応中' : 'Claimed',
    resolved: ja ? '解決済み' : 'Resolved',
  }[inquiry.status];
  const holder =
    inquiry.assigneeId && inquiry.status !== 'open' ? ` · ${actorText(inquiry.assigneeId, inquiry.assigneeName)}` : '';
  const head = [
    `**#${inquiry.id} ${title(inquiry)}**`,
    `[${reasonLabel(deps.ctx.reasons, inquiry.reasonId, locale)}] ${status}${holder}`,
    [customer?.name, customer?.email].filter(Boolean).join(' · '),
    `${ja ? '受付' : 'Received'}: ${formatDateTime(inquiry.receivedAt, deps.render.timezone, locale)} · ${inquiry.source}${inquiry.url ? ` · <${inquiry.url}>` : ''}`,
  ].filter(Boolean);
  const tail: string[] = [];
  const recent = detail.messages.slice(-3);
  if (recent.length > 0) {
    tail.push(
      ja
        ? `— 最近のメッセージ（全 ${detail.messages.length} 件）`
        : `— Latest messages (${detail.messages.length} in all)`,
    );
    for (const m of recent)
      tail.push(
        `> ${truncate(`${m.direction} · ${m.authorName ?? m.authorId ?? ''}: ${m.body.replace(/\s+/g, ' ')}`, 200)}`,
      );
  }
  // The body takes what the 2000-character message leaves.
  const fixed = head.join('\n').length + tail.join('\n').length + 8;
  const body = truncate(inquiry.body, Math.max(50, DISCORD_LIMITS.content - fixed));
  return [...head, '', body, ...(tail.length ? ['', ...tail] : [])].join('\n');
}
