import { Client, Events, GatewayIntentBits, Partials, type RateLimitData } from 'discord.js';
import type { Logger } from '../../lib/logger.ts';

export interface DiscordClientOptions {
  /** Bot token, revealed only here where it is handed to discord.js. */
  token: string;
  /** REST base without version (`DISCORD_API_URL`); the gateway URL then comes from its `/gateway/bot`. */
  apiUrl?: string;
  /** Read message text in source channels: needs the privileged MessageContent intent. */
  readMessageContent: boolean;
  log: Logger;
}

/**
 * The gateway intents koe asks for: guilds (channels, roles, threads, interactions), guild messages
 * (source channels and threads), reactions (on mirrors); MessageContent only when a Discord channel
 * is a source, since it is privileged and an unapproved privileged intent closes the gateway (4014).
 */
export function intentsFor(readMessageContent: boolean): GatewayIntentBits[] {
  const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.GuildMessageReactions];
  if (readMessageContent) intents.push(GatewayIntentBits.MessageContent);
  return intents;
}

/** Only requests to channel routes are refused on a rate limit: the outbox owns their pacing. */
export function rejectsOnRateLimit(data: Pick<RateLimitData, 'route'>): boolean {
  return data.route.startsWith('/channels/');
}

/**
 * One discord.js client: the intents above; partials so reactions on messages sent before this
 * process started still arrive; REST at `apiUrl`; connection changes logged. The token is set on
 * REST at once so the sender can deliver before (or without) the gateway.
 */
export function createDiscordClient(options: DiscordClientOptions): Client {
  const { log } = options;
  const client = new Client({
    intents: intentsFor(options.readMessageContent),
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {}),
      // Channel calls come from the outbox: a rate limit becomes RateLimitedError there and the
      // channel pauses, instead of a request parked inside discord.js holding the delivery's lease.
      rejectOnRateLimit: rejectsOnRateLimit,
      // 4 tries × 10 s stays inside the outbox lease (60 s); posts are idempotent through their nonce.
      timeout: 10_000,
    },
    // koe reads ids from events and never needs a long message cache.
    allowedMentions: { parse: [] },
  });
  client.rest.setToken(options.token);

  client.on(Events.ShardReady, (shardId, unavailable) =>
    log.info({ shardId, unavailableGuilds: unavailable?.size ?? 0 }, 'discord: gateway ready'),
  );
  client.on(Events.ShardResume, (shardId, replayed) =>
    log.info({ shardId, replayed }, 'discord: gateway session resumed'),
  );
  client.on(Events.ShardReconnecting, (shardId) => log.warn({ shardId }, 'discord: gateway reconnecting'));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    log.error(
      { shardId, code: event.code },
      'discord: gateway disconnected and will not reconnect (check token and intents)',
    ),
  );
  client.on(Events.ShardError, (error, shardId) => log.warn({ shardId, err: error }, 'discord: gateway error'));
  client.on(Events.Warn, (message) => log.warn({ message }, 'discord: warning'));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord: client error'));
  client.on(Events.Debug, (message) => log.trace({ message }, 'discord: debug'));
  client.rest.on('rateLimited', (info) =>
    log.debug(
      { route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global },
      'discord: rate limited',
    ),
  );
  return client;
}
