import { Events, Routes, type APIUser, type Client, type Message } from 'discord.js';
import type { PlatformDeps, PlatformRuntime } from '../types.ts';
import { createDiscordClient } from './client.ts';
import { handleInteraction } from './commands/handle-interaction.ts';
import { createMirrorNoteHandler } from './events/mirror-notes.ts';
import { readBackChannel, readBackSources, createIntakeHandler, type IntakeEnv } from './events/intake.ts';
import { readBackAtStart } from '../read-back-retry.ts';
import { createReactionHandler } from './events/reactions.ts';
import { createDiscordReplySender } from './reply-sender.ts';
import { createDiscordSender } from './sender.ts';
import { replyTargetsOf } from '../../config/reply-targets.ts';
import { createStaffPolicy, type StaffPolicy } from './staff.ts';

export interface DiscordRuntimeOptions {
  /** How long `start()` waits for the gateway to become ready (READY and every GUILD_CREATE). */
  readyTimeoutMs?: number;
  /** Least gap between deliveries to one channel (default 1 s: Discord allows ~5 messages / 5 s). */
  paceMs?: number;
  /** When to try again to read back a source channel that could not be read at start (tests). */
  readBackRetry?: { delaysMs?: number[] };
}

export interface DiscordRuntime extends PlatformRuntime {
  client: Client;
}

/**
 * Discord for koe: one discord.js client whose REST delivers the outbox (sender) and whose gateway
 * brings in `/koe`, buttons, the reason select, the reply form, the message commands, reactions on
 * mirrors, and messages in source channels. Its `replies` answer customers in those source
 * channels. Built from explicit deps so tests can point it anywhere.
 */
export function createDiscordRuntime(deps: PlatformDeps, options: DiscordRuntimeOptions = {}): DiscordRuntime {
  const { config, log } = deps;
  const token = config.discord.token;
  if (!token) throw new Error('DISCORD_TOKEN is not set');
  const readMessageContent = config.sources.some((s) => s.platform === 'discord');
  const client = createDiscordClient({ token: token.reveal(), apiUrl: config.discord.apiUrl, readMessageContent, log });

  const staff = createStaffPolicy(config, client);
  const botUserId = botUserIdOf(client);
  const paceMs = options.paceMs ?? config.discord.paceMs;
  const targetOf = replyTargetsOf(config);
  const sender = createDiscordSender({
    rest: client.rest,
    render: deps.render,
    log,
    botUserId,
    paceMs,
    guildOf: (channelId) => guildOf(client, channelId),
    canReply: (inquiry) => targetOf(inquiry) !== null,
  });
  const replies = createDiscordReplySender({
    rest: client.rest,
    render: deps.render,
    log,
    botUserId,
    paceMs,
    cachedChannelType: (channelId) => client.channels.cache.get(channelId)?.type ?? null,
    recorded: (source, messageId) => deps.read.inquiryForSourceMessage(source, messageId) !== null,
  });

  const intake = { deps, staff, client };
  const onMessage = createIntakeHandler(intake);
  const running = listen(intake, onMessage);

  let pruneTimer: NodeJS.Timeout | undefined;
  let readBackRetries: { stop(): void } | undefined;
  const prune = () => pruneLedger(deps);

  return {
    client,
    sender,
    replies,
    async start() {
      await connect(client, token.reveal(), options.readyTimeoutMs ?? 30_000);
      log.info(
        { user: client.user?.tag, guilds: client.guilds.cache.size, messageContent: readMessageContent },
        'discord: connected',
      );
      checkChannels(deps, client, staff);
      readBackRetries = await readBackAtStart({
        readSources: () => readBackSources(intake, onMessage),
        readChannel: (c) => readBackChannel(intake, onMessage, c),
        log: deps.log,
        platform: 'discord',
        ...options.readBackRetry,
      });
      prune();
      pruneTimer = setInterval(prune, 86_400_000).unref();
    },
    async stop() {
      clearInterval(pruneTimer);
      readBackRetries?.stop();
      await Promise.allSettled([...running]);
      // Closing the socket ourselves is not a reconnect worth a warning.
      client.removeAllListeners(Events.ShardReconnecting);
      await client.destroy();
    },
  };
}

/** The bot's user id: the gateway's once logged in, before that one REST call (shared, retried after a failure). */
function botUserIdOf(client: Client): () => Promise<string> {
  let me: Promise<string> | null = null;
  return () => {
    if (client.user) return Promise.resolve(client.user.id);
    me ??= (client.rest.get(Routes.user('@me')) as Promise<APIUser>)
      .then((u) => u.id)
      .catch((error: unknown) => {
        me = null;
        throw error;
      });
    return me;
  };
}

