import type { ReadModel } from '../../core/ports/read-model.ts';
import type { SourceCursors } from '../../core/ports/source-cursors.ts';
import type { Config } from '../../config/load-config.ts';
import type { CoreContext } from '../../core/context.ts';
import type { Actor } from '../../core/inquiries/types.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ReplyContext } from '../replies.ts';
import type { RenderSettings } from '../types.ts';
import type { SlackMessage } from './render.ts';
import type { SlackUser, UserDirectory } from './user-directory.ts';
import type { WebClient } from './web-client.ts';

/** Who koe is in the workspace, from auth.test at start. */
export interface SlackIdentity {
  botUserId: string | null;
  botId: string | null;
  teamId: string | null;
  /** `https://acme.slack.com/` */
  url: string | null;
}

/** What every listener needs; built once by the runtime. */
export interface SlackContext {
  config: Config;
  ctx: CoreContext;
  read: ReadModel;
  log: Logger;
  render: RenderSettings;
  web: WebClient;
  directory: UserDirectory;
  /** The newest message handled per source channel, for the read-back after a stop. */
  cursors: SourceCursors;
  identity: () => SlackIdentity;
  now: () => number;
  /**
   * Runs slow follow-up work (ephemeral answers, permalinks) after Slack has been answered; tracked so
   * a stop waits for it, and failures are logged, never thrown into Bolt.
   */
  background: (label: string, task: () => Promise<unknown>) => void;
}

/** The path Slack's events, slash commands and interactivity are sent to in HTTP mode. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** The command as users type it (the manifest registers `/koe`). */
export const COMMAND = '/koe';

/** koe's actor for a Slack user. */
export function slackActor(userId: string, name: string | null | undefined): Actor {
  return { id: `slack:${userId}`, name: name ?? null };
}

export function replyContext(env: SlackContext): ReplyContext {
  return { locale: env.config.locale, command: COMMAND };
}

/** The workspaces whose members are staff: configured, or else the bot's own. */
export function staffTeams(env: SlackContext): string[] {
  if (env.config.slack.staffTeamIds.length > 0) return env.config.slack.staffTeamIds;
  const own = env.identity().teamId;
  return own ? [own] : [];
}

/**
 * Whether a user is one of us: a full member (not a guest, not a stranger known only through a shared
 * channel) of a staff workspace. Bots are never staff (nor customers: their messages are ignored).
 */
function isStaff(env: SlackContext, user: SlackUser): boolean {
  return (
    !user.isBot &&
    !user.isGuest &&
    !user.isStranger &&
    !user.deleted &&
    user.teamId !== null &&
    staffTeams(env).includes(user.teamId)
  );
}

/**
 * Who someone acting in Slack is to koe: staff; an outsider (a guest, a stranger from a shared
 * channel, a member of a workspace that is not staff, a bot); or not known just now.
 */
export type Standing =
  | { kind: 'staff'; user: SlackUser }
  | { kind: 'outsider'; user: SlackUser | null }
  | { kind: 'unknown' };

/**
 * The staff decision every Slack entry point makes, and it fails closed. A request from a workspace
 * that is not staff (its own `team_id` / `user.team_id` / `user_team`, when it carries one) is an
 * outsider's. Otherwise the user's profile decides: from `users.info` if Slack answers within
 * `timeoutMs`, else as koe last looked it up (memory, then the stored directory). With neither, the
 * answer is `unknown`: the caller refuses (asking to try again) or has Slack retry; never staff.
 */
export async function standingOf(
  env: SlackContext,
  who: { userId: string; teamId?: unknown },
  timeoutMs: number,
): Promise<Standing> {
  const fresh = await env.directory.lookup(who.userId, { timeoutMs });
  const user = fresh ?? env.directory.lastKnown(who.userId);
  if (typeof who.teamId === 'string' && who.teamId !== '' && !staffTeams(env).includes(who.teamId))
    return { kind: 'outsider', user };
  if (!user) return { kind: 'unknown' };
  return isStaff(env, user) ? { kind: 'staff', user } : { kind: 'outsider', user };
}

/** Sends an ephemeral message to one user in a channel (optionally in a thread). */
export async function postEphemeral(
  env: SlackContext,
  target: { channel: string; user: string; threadTs?: string },
  message: SlackMessage,
): Promise<void> {
  await env.web.chat.postEphemeral({
    channel: target.channel,
    user: target.user,
    ...(target.threadTs && { thread_ts: target.threadTs }),
    text: message.text,
    blocks: message.blocks,
  });
}
