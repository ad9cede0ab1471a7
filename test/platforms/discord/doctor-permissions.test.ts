import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/load-config.ts';
import { Secret } from '../../../src/config/secret.ts';
import { channelPermissions, missing, needsOf } from '../../../src/platforms/discord/channel-permissions.ts';
import { discordChecks } from '../../../src/platforms/discord/preflight.ts';
import { checkLine } from '../../../src/lib/check.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, PERMISSION, startFakeDiscord } from '../../fakes/discord/fake-discord.ts';

/**
 * `koe doctor` on Discord: can the bot post? Its permissions in each configured channel, worked out
 * from the server's roles, the bot's roles and the channel's overwrites, against the fake Discord.
 */

let discord: Awaited<ReturnType<typeof startFakeDiscord>>;
beforeEach(async () => {
  discord = await startFakeDiscord();
});
afterEach(async () => discord.close());

function config(channels: { destination?: string; digest?: string; source?: string }): Config {
  return {
    discord: { token: new Secret(discord.token), apiUrl: discord.apiUrl },
    destinations: channels.destination ? [{ name: 'team', platform: 'discord', channel: channels.destination }] : [],
    digests: channels.digest
      ? [{ name: 'daily', platform: 'discord', channel: channels.digest, period: 'day', schedule: '0 9 * * *' }]
      : [],
    sources: channels.source ? [{ platform: 'discord', channel: channels.source, joinWindowMinutes: 5 }] : [],
  } as unknown as Config;
}

const channelLines = async (c: Config) =>
  (await discordChecks(c)).filter((r) => r.label.startsWith('discord channel')).map(checkLine);

describe('koe doctor: what the bot may do in each Discord channel', () => {
  it('passes where @everyone lets the bot post (a new server’s defaults)', async () => {
    const g = discord.addGuild('team');
    const team = discord.addChannel(g, 'team');
    expect(await channelLines(config({ destination: team.id }))).toEqual([
      `✓ discord channel ${team.id} (destination "team"): the bot can see and post in #team`,
    ]);
  });

  it('names what a channel overwrite takes from @everyone, and how to grant it', async () => {
    const g = discord.addGuild('team');
    const team = discord.addChannel(g, 'team');
    team.overwrites = [
      { id: g.id, type: 0, allow: 0n, deny: PERMISSION.SendMessages | PERMISSION.CreatePublicThreads },
    ];
    const [line] = await channelLines(config({ destination: team.id }));
    expect(line).toBe(
      `✗ discord channel ${team.id} (destination "team"): the bot lacks Send Messages, Embed Links, Create Public Threads in #team\n` +
        "    fix: in Discord, open #team's settings → Permissions, add the bot's role (or the bot) and allow Send Messages, Embed Links, Create Public Threads; or give its role these permissions in Server Settings → Roles (a channel overwrite that denies one wins over the role)",
    );
  });

  it('lets the bot’s role give back what @everyone lacks, and its own overwrite win over its roles', async () => {
    const koeRole = { name: 'koe', permissions: DEFAULT_EVERYONE_PERMISSIONS };
    const g = discord.addGuild('team', [koeRole]);
    g.everyonePermissions = 0n; // a locked-down server: only roles grant anything
    g.botRoles = [g.roles[0]!.id];
    const team = discord.addChannel(g, 'team');
    const digests = discord.addChannel(g, 'digests');
    digests.overwrites = [
      { id: g.roles[0]!.id, type: 0, allow: 0n, deny: PERMISSION.EmbedLinks },
      { id: discord.bot.id, type: 1, allow: PERMISSION.EmbedLinks, deny: PERMISSION.ReadMessageHistory },
    ];
    expect(await channelLines(config({ destination: team.id, digest: digests.id }))).toEqual([
      `✓ discord channel ${team.id} (destination "team"): the bot can see and post in #team`,
      expect.stringMatching(
        new RegExp(
          `^✗ discord channel ${digests.id} \\(digest "daily"\\): the bot lacks Read Message History in #digests\\n`,
        ),
      ),
    ]);
  });

  it('asks a source forum for Send Messages in Threads, and a hidden channel for View Channel first', async () => {
    const g = discord.addGuild('community');
    const forum = discord.addChannel(g, 'help', 15);
    forum.overwrites = [{ id: g.id, type: 0, allow: 0n, deny: PERMISSION.SendMessagesInThreads }];
    const hidden = discord.addChannel(g, 'staff-only');
    hidden.overwrites = [{ id: g.id, type: 0, allow: 0n, deny: PERMISSION.ViewChannel }];
    const lines = await channelLines(config({ source: forum.id, destination: hidden.id }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('the bot lacks View Channel, Send Messages, Embed Links, Create Public Threads');
    expect(lines[1]).toContain(`(source): the bot lacks Send Messages in Threads in #help`);
  });
});

describe('channelPermissions, as Discord works them out', () => {
  const guildId = '100';
  const guild = {
    ownerId: '1',
    roles: [
      { id: guildId, name: '@everyone', permissions: String(PERMISSION.ViewChannel) },
      { id: '200', name: 'koe', permissions: String(PERMISSION.SendMessages) },
      { id: '300', name: 'admin', permissions: String(PERMISSION.Administrator) },
    ],
  };
  const needs = needsOf('digest', false);

  it('gives the owner and an Administrator everything, overwrites or not', () => {
    const deny = [{ id: guildId, type: 0, allow: '0', deny: String(PERMISSION.ViewChannel) }];
    expect(missing(channelPermissions(guildId, guild, { id: '1', roles: [] }, deny), needs)).toEqual([]);
    expect(missing(channelPermissions(guildId, guild, { id: '9', roles: ['300'] }, deny), needs)).toEqual([]);
  });

  it('applies @everyone, then the roles together, then the member; a role allow beats an @everyone deny', () => {
    const overwrites = [
      { id: guildId, type: 0, allow: '0', deny: String(PERMISSION.SendMessages) },
      { id: '200', type: 0, allow: String(PERMISSION.SendMessages | PERMISSION.EmbedLinks), deny: '0' },
      { id: '9', type: 1, allow: '0', deny: String(PERMISSION.EmbedLinks) },
    ];
    expect(missing(channelPermissions(guildId, guild, { id: '9', roles: ['200'] }, overwrites), needs)).toEqual([
      'EmbedLinks',
      'ReadMessageHistory',
    ]);
  });
});
