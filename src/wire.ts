import { basename, dirname, join } from 'node:path';
import type { Config } from './config/load-config.ts';
import type { Platform } from './config/schema.ts';
import { replyTargetsOf } from './config/reply-targets.ts';
import type { CoreContext } from './core/context.ts';
import { markReplyFailed, markReplySent } from './core/inquiries/index.ts';
import { createReasonGuesser } from './core/reasons/reason-guesser.ts';
import { compileRules } from './core/reasons/rules.ts';
import type { HttpLimits } from './intake/http/connections.ts';
import { createHttpServer, type HttpServer } from './intake/http/server.ts';
import { resolveIntakeToken } from './intake/http/intake-token.ts';
import type { Logger } from './lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from './outbox/worker.ts';
import { renderDigestText } from './platforms/console/render-digest.ts';
import { createConsoleSender } from './platforms/console/sender.ts';
import type { DiscordRuntimeOptions } from './platforms/discord/runtime.ts';
import type { SlackRuntimeOptions } from './platforms/slack/index.ts';
import type { EmailChannel, EmailChannelOptions } from './platforms/email/index.ts';
import { createWebhookReplySender } from './platforms/webhook/reply-sender.ts';
import type { PlatformDeps, PlatformRuntime, RenderSettings, ReplySender, Sender } from './platforms/types.ts';
import { startPlatform } from './platforms/start-with-retry.ts';
import { createAdapterPorts } from './storage/adapter-ports.ts';
import { migrateDb, openDb, type Db } from './storage/db.ts';
import { createSqliteStore } from './storage/sqlite-store.ts';
import { startWalCheckpointer, type WalCheckpointer } from './storage/wal-checkpointer.ts';
import { createWriteBatcher } from './storage/write-batch.ts';
import { loadLabels } from './storage/label-queries.ts';
import { createClassifierService } from './learning/classifier-service.ts';
import { trainInThread } from './learning/train-in-thread.ts';
import { createDigestScheduler } from './scheduler/digest-scheduler.ts';

export interface KoeOptions {
  log: Logger;
  /** Where the console destination prints; stdout by default. */
  consoleOut?: NodeJS.WritableStream;
  now?: () => number;
  /** Outbox tuning, for tests. */
  outbox?: { pollMs?: number; leaseMs?: number; backoff?: { baseMs?: number; capMs?: number } };
  /** Slack tuning (pacing, ack budget), for tests. */
  slack?: SlackRuntimeOptions;
  /** Discord tuning, for tests. */
  discord?: DiscordRuntimeOptions;
  /** The support mailbox's tuning (reconnect waits), for tests. */
  email?: EmailChannelOptions;
  /** HTTP timeouts and connection caps over those of the config (the environment), for tests. */
  http?: Partial<HttpLimits>;
}

