import type { App } from '@slack/bolt';
import type { Failure } from '../../../core/errors.ts';
import { addMessage, assign, claim, reopen, resolve, setReason, unclaim } from '../../../core/inquiries/index.ts';
import { reasonLabel } from '../../../core/reasons/taxonomy.ts';
import { getInquiryDetail } from '../../../storage/inquiry-queries.ts';
import {
  failureReply,
  helpReply,
  miscWords,
  statsReply,
  successReply,
  usageReply,
  type ReplyContext,
} from '../../replies.ts';
import { parseCommand, type ParsedCommand } from '../command-parser.ts';
import { COMMAND, isStaff, postEphemeral, slackActor, type SlackEnv } from '../env.ts';
import { heldInquiries, openInquiries, stats } from '../queries.ts';
import {
  formatActor,
  morePagesNotice,
  renderInquiryDetail,
  renderInquiryList,
  renderNotice,
  type SlackMessage,
} from '../render.ts';
import { escapeMrkdwn, slackToPlain } from '../text.ts';

/** Who ran a command. */
export interface Invoker {
  userId: string;
  name: string | null;
}

/** How many messages one `/koe show` may send (the ack plus response_url's limit of five). */
const MAX_SHOW_PAGES = 6;

function threadHint(locale: 'ja' | 'en'): string {
  return locale === 'ja'
    ? 'お問い合わせのスレッドの中では `@koe claim` のように koe にメンションすると、番号を省略できます。'
    : "Inside an inquiry's thread, mention koe (`@koe claim`) and the number may be left out.";
}

/** The message for a refused verb, naming who holds the inquiry the way Slack mentions them. */
export function refusal(rc: ReplyContext, failure: Failure): SlackMessage {
  return renderNotice(
    failureReply(rc, failure, { holder: failure.by ? formatActor(failure.by.id, failure.by.name) : undefined }),
  );
}

/**
 * Runs a parsed `/koe` command for `who` and returns the answer (one message, or pages for `show`).
 * Synchronous: every verb is one SQLite transaction, so the answer is ready well inside the 3 s ack.
 */
export function runCommand(
  env: SlackEnv,
  rc: ReplyContext,
  command: ParsedCommand,
  who: Invoker,
  where: { defaultInquiryId?: number } = {},
): SlackMessage[] {
  const { ctx, db, render } = env;
  const actor = slackActor(who.userId, who.name);
  const notice = (text: string) => [renderNotice(text)];
  const refused = (f: Failure) => [refusal(rc, f)];

  if (command.kind === 'help') return notice(helpReply(rc, threadHint(rc.locale)));
  if (command.kind === 'usage') {
    const problem =
      'given' in command.problem ? { ...command.problem, given: escapeMrkdwn(command.problem.given) } : command.problem;
    return notice(usageReply(rc, problem));
  }
  if (command.kind === 'open' || command.kind === 'mine') {
    const { items, total } = command.kind === 'open' ? openInquiries(db) : heldInquiries(db, actor.id);
    return [renderInquiryList(items, total, render, command.kind, env.now())];
  }
  if (command.kind === 'stats') {
    return notice(
      statsReply(
        rc.locale,
        stats(db, {
          period: command.period,
          nowMs: env.now(),
          timezone: render.timezone,
          reasons: render.reasons,
          locale: rc.locale,
        }),
      ),
    );
  }

  const inquiryId = ('id' in command ? command.id : undefined) ?? where.defaultInquiryId;
  if (inquiryId === undefined) return notice(usageReply(rc, { kind: 'missingId', subcommand: command.kind }));

  switch (command.kind) {
    case 'claim': {
      const r = claim(ctx, { inquiryId, actor });
      return r.ok ? notice(successReply(rc.locale, 'claimed', { id: inquiryId })) : refused(r);
    }
    case 'unclaim': {
      const r = unclaim(ctx, { inquiryId, actor });
      return r.ok ? notice(successReply(rc.locale, 'unclaimed', { id: inquiryId })) : refused(r);
    }
    case 'reopen': {
      const r = reopen(ctx, { inquiryId, actor });
      return r.ok ? notice(successReply(rc.locale, 'reopened', { id: inquiryId })) : refused(r);
    }
    case 'resolve': {
      const r = resolve(ctx, { inquiryId, actor, ...(command.note && { note: slackToPlain(command.note) }) });
      return r.ok ? notice(successReply(rc.locale, 'resolved', { id: inquiryId })) : refused(r);
    }
    case 'assign': {
      const name = command.user.label ?? env.directory.nameSoon(command.user.userId);
      const r = assign(ctx, { inquiryId, actor, assignee: slackActor(command.user.userId, name) });
      const user = `<@${command.user.userId}>`;
      if (r.ok) return notice(successReply(rc.locale, 'assigned', { id: inquiryId, user }));
      return r.code === 'ALREADY_YOURS'
        ? notice(successReply(rc.locale, 'alreadyAssigned', { id: inquiryId, user }))
        : refused(r);
    }
    case 'reason': {
      const r = setReason(ctx, { inquiryId, actor, reasonId: command.reasonId, source: 'human' });
      if (!r.ok) return refused(r);
      const reason = reasonLabel(render.reasons, command.reasonId, rc.locale);
      return notice(successReply(rc.locale, r.changed ? 'reasonSet' : 'reasonUnchanged', { id: inquiryId, reason }));
    }
    case 'note': {
      const r = addMessage(ctx, { inquiryId, direction: 'note', body: slackToPlain(command.text), author: actor });
      return r.ok ? notice(successReply(rc.locale, 'noteAdded', { id: inquiryId })) : refused(r);
    }
    case 'show': {
      const detail = getInquiryDetail(db, inquiryId);
      if (!detail) return refused({ ok: false, code: 'NOT_FOUND', inquiryId });
      const pages = renderInquiryDetail(detail, render);
      if (pages.length <= MAX_SHOW_PAGES) return pages;
      return [
        ...pages.slice(0, MAX_SHOW_PAGES - 1),
        renderNotice(morePagesNotice(rc.locale, MAX_SHOW_PAGES - 1, pages.length, inquiryId)),
      ];
    }
  }
}

