import { App } from '@slack/bolt';
import type { Logger } from '../../lib/logger.ts';
import type { PlatformDeps, PlatformRuntime } from '../types.ts';
import { SLACK_EVENTS_PATH, type SlackContext, type SlackIdentity } from './context.ts';
import { registerActions } from './listeners/actions.ts';
import { registerCommands } from './listeners/commands.ts';
import { readBackChannel, readBackSources, registerEvents } from './listeners/events.ts';
import { readBackAtStart } from '../read-back-retry.ts';
import { registerShortcuts } from './listeners/shortcuts.ts';
import { FetchReceiver, SlackDispatcher, SocketReceiver } from './receiver.ts';
import { slackSdkLogger } from './sdk-logger.ts';
import type { SlackRenderSettings } from './render.ts';
import { createSlackReplySender } from './reply-sender.ts';
import { createSlackSender } from './sender.ts';
import { replyTargetsOf } from '../../config/reply-targets.ts';
import { createUserDirectory } from './user-directory.ts';
import { CALL_TIMEOUT_MS, createWebClient, type WebClient } from './web-client.ts';

/** Knobs for tests; production uses the defaults. */
export interface SlackRuntimeOptions {
  /** Least gap between two outbound calls to one channel (default 1000 ms). */
  paceMs?: number;
  /** How long koe may work on a payload before it must answer Slack (default 2500 ms). */
  ackBudgetMs?: number;
  /** When to try again to read back a source channel that could not be read at start (tests). */
  readBackRetry?: { delaysMs?: number[] };
}

/**
 * Builds the Slack platform: one Bolt app (Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP
 * on koe's own port at `POST /slack/events`), its listeners, and the outbound sender. Nothing talks
 * to Slack until `start()`, which checks the token with auth.test first so a bad token fails fast.
 */
export async function createSlackRuntime(
  deps: PlatformDeps,
  options: SlackRuntimeOptions = {},
): Promise<PlatformRuntime> {
  const { config, ctx, render } = deps;
  const log = deps.log.child({ platform: 'slack' });
  const { token, appToken, signingSecret, apiUrl } = slackCredentials(config);
  // Signatures and dedupe keys are about real time, whatever clock the core is given.
  const clock = Date.now;

  const web = createWebClient({ token, apiUrl, log });
  let identity: SlackIdentity = { botUserId: null, botId: null, teamId: null, url: null };
  /** The token's scopes as Slack reported them at start (`x-oauth-scopes`), or null when it did not say. */
  let scopes: string[] | null = null;
  const directory = createUserDirectory({ web, names: deps.names, log, now: clock });
  const tasks = new Set<Promise<unknown>>();
  const env: SlackContext = {
    config,
    ctx,
    read: deps.read,
    log,
    render,
    web,
    directory,
    cursors: deps.cursors,
    identity: () => identity,
    now: ctx.now,
    background: backgroundRunner(tasks, log),
  };

  const dispatcher = new SlackDispatcher({ ledger: deps.ledger, log, now: clock, ackBudgetMs: options.ackBudgetMs });
  const receiver = appToken
    ? new SocketReceiver(dispatcher, { appToken, apiUrl, log })
    : new FetchReceiver(dispatcher, { signingSecret: () => signingSecret!.reveal(), log, now: clock });
  let app: App | undefined;
  let readBackRetries: { stop(): void } | undefined;

  const slackRender = slackRenderSettings(deps, () => identity.url);
  const sender = createSlackSender({
    web,
    render: slackRender,
    log,
    paceMs: options.paceMs,
    workspaceUrl: () => identity.url,
  });
  const replies = createSlackReplySender({
    web,
    locale: config.locale,
    log,
    paceMs: options.paceMs,
    canCustomize: () => (scopes === null ? null : scopes.includes('chat:write.customize')),
  });

  return {
    sender,
    replies,
    ...(receiver instanceof FetchReceiver && {
      http: {
        method: 'POST' as const,
        path: SLACK_EVENTS_PATH,
        handle: (request: Request) => receiver.handle(request),
      },
    }),
    async start() {
      ({ identity, scopes } = await whoAmI(web));
      app = buildApp({ token, identity, receiver, log, apiUrl });
      registerCommands(app, env);
      registerActions(app, env);
      registerEvents(app, env);
      registerShortcuts(app, env);
      dispatcher.prune();
      await app.start();
      dispatcher.ready();
      log.info(
        {
          mode: appToken ? 'socket' : 'http',
          team: identity.teamId,
          bot: identity.botUserId,
          ...(!appToken && { path: SLACK_EVENTS_PATH }),
        },
        'slack: connected',
      );
      readBackRetries = await readBackAtStart({
        readSources: () => readBackSources(env),
        readChannel: (c) => readBackChannel(env, c),
        log: env.log,
        platform: 'slack',
        ...options.readBackRetry,
      });
    },
    async stop() {
      readBackRetries?.stop();
      await app?.stop();
      await dispatcher.idle();
      await Promise.allSettled([...tasks]);
      await directory.idle();
    },
  };
}

