import type { Config } from '../../config/load-config.ts';
import { type CheckResult, failed, passed } from '../../lib/check.ts';

/**
 * `koe doctor`'s Discord checks, over plain fetch (no gateway): the token is a bot's
 * (GET /users/@me), the Message Content intent is enabled when Discord sources need it (the
 * application's flags), and the bot can see every configured channel (GET /channels/:id).
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
    body: (await res.json().catch(() => ({}))) as { username?: string; name?: string; flags?: number },
  };
}

function discordChannels(config: Config): Array<{ channel: string; what: string }> {
  // One check per channel, naming everything it serves (a destination and a digest may share one).
  const seen = new Map<string, string[]>();
  const add = (channel: string, what: string) => seen.set(channel, [...(seen.get(channel) ?? []), what]);
  for (const d of config.destinations) if (d.platform === 'discord') add(d.channel, `destination "${d.name}"`);
  for (const d of config.digests) if (d.platform === 'discord') add(d.channel, `digest "${d.name}"`);
  for (const s of config.sources) if (s.platform === 'discord') add(s.channel, 'source');
  return [...seen].map(([channel, what]) => ({ channel, what: what.join(', ') }));
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

async function channelCheck(base: string, token: string, channel: string, what: string): Promise<CheckResult> {
  const label = `discord channel ${channel} (${what})`;
  const res = await get(base, `/channels/${channel}`, token);
  if (res.status === 200) return passed(label, `the bot can see #${res.body.name ?? channel}`);
  return failed(
    label,
    `the bot cannot see channel ${channel} (HTTP ${res.status})`,
    'check the id (Developer Mode on, then right-click the channel → Copy Channel ID) and invite the bot to that server with the invite URL in docs/discord.md, with View Channel and Send Messages there',
  );
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
    for (const { channel, what } of discordChannels(config))
      results.push(await channelCheck(base, token, channel, what));
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