function guildOf(client: Client, channelId: string): string | null {
  const channel = client.channels.cache.get(channelId);
  return channel && 'guildId' in channel ? channel.guildId : null;
}

/**
 * Hands gateway events to their handlers. Handlers run detached from the gateway; the returned set
 * holds those still running, for stop() to wait for.
 */
function listen(intake: IntakeEnv, onMessage: (message: Message) => Promise<void>): Set<Promise<void>> {
  const { deps, staff, client } = intake;
  const running = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };
  const onReaction = createReactionHandler({ deps, staff, client });
  client.on(Events.InteractionCreate, (interaction) => track(handleInteraction({ deps, staff }, interaction)));
  const onMirrorNote = createMirrorNoteHandler(intake);
  // A message in a mirror's thread is a note; anything else may be a customer's, in a source.
  client.on(Events.MessageCreate, (message) =>
    track(onMirrorNote(message).then((handled) => (handled ? undefined : onMessage(message)))),
  );
  client.on(Events.MessageReactionAdd, (reaction, user) => track(onReaction(reaction, user, false)));
  client.on(Events.MessageReactionRemove, (reaction, user) => track(onReaction(reaction, user, true)));
  return running;
}

// The inbound ledger only has to outlive gateway re-deliveries; a week is plenty.
const LEDGER_KEEP_MS = 7 * 86_400_000;

function pruneLedger(deps: PlatformDeps): void {
  try {
    deps.ledger.prune('discord:', LEDGER_KEEP_MS);
  } catch (error) {
    deps.log.warn({ err: error }, 'discord: could not prune the inbound event ledger');
  }
}

/**
 * Logs in and waits until READY and every GUILD_CREATE arrived; a close Discord will not let us
 * recover from (bad token, unapproved privileged intent) fails at once instead of hanging.
 */
async function connect(client: Client, token: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let onDisconnect: ((event: { code: number }) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    onDisconnect = (event) =>
      reject(new Error(`discord: the gateway closed the connection (${event.code}): ${closeHint(event.code)}`));
    client.once(Events.ShardDisconnect, onDisconnect);
    timer = setTimeout(() => reject(new Error(`discord: gateway not ready within ${timeoutMs} ms`)), timeoutMs);
  });
  ready.catch(() => {}); // awaited below; this only keeps an early rejection from going unhandled
  try {
    await Promise.race([client.login(token).then(() => ready), ready]);
  } catch (error) {
    await client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
    if (onDisconnect) client.off(Events.ShardDisconnect, onDisconnect);
  }
}

/** Warns about configured channels the bot cannot see, and about servers where nobody counts as staff. */
function checkChannels(deps: PlatformDeps, client: Client, staff: StaffPolicy): void {
  const { config, log } = deps;
  const configured = [
    ...config.destinations
      .filter((d) => d.platform === 'discord')
      .map((d) => ({ what: `destination "${d.name}"`, channel: d.channel })),
    ...config.digests
      .filter((d) => d.platform === 'discord')
      .map((d) => ({ what: `digest "${d.name}"`, channel: d.channel })),
    ...config.sources.filter((s) => s.platform === 'discord').map((s) => ({ what: 'source', channel: s.channel })),
  ];
  for (const { what, channel } of configured) {
    if (!client.channels.cache.has(channel)) {
      log.warn(
        { channel },
        `discord: the ${what} channel is not visible to the bot (wrong id, or the bot is not in that server)`,
      );
    }
  }
  if (!config.discord.staffRoleId) {
    const shared = [...staff.sourceGuilds()].filter((g) => staff.teamGuilds().has(g));
    if (shared.length > 0) {
      log.warn(
        { guilds: shared },
        'discord: a server holds both source and team channels but discord.staffRoleId is not set; nobody there counts as staff',
      );
    }
  }
}

/** What to do about a gateway close code Discord does not let a client recover from. */
function closeHint(code: number): string {
  switch (code) {
    case 4004:
      return 'authentication failed; check DISCORD_TOKEN';
    case 4014:
      return 'a privileged intent is not enabled; turn on "Message Content Intent" in the developer portal (needed for Discord sources)';
    case 4013:
      return 'invalid intents';
    default:
      return 'see the Discord gateway close codes';
  }
}