/**
 * The renderer's settings: the mirror offers "Reply to customer" only when a reply could reach the
 * customer, and file links are drawn as links only into this workspace.
 */
function slackRenderSettings(deps: PlatformDeps, workspaceUrl: () => string | null): SlackRenderSettings {
  const targetOf = replyTargetsOf(deps.config);
  return { ...deps.render, canReply: (inquiry) => targetOf(inquiry) !== null, workspaceUrl };
}

/** The bot token, and the app token (Socket Mode) or signing secret (HTTP): refused before anything is built. */
function slackCredentials(config: PlatformDeps['config']) {
  const token = config.slack.botToken?.reveal();
  if (!token) throw new Error('SLACK_BOT_TOKEN is required to run the Slack platform');
  const appToken = config.slack.appToken?.reveal();
  const signingSecret = config.slack.signingSecret;
  if (!appToken && !signingSecret)
    throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)');
  const apiUrl = config.slack.apiUrl ? config.slack.apiUrl.replace(/\/?$/, '/') : undefined;
  return { token, appToken, signingSecret, apiUrl };
}

/** `env.background`: the task runs after Slack was answered, tracked in `tasks` so a stop waits for it. */
function backgroundRunner(tasks: Set<Promise<unknown>>, log: Logger): SlackContext['background'] {
  return (label, task) => {
    const running: Promise<unknown> = Promise.resolve()
      .then(task)
      .catch((error: unknown) => log.warn({ err: error, task: label }, 'slack: background task failed'))
      .finally(() => tasks.delete(running));
    tasks.add(running);
  };
}

/** Who koe is in the workspace, and what its token may do; auth.test also fails a bad token at once. */
async function whoAmI(web: WebClient): Promise<{ identity: SlackIdentity; scopes: string[] | null }> {
  const auth = await web.auth.test();
  const identity = {
    botUserId: auth.user_id ?? null,
    botId: auth.bot_id ?? null,
    teamId: auth.team_id ?? null,
    url: auth.url ?? null,
  };
  return { identity, scopes: auth.response_metadata?.scopes ?? null };
}

/** The Bolt app. Built only once auth.test answered, so Bolt gets the bot's ids and need not call it again. */
function buildApp(options: {
  token: string;
  identity: SlackIdentity;
  receiver: SocketReceiver | FetchReceiver;
  log: Logger;
  apiUrl: string | undefined;
}): App {
  const { token, identity, receiver, log, apiUrl } = options;
  return new App({
    token,
    botId: identity.botId ?? undefined,
    botUserId: identity.botUserId ?? undefined,
    tokenVerificationEnabled: false,
    receiver,
    logger: slackSdkLogger(log),
    convoStore: false,
    clientOptions: {
      ...(apiUrl && { slackApiUrl: apiUrl }),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: CALL_TIMEOUT_MS,
    },
  });
}