export interface Koe {
  config: Config;
  db: Db;
  ctx: CoreContext;
  worker: OutboxWorker;
  platforms: Partial<Record<Platform, PlatformRuntime>>;
  /** Starts the HTTP server, the platforms and the worker; resolves with the bound port. */
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/** The core context over `db`, and the classifier service that learns from the team's labels. */
function buildCore(config: Config, db: Db, options: { log: Logger; now: () => number; wake: () => void }) {
  const reasonIds = config.reasons.map((r) => r.id);
  // Learns from the labels people set (chat, intake); retrains debounced, off the request path.
  const classifier = config.classifier.enabled
    ? createClassifierService({
        loadLabels: () => loadLabels(db, { reasonIds }),
        train: (examples) => trainInThread(examples, { threshold: config.classifier.threshold }),
        log: options.log,
      })
    : null;
  const guessReason = createReasonGuesser({
    rules: compileRules(config.reasons),
    classifier: () => classifier?.current() ?? null,
    threshold: config.classifier.threshold,
    reasonIds: new Set(reasonIds),
  });
  const ctx: CoreContext = {
    store: createSqliteStore(db),
    now: options.now,
    reasons: config.reasons,
    routes: config.destinations,
    reactions: config.reactions,
    guessReason,
    replies: { undoMs: config.replies.undoMs, targetOf: replyTargetsOf(config) },
    onEnqueued: options.wake,
    onLabeled: () => classifier?.noteLabel(),
  };
  return { ctx, classifier };
}

/** The chat platforms the config uses; each is loaded only then, so a console-only koe never loads their SDKs. */
async function loadPlatforms(
  config: Config,
  deps: PlatformDeps,
  options: KoeOptions,
): Promise<Partial<Record<Platform, PlatformRuntime>>> {
  const uses = (p: Platform) =>
    [...config.destinations, ...config.digests, ...config.sources].some((d) => d.platform === p);
  const platforms: Partial<Record<Platform, PlatformRuntime>> = {};
  if (uses('discord') && config.discord.token) {
    const { createDiscordRuntime } = await import('./platforms/discord/index.ts');
    platforms.discord = createDiscordRuntime(deps, options.discord);
  }
  if (uses('slack') && config.slack.botToken) {
    const { createSlackRuntime } = await import('./platforms/slack/index.ts');
    platforms.slack = await createSlackRuntime(deps, { paceMs: config.slack.paceMs, ...options.slack });
  }
  return platforms;
}

/**
 * The support mailbox (`email:`), a customer channel of its own; its libraries load only when
 * configured. It stops with the intake, before the worker: its SMTP side keeps no connection open,
 * so replies in flight still go out.
 */
async function loadEmail(deps: PlatformDeps, options: KoeOptions): Promise<EmailChannel | undefined> {
  if (!deps.config.email) return undefined;
  const { createEmailChannel } = await import('./platforms/email/index.ts');
  return createEmailChannel(deps, options.email);
}

function buildWorker(
  config: Config,
  ctx: CoreContext,
  platforms: Partial<Record<Platform, PlatformRuntime>>,
  render: RenderSettings,
  options: KoeOptions & { now: () => number; db: Db },
  /** The support mailbox's way back, when `email.smtp` is set. */
  emailReplies?: ReplySender,
): OutboxWorker {
  const senders: Partial<Record<Platform, Sender>> = {
    console: createConsoleSender(render, options.consoleOut, renderDigestText),
  };
  const replySenders: Partial<Record<string, ReplySender>> = {};
  for (const [platform, runtime] of Object.entries(platforms)) {
    senders[platform as Platform] = runtime.sender;
    if (runtime.replies) replySenders[platform] = runtime.replies;
  }
  if (emailReplies) replySenders.email = emailReplies;
  const { webhooks, webhookSecret } = config.replies;
  if (webhooks.length > 0 && webhookSecret) {
    replySenders.webhook = createWebhookReplySender({
      webhooks,
      secret: webhookSecret,
      log: options.log,
      now: options.now,
    });
  }
  return createOutboxWorker({
    db: options.db,
    senders,
    replySenders,
    replyHooks: {
      sent: (messageId, posted, at) => markReplySent(ctx, { messageId, ref: posted?.messageRef ?? null, at }),
      failed: (messageId, error) => markReplyFailed(ctx, { messageId, error }),
    },
    log: options.log,
    now: options.now,
    maxAttempts: config.delivery.maxAttempts,
    leaseMs: config.delivery.leaseMs,
    ...options.outbox,
  });
}

/** Builds koe from config: database, core context, platforms, outbox worker and HTTP server. */
export async function createKoe(config: Config, options: KoeOptions): Promise<Koe> {
  const { log } = options;
  const now = options.now ?? Date.now;
  const tokenFile = join(dirname(config.databasePath), 'intake-token');
  const db = openDb(config.databasePath, { log, companions: [basename(tokenFile)] });
  migrateDb(db);
  let ready = true;
  let worker: OutboxWorker | undefined;
  const wake = () => worker?.wake();
  const { ctx, classifier } = buildCore(config, db, { log, now, wake });
  const render: RenderSettings = { locale: config.locale, timezone: config.timezone, reasons: config.reasons };
  const ports = createAdapterPorts(db);
  const platforms = await loadPlatforms(config, { config, ctx, log, render, ...ports }, options);
  const email = await loadEmail({ config, ctx, log, render, ...ports }, options);
  worker = buildWorker(config, ctx, platforms, render, { ...options, now, db }, email?.replies);
  const digests = createDigestScheduler({
    db,
    digests: config.digests,
    timezone: config.timezone,
    locale: config.locale,
    reasons: config.reasons,
    sla: config.sla,
    log,
    now,
    onEnqueued: wake,
  });
  const { token, generatedFile, storedFile } = resolveIntakeToken(config.intakeToken, tokenFile, log);
  const http: HttpServer = createHttpServer({
    ctx,
    read: ports.read,
    batch: createWriteBatcher(db), // one group commit for every HTTP write
    intakeToken: token,
    log,
    ready: () => ready,
    platformRoutes: Object.values(platforms).flatMap((p) => (p.http ? [p.http] : [])),
    limits: { ...config.http, ...options.http },
  });
  let checkpointer: WalCheckpointer | undefined;
  const starters: Array<{ stop(): void }> = [];

  // Stops intake first, then lets deliveries in flight finish while the platforms can still send
  // them, then disconnects the platforms. Once, however often asked (a stop after a failed start,
  // or SIGINT then SIGTERM): the second caller waits for the first stop instead of closing twice.
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    stopping ??= stopEverything();
    return stopping;
  };
  async function stopEverything(): Promise<void> {
    ready = false;
    await Promise.all([http.close(), email?.stop()]);
    await digests.stop();
    for (const starter of starters) starter.stop();
    classifier?.stop();
    await worker!.stop();
    for (const runtime of Object.values(platforms)) await runtime.stop();
    await checkpointer?.stop();
    db.$client.close();
  }

  return {
    config,
    db,
    ctx,
    worker,
    platforms,
    async start() {
      if (config.databasePath !== ':memory:') checkpointer = startWalCheckpointer(db, config.databasePath, { log });
      const port = await http.listen(config.port, config.host);
      try {
        // An unreachable platform is retried in the background; a refused one (a wrong token) throws.
        for (const [name, runtime] of [...Object.entries(platforms), ...(email ? [['email', email] as const] : [])])
          starters.push(await startPlatform(name, runtime, { log }));
      } catch (error) {
        // A platform that cannot connect (bad token, missing intent) must not leave a half-started koe.
        await stopAll();
        throw error;
      }
      worker!.start();
      classifier?.start();
      digests.start();
      log.info(
        {
          port,
          database: config.databasePath,
          destinations: config.destinations.map((d) => `${d.name} (${d.platform})`),
          intakeToken: generatedFile
            ? `generated, in ${generatedFile}`
            : storedFile
              ? `from ${storedFile}`
              : 'from KOE_INTAKE_TOKEN',
        },
        'koe is listening',
      );
      return { port };
    },
    stop: stopAll,
  };
}
