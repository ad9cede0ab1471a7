import type { Config } from '../../config/load-config.ts';
import { type CheckResult, failed, passed } from '../../lib/check.ts';
import {
  type ChannelOverwrite,
  channelPermissions,
  type GuildRoles,
  missing,
  NEED_LABELS,
  type Need,
  needsOf,
} from './channel-permissions.ts';

/**
 * `koe doctor`'s Discord checks, over plain fetch (no gateway): the token is a bot's
 * (GET /users/@me), the Message Content intent is enabled when Discord sources need it (the
 * application's flags), and the bot can see and post in every configured channel (GET
 * /channels/:id, then its permissions from the server's roles, the bot's roles and the channel's
 * overwrites).
 */

const DISCORD_APPS = 'https://discord.com/developers/applications';
const DEFAULT_API = 'https://discord.com/api';
// Application flags: the Message Content intent, enabled for a verified app or an unverified one.
const MESSAGE_CONTENT = (1 << 18) | (1 << 19);

async function get(base: string, path: string, token: string) {
  const res = await fetch(`${base}/v10${path}`, {
    headers: { authorization: `Bot ${token}` },
    signal: AbortSignal.timeout(10_000),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => ({}))) as DiscordBody,
  };
}

/** The fields of Discord's answers these checks read. */
interface DiscordBody {
  id?: string;
  username?: string;
  name?: string;
  flags?: number;
  type?: number;
  guild_id?: string;
  parent_id?: string | null;
  permission_overwrites?: ChannelOverwrite[];
  owner_id?: string;
  roles?: GuildRoles['roles'] | string[];
}

type Use = 'destination' | 'digest' | 'source';

/** The Discord channels the config names, each with what it serves and so what it needs. */
export function discordChannels(config: Config): Array<{ channel: string; what: string; uses: Use[] }> {
  // One check per channel, naming everything it serves (a destination and a digest may share one).
  const seen = new Map<string, Array<{ what: string; use: Use }>>();
  const add = (channel: string, what: string, use: Use) =>
    seen.set(channel, [...(seen.get(channel) ?? []), { what, use }]);
  for (const d of config.destinations)
    if (d.platform === 'discord') add(d.channel, `destination "${d.name}"`, 'destination');
  for (const d of config.digests) if (d.platform === 'discord') add(d.channel, `digest "${d.name}"`, 'digest');
  for (const s of config.sources) if (s.platform === 'discord') add(s.channel, 'source', 'source');
  return [...seen].map(([channel, all]) => ({
    channel,
    what: all.map((a) => a.what).join(', '),
    uses: all.map((a) => a.use),
  }));
}

async function intentCheck(base: string, token: string): Promise<CheckResult> {
  const label = 'discord intents';
  const app = await get(base, '/applications/@me', token);
  if (app.status !== 200)
    return passed(label, 'Message Content needed for sources; Discord did not say whether it is on');
  if ((Number(app.body.flags) & MESSAGE_CONTENT) !== 0)
    return passed(label, 'Message Content is enabled (needed for sources)');
  return failed(
    label,
    'the Message Content intent is off, and koe needs it to read Discord source channels',
    `turn on "Message Content Intent" on the Bot page of your application at ${DISCORD_APPS}`,
  );
}

/**
 * Whether the bot can see the channel and do there what each of its uses needs. When Discord will
 * not say the roles or the bot's member (an answer other than 200), seeing it is what is checked.
 */
