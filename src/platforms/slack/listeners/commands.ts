import type { App } from '@slack/bolt';
import { miscWords, type ReplyContext, refusalReply } from '../../replies.ts';
import { type CommandAnswer, type CommandVoice, type KoeCommand, runKoeCommand } from '../../run-command.ts';
import { parseCommand } from '../command-parser.ts';
import { COMMAND, postEphemeral, slackActor, type SlackContext, standingOf } from '../context.ts';
import { formatActor, renderNotice, type SlackMessage } from '../render.ts';
import { morePagesNotice, renderInquiryDetail, renderInquiryList } from '../render-answers.ts';
import { wordsFor } from '../../words/index.ts';
import { escapeMrkdwn, mrkdwnLiteral, slackToPlain } from '../text.ts';

/** Who ran a command. */
export interface Invoker {
  userId: string;
  name: string | null;
}

/** How many messages one `/koe show` may send (the ack plus response_url's limit of five). */
const MAX_SHOW_PAGES = 6;

/** A Slack channel id, as Slack writes it in a `<#C…>` link. */
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{1,30}$/;

/**
 * How Slack speaks: mentions as `<@U123>`, a Slack channel as a `<#C…>` link (any other channel as
 * text), customers' names escaped for mrkdwn, and the thread hint for `@koe`.
 */
export function slackVoice(rc: ReplyContext): CommandVoice {
  return {
    rc,
    mention: (actor) => formatActor(actor.id, actor.name ?? null),
    threadHint: wordsFor(rc.locale).threadHints.slack,
    channel: (platform, channel) =>
      platform === 'slack' && SLACK_CHANNEL.test(channel) ? `<#${channel}>` : mrkdwnLiteral(channel, 200),
    literal: (text) => mrkdwnLiteral(text, 200),
  };
}

/** Slack's text as koe stores it: mrkdwn entities decoded; what is echoed back, escaped. */
function fromSlack(env: SlackContext, command: KoeCommand): KoeCommand {
  switch (command.kind) {
    case 'usage':
      return 'given' in command.problem
        ? { kind: 'usage', problem: { ...command.problem, given: escapeMrkdwn(command.problem.given) } }
        : command;
    case 'resolve':
      return command.note ? { ...command, note: slackToPlain(command.note) } : command;
    case 'note':
    case 'reply':
      // The customer gets the words as typed, not Slack's markup for them (`&lt;`, `<@U…>`).
      return { ...command, text: slackToPlain(command.text) };
    case 'assign': {
      if (command.assignee.name) return command;
      const userId = command.assignee.id.slice('slack:'.length);
      return { ...command, assignee: slackActor(userId, env.directory.nameSoon(userId)) };
    }
    default:
      return command;
  }
}

function draw(env: SlackContext, rc: ReplyContext, answer: CommandAnswer): SlackMessage[] {
  switch (answer.kind) {
    case 'text':
      return [renderNotice(answer.text)];
    case 'list':
      return [renderInquiryList(answer.items, answer.total, env.render, answer.which, env.now())];
    case 'detail': {
      const pages = renderInquiryDetail(answer.detail, env.render);
      if (pages.length <= MAX_SHOW_PAGES) return pages;
      const id = answer.detail.inquiry.id;
      return [
        ...pages.slice(0, MAX_SHOW_PAGES - 1),
        renderNotice(morePagesNotice(rc.locale, MAX_SHOW_PAGES - 1, pages.length, id)),
      ];
    }
  }
}

/**
 * Runs a parsed `/koe` command for `who` and returns the answer (one message, or pages for `show`).
 * Synchronous: every verb is one SQLite transaction, so the answer is ready well inside the 3 s ack.
 */
export function runCommand(
  env: SlackContext,
  rc: ReplyContext,
  command: KoeCommand,
  who: Invoker,
  where: { defaultInquiryId?: number | null } = {},
): SlackMessage[] {
  const actor = slackActor(who.userId, who.name);
  const answer = runKoeCommand(env, slackVoice(rc), fromSlack(env, command), actor, where.defaultInquiryId ?? null);
  return draw(env, rc, answer);
}

/** The inquiry whose mirror starts the thread `threadTs` in `channel`, if any. */
export function mirrorInquiryId(env: SlackContext, channel: string, threadTs: string): number | null {
  return env.read.inquiryForMirror('slack', { channel, messageRef: threadTs });
}

/** How long a command waits for Slack to describe a user before deciding from what koe stored. */
const STAFF_CHECK_MS = 700;

/** `/koe …` (whatever the command is named in the manifest) and `@koe …` in a mirror's thread. */
export function registerCommands(app: App, env: SlackContext): void {
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const rc: ReplyContext = { locale: env.config.locale, command: command.command || COMMAND };
    // Slack does not offer slash commands in threads today; if it ever sends thread_ts, use it.
    const threadTs = typeof command.thread_ts === 'string' ? command.thread_ts : undefined;
    const defaultInquiryId = threadTs ? mirrorInquiryId(env, command.channel_id, threadTs) : null;
    let pages: SlackMessage[];
    try {
      const who = await standingOf(env, { userId: command.user_id, teamId: command.team_id }, STAFF_CHECK_MS);
      if (who.kind !== 'staff') {
        const refusal = who.kind === 'unknown' ? 'staffUnknown' : 'notStaff';
        pages = [renderNotice(refusalReply(rc, { ok: false, refusal }))];
      } else {
        const name = who.user.name ?? env.directory.nameSoon(command.user_id, command.user_name || null);
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
    const defaultInquiryId = threadTs ? mirrorInquiryId(env, event.channel, threadTs) : null;
    const user = event.user;
    const where = { channel: event.channel, user, ...(threadTs && { threadTs }) };
    const fields = event as { user_team?: unknown; team?: unknown };
    const who = await standingOf(env, { userId: user, teamId: fields.user_team ?? fields.team }, STAFF_CHECK_MS);
    // A customer mentioning koe (e.g. in a shared channel) is not giving it a command.
    if (who.kind === 'outsider') return;
    if (who.kind === 'unknown') {
      const notice = renderNotice(refusalReply(rc, { ok: false, refusal: 'staffUnknown' }));
      env.background('@koe: try again', () => postEphemeral(env, where, notice));
      return;
    }
    const command = parseCommand(text);
    const pages = repliesElsewhere(command, defaultInquiryId)
      ? [
          renderNotice(
            wordsFor(rc.locale).replies.otherInquiryInThread({ thread: defaultInquiryId!, given: command.id! }),
          ),
        ]
      : runCommand(
          env,
          rc,
          command,
          { userId: user, name: who.user.name ?? env.directory.nameSoon(user) },
          { defaultInquiryId },
        );
    env.background('@koe: answer', async () => {
      for (const page of pages.slice(0, MAX_SHOW_PAGES)) {
        await postEphemeral(env, where, page);
      }
    });
  });
}

/**
 * `@koe reply 3 …` in #12's thread: a reply to another inquiry's customer, most likely text that
 * starts with a number. A reply to the wrong customer cannot be taken back once it leaves, so it is
 * refused, and the answer says how to write either one.
 */
function repliesElsewhere(
  command: KoeCommand,
  threadInquiryId: number | null,
): command is Extract<KoeCommand, { kind: 'reply' }> & { id: number } {
  return (
    command.kind === 'reply' && command.id !== undefined && threadInquiryId !== null && command.id !== threadInquiryId
  );
}