/** The inquiry whose mirror starts the thread `threadTs` in `channel`, if any. */
export function mirrorInquiryId(env: SlackEnv, channel: string, threadTs: string): number | undefined {
  return env.ctx.store.transaction((tx) => tx.findMirrorByMessage('slack', channel, threadTs))?.inquiryId;
}

/** How long a command waits for a user's profile before deciding without it. */
const STAFF_CHECK_MS = 700;

/** `/koe …` (whatever the command is named in the manifest) and `@koe …` in a mirror's thread. */
export function registerCommands(app: App, env: SlackEnv): void {
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const rc: ReplyContext = { locale: env.config.locale, command: command.command || COMMAND };
    // Slack does not offer slash commands in threads today; if it ever sends thread_ts, use it.
    const threadTs = typeof command.thread_ts === 'string' ? command.thread_ts : undefined;
    const defaultInquiryId = threadTs ? mirrorInquiryId(env, command.channel_id, threadTs) : undefined;
    let pages: SlackMessage[];
    try {
      const profile = await env.directory.lookup(command.user_id, { timeoutMs: STAFF_CHECK_MS });
      if (profile && !isStaff(env, profile)) {
        pages = [renderNotice(notForGuests(rc.locale))];
      } else {
        const name = profile?.name ?? env.directory.nameSoon(command.user_id, command.user_name || null);
        pages = runCommand(
          env,
          rc,
          parseCommand(command.text ?? ''),
          { userId: command.user_id, name },
          { defaultInquiryId },
        );
      }
    } catch (error) {
      env.log.error({ err: error, text: command.text }, 'slack: /koe failed');
      pages = [renderNotice(miscWords(rc.locale).internalError)];
    }
    const [first, ...rest] = pages;
    await ack({ response_type: 'ephemeral', text: first?.text ?? '', blocks: first?.blocks ?? [] });
    if (rest.length > 0) {
      env.background('/koe: more pages', async () => {
        for (const page of rest)
          await respond({ response_type: 'ephemeral', replace_original: false, text: page.text, blocks: page.blocks });
      });
    }
  });

  app.event('app_mention', async ({ event }) => {
    const { botUserId } = env.identity();
    if (!event.user || event.user === botUserId) return;
    const rc: ReplyContext = { locale: env.config.locale, command: COMMAND };
    const text = (event.text ?? '')
      .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, (m) => (botUserId && m.includes(botUserId) ? '' : m))
      .trim();
    const threadTs = event.thread_ts;
    const defaultInquiryId = threadTs ? mirrorInquiryId(env, event.channel, threadTs) : undefined;
    const user = event.user;
    const profile = await env.directory.lookup(user, { timeoutMs: STAFF_CHECK_MS });
    // A customer mentioning koe (e.g. in a shared channel) is not giving it a command.
    if (profile && !isStaff(env, profile)) return;
    const pages = runCommand(
      env,
      rc,
      parseCommand(text),
      { userId: user, name: profile?.name ?? env.directory.nameSoon(user) },
      { defaultInquiryId },
    );
    env.background('@koe: answer', async () => {
      for (const page of pages.slice(0, MAX_SHOW_PAGES)) {
        await postEphemeral(env, { channel: event.channel, user, ...(threadTs && { threadTs }) }, page);
      }
    });
  });
}

function notForGuests(locale: 'ja' | 'en'): string {
  return locale === 'ja'
    ? 'koe のコマンドは社内のメンバーだけが使えます。'
    : 'koe commands are for members of the team only.';
}