export async function channelCheck(
  base: string,
  token: string,
  botId: string,
  entry: { channel: string; what: string; uses: Use[] },
): Promise<CheckResult> {
  const { channel, what, uses } = entry;
  const label = `discord channel ${channel} (${what})`;
  const res = await get(base, `/channels/${channel}`, token);
  if (res.status === 200) {
    const name = `#${res.body.name ?? channel}`;
    const lacking = await lackingPermissions(base, token, botId, res.body, uses);
    if (lacking === null) return passed(label, `the bot can see ${name} (its permissions were not readable)`);
    if (lacking.length === 0) return passed(label, `the bot can see and post in ${name}`);
    const names = lacking.map((n) => NEED_LABELS[n]).join(', ');
    return failed(
      label,
      `the bot lacks ${names} in ${name}`,
      `in Discord, open ${name}'s settings → Permissions, add the bot's role (or the bot) and allow ${names}; or give its role these permissions in Server Settings → Roles (a channel overwrite that denies one wins over the role)`,
    );
  }
  return failed(
    label,
    `the bot cannot see channel ${channel} (HTTP ${res.status})`,
    'check the id (Developer Mode on, then right-click the channel → Copy Channel ID) and invite the bot to that server with the invite URL in docs/discord.md, with View Channel and Send Messages there',
  );
}

/** The needs of `uses` the bot lacks in `channel`; null when Discord would not give the roles or the bot's member. */
async function lackingPermissions(
  base: string,
  token: string,
  botId: string,
  channel: DiscordBody,
  uses: Use[],
): Promise<Need[] | null> {
  const guildId = channel.guild_id;
  if (!guildId) return null;
  // A thread has no overwrites of its own: its parent's apply.
  const isThread = channel.type === 10 || channel.type === 11 || channel.type === 12;
  const parent = isThread && channel.parent_id ? await get(base, `/channels/${channel.parent_id}`, token) : null;
  const overwrites = (parent?.status === 200 ? parent.body : channel).permission_overwrites ?? [];
  const [guild, member] = await Promise.all([
    get(base, `/guilds/${guildId}`, token),
    get(base, `/guilds/${guildId}/members/${botId}`, token),
  ]);
  if (guild.status !== 200 || member.status !== 200) return null;
  const roles = { ownerId: guild.body.owner_id ?? '', roles: (guild.body.roles ?? []) as GuildRoles['roles'] };
  const permissions = channelPermissions(
    guildId,
    roles,
    { id: botId, roles: (member.body.roles ?? []) as string[] },
    overwrites,
  );
  const forum = channel.type === 15;
  const needs = [...new Set(uses.flatMap((use) => needsOf(use, forum)))];
  return missing(permissions, needs);
}

/**
 * Whether the bot can see and post in every Discord channel the config names, each with its fix:
 * what `koe start` logs once it runs. Unreachable or refused, it says nothing: the start already
 * says that.
 */
export async function discordChannelChecks(config: Config): Promise<CheckResult[]> {
  const token = config.discord.token?.reveal();
  if (!token) return [];
  const base = (config.discord.apiUrl ?? DEFAULT_API).replace(/\/+$/, '');
  const results: CheckResult[] = [];
  try {
    const me = await get(base, '/users/@me', token);
    if (me.status !== 200) return [];
    for (const entry of discordChannels(config)) results.push(await channelCheck(base, token, me.body.id ?? '', entry));
  } catch {
    // Unreachable: koe start's own retry says so.
  }
  return results;
}

/** Every Discord check `koe doctor` makes; none when the config does not use Discord. */
export async function discordChecks(config: Config): Promise<CheckResult[]> {
  const token = config.discord.token?.reveal();
  if (!token) return [];
  const base = (config.discord.apiUrl ?? DEFAULT_API).replace(/\/+$/, '');
  try {
    const me = await get(base, '/users/@me', token);
    if (me.status !== 200) {
      return [
        failed(
          'discord token',
          `Discord refused DISCORD_TOKEN (HTTP ${me.status})`,
          `copy the bot token from the Bot page of your application at ${DISCORD_APPS} (Reset Token) into DISCORD_TOKEN`,
        ),
      ];
    }
    const results = [passed('discord token', `valid: the bot is ${me.body.username}`)];
    if (config.sources.some((s) => s.platform === 'discord')) results.push(await intentCheck(base, token));
    for (const entry of discordChannels(config)) results.push(await channelCheck(base, token, me.body.id ?? '', entry));
    return results;
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    return [
      failed(
        'discord',
        `Discord's API at ${base} is unreachable (${code})`,
        'check the network (and DISCORD_API_URL, if set)',
      ),
    ];
  }
}
