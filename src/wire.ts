import { basename, dirname, join } from 'node:path';
import type { Config } from './config/load-config.ts';
import type { Platform } from './config/schema.ts';
import { replyTargetsOf } from './config/reply-targets.ts';
import type { CoreContext } from './core/context.ts';
import { markReplyFailed, markReplySent } from './core/inquiries/index.ts';
import type { Inquiry } from './core/inquiries/types.ts';
import { createReasonGuesser, createReasonSuggester } from './core/reasons/reason-guesser.ts';
import { compileRules, compileRuleScorer } from './core/reasons/rules.ts';
import type { SuggestingRenderSettings } from './platforms/reason-menu.ts';
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
import { acknowledgementTargetOf } from './platforms/email/acknowledge-target.ts';
import { createWebhookReplySender } from './platforms/webhook/reply-sender.ts';
import { createConnectors } from './platforms/connectors/index.ts';
import type { PlatformDeps, PlatformRuntime, RenderSettings, ReplySender, Sender } from './platforms/types.ts';
import { startPlatform } from './platforms/start-with-retry.ts';
import { createAdapterPorts } from './storage/adapter-ports.ts';
import { migrateDb, openDb, type Db } from './storage/db.ts';
import { createSqliteStore } from './storage/sqlite-store.ts';
import { startWalCheckpointer, type WalCheckpointer } from './storage/wal-checkpointer.ts';
import { createWriteBatcher } from './storage/write-batch.ts';
import { loadLabels } from './storage/label-queries.ts';
import { createClassifierService } from './learning/classifier-service.ts';
import { lazySentenceEncoder } from './learning/sentence-encoder.ts';
import { createEmbeddingStore } from './storage/embedding-store.ts';
import { trainWithEncoder } from './learning/train-in-thread.ts';
import { createDigestScheduler } from './scheduler/digest-scheduler.ts';
import { createSlaPolicy } from './core/sla/policy.ts';
import { inquirySla } from './core/sla/inquiry-sla.ts';
import { shownDue } from './core/sla/shown-due.ts';
import { createSlaSweeper } from './scheduler/sla-sweeper.ts';

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
  // Loaded at the first training with an English label; a Japanese-only team never loads it.
  const encoder =
    config.classifier.enabled && config.classifier.sentenceEncoder
      ? lazySentenceEncoder({ log: options.log, store: createEmbeddingStore(db), now: options.now })
      : null;
  // Learns from the labels people set (chat, intake); retrains debounced, off the request path.
  const classifier = config.classifier.enabled
    ? createClassifierService({
        loadLabels: () => loadLabels(db, { reasonIds }),
        // The taxonomy's rules are features: the model learns from the labels how far to trust each.
        train: (examples) =>
          trainWithEncoder(examples, { threshold: config.classifier.threshold, reasons: config.reasons }, encoder),
        log: options.log,
      })
    : null;
  const guessReason = createReasonGuesser({
    rules: compileRules(config.reasons),
    classifier: () => classifier?.current() ?? null,
    threshold: config.classifier.threshold,
    reasonIds: new Set(reasonIds),
  });
  // What an unclassified inquiry's reason menu lists first, recomputed from the current model.
  const suggest = createReasonSuggester({
    ruleScores: compileRuleScorer(config.reasons),
    classifier: () => classifier?.current() ?? null,
    reasonIds: new Set(reasonIds),
  });
  const ctx: CoreContext = {
    store: createSqliteStore(db),
    now: options.now,
    reasons: config.reasons,
    routes: config.destinations,
    reactions: config.reactions,
    guessReason,
    ...(encoder && { prepareGuess: encoder.prefetch }),
    replies: { undoMs: config.replies.undoMs, targetOf: replyTargetsOf(config) },
    onEnqueued: options.wake,
    onLabeled: () => classifier?.noteLabel(),
    // One business clock for the process: it lays out the calendar once and keeps it.
    sla: createSlaPolicy(config.sla),
  };
  const suggestReasons = (inquiry: Inquiry) => suggest([inquiry.subject, inquiry.body].filter(Boolean).join('\n'));
  return { ctx, classifier, encoder, suggestReasons };
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
  options: KoeOptions & { now: () => number; db: Db; toolReplySenders: Record<string, ReplySender> },
  /** The support mailbox's way back, when `email.smtp` is set. */
  emailReplies?: ReplySender,
): OutboxWorker {
  const senders: Partial<Record<Platform, Sender>> = {
    console: createConsoleSender(render, options.consoleOut, renderDigestText),
  };
  // The tools' (Channel Talk, Intercom, Zendesk) under their source names, as config/reply-targets.ts gives them.
  const replySenders: Partial<Record<string, ReplySender>> = { ...options.toolReplySenders };
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
      // The promised date a receiver may tell the customer: the resolution due time.
      dueAt: (inquiry) => (ctx.sla ? inquirySla(ctx.sla, inquiry, options.now()).resolutionDueAt : null),
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

/** Everything koe runs, built and not yet started. */
type Parts = Awaited<ReturnType<typeof buildParts>>;

/** Builds every part over one database: core context, platforms, email, connectors, worker, schedulers, HTTP. */
async function buildParts(config: Config, options: KoeOptions, state: { ready: boolean }) {
  const { log } = options;
  const now = options.now ?? Date.now;
  const tokenFile = join(dirname(config.databasePath), 'intake-token');
  const db = openDb(config.databasePath, { log, companions: [basename(tokenFile)] });
  migrateDb(db);
  let worker: OutboxWorker | undefined;
  const wake = () => worker?.wake();
  const { ctx, classifier, encoder, suggestReasons } = buildCore(config, db, { log, now, wake });
  const render: SuggestingRenderSettings = {
    locale: config.locale,
    timezone: config.timezone,
    reasons: config.reasons,
    suggestReasons,
    // Mirrors, /koe show and /koe open show the due time and its state as of when they are drawn.
    dueOf: (inquiry) => (ctx.sla ? shownDue(ctx.sla, inquiry, now()) : null),
  };
  const ports = createAdapterPorts(db);
  // A new mail inquiry's acknowledgement is queued in the transaction that creates it (the outbox's
  // `acknowledge` kind), so it goes once across a crash; the email ReplySender delivers it.
  if (config.email?.acknowledge && config.email.smtp) {
    ctx.acknowledge = acknowledgementTargetOf(config.email, ports.ledger, now);
  }
  const platforms = await loadPlatforms(config, { config, ctx, log, render, ...ports }, options);
  const email = await loadEmail({ config, ctx, log, render, ...ports }, options);
  const connectors = createConnectors(config.connectors, { ctx, read: ports.read, log });
  const workerOptions = { ...options, now, db, toolReplySenders: connectors.replySenders };
  worker = buildWorker(config, ctx, platforms, render, workerOptions, email?.replies);
  // Warnings before and at a breach: each recorded once in the database, delivered through the outbox.
  const slaSweeper = createSlaSweeper({ ctx, read: ports.read, locale: config.locale, timezone: config.timezone, log });
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
  const intakeToken = resolveIntakeToken(config.intakeToken, tokenFile, log);
  const http: HttpServer = createHttpServer({
    ctx,
    read: ports.read,
    batch: createWriteBatcher(db), // one group commit for every HTTP write
    intakeToken: intakeToken.token,
    log,
    ready: () => state.ready,
    platformRoutes: [...Object.values(platforms).flatMap((p) => (p.http ? [p.http] : [])), ...connectors.routes],
    limits: { ...config.http, ...options.http },
    contact: { settings: config.contact, locale: config.locale },
  });
  return { db, ctx, classifier, encoder, platforms, email, worker, slaSweeper, digests, http, intakeToken };
}

/** Builds koe from config: database, core context, platforms, outbox worker and HTTP server. */
export async function createKoe(config: Config, options: KoeOptions): Promise<Koe> {
  const { log } = options;
  const state = { ready: true };
  const parts = await buildParts(config, options, state);
  const { db, ctx, worker, platforms } = parts;
  const running: Running = { checkpointer: undefined, starters: [] };

  // Stops intake first, then lets deliveries in flight finish while the platforms can still send
  // them, then disconnects the platforms. Once, however often asked (a stop after a failed start,
  // or SIGINT then SIGTERM): the second caller waits for the first stop instead of closing twice.
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> => {
    state.ready = false;
    stopping ??= stopParts(parts, running);
    return stopping;
  };

  return {
    config,
    db,
    ctx,
    worker,
    platforms,
    async start() {
      if (config.databasePath !== ':memory:') {
        running.checkpointer = startWalCheckpointer(db, config.databasePath, { log });
      }
      const port = await parts.http.listen(config.port, config.host);
      try {
        await startChannels(parts, running, log);
      } catch (error) {
        // A platform that cannot connect (bad token, missing intent) must not leave a half-started koe.
        await stopAll();
        throw error;
      }
      parts.worker.start();
      parts.classifier?.start();
      parts.digests.start();
      parts.slaSweeper.start();
      logListening(config, parts, port, log);
      return { port };
    },
    stop: stopAll,
  };
}

/** What start() set going that stop() must undo. */
interface Running {
  checkpointer: WalCheckpointer | undefined;
  starters: Array<{ stop(): void }>;
}

/** Connects the chat platforms and the mailbox: an unreachable one is retried in the background, a refused one throws. */
async function startChannels(parts: Parts, running: Running, log: Logger): Promise<void> {
  const channels = [...Object.entries(parts.platforms), ...(parts.email ? [['email', parts.email] as const] : [])];
  for (const [name, runtime] of channels) running.starters.push(await startPlatform(name, runtime, { log }));
}

async function stopParts(parts: Parts, running: Running): Promise<void> {
  await Promise.all([parts.http.close(), parts.email?.stop()]);
  await parts.digests.stop();
  parts.slaSweeper.stop();
  for (const starter of running.starters) starter.stop();
  parts.classifier?.stop();
  await parts.encoder?.close();
  await parts.worker.stop();
  for (const runtime of Object.values(parts.platforms)) await runtime.stop();
  await running.checkpointer?.stop();
  parts.db.$client.close();
}

function logListening(config: Config, parts: Parts, port: number, log: Logger): void {
  const { generatedFile, storedFile } = parts.intakeToken;
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
}
