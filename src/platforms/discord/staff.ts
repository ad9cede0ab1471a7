import type { Client } from 'discord.js';
import type { Config } from '../../config/load-config.ts';

/**
 * Who counts as staff on Discord: every member of a team guild (one that holds a Discord destination
 * or digest channel and no source channel), and anyone holding `discord.staffRoleId`. In a guild
 * where customers write (a source), only the role tells staff apart.
 */
export interface StaffPolicy {
  isStaff(guildId: string | null, roleIds: readonly string[]): boolean;
  /** Guilds whose channels are sources (customers write there). */
  sourceGuilds(): Set<string>;
  teamGuilds(): Set<string>;
}

/** The staff policy for `config`, reading channel → guild from the client's cache. */
export function createStaffPolicy(config: Config, client: Pick<Client, 'channels'>): StaffPolicy {
  const guildOf = (channelId: string): string | null => {
    const channel = client.channels.cache.get(channelId);
    return channel && 'guildId' in channel ? (channel.guildId ?? null) : null;
  };
  const guildsOf = (channelIds: string[]) => new Set(channelIds.map(guildOf).filter((g): g is string => g !== null));
  const teamChannels = [
    ...config.destinations.filter((d) => d.platform === 'discord').map((d) => d.channel),
    ...config.digests.filter((d) => d.platform === 'discord').map((d) => d.channel),
  ];
  const sourceChannels = config.sources.filter((s) => s.platform === 'discord').map((s) => s.channel);

  const policy: StaffPolicy = {
    sourceGuilds: () => guildsOf(sourceChannels),
    teamGuilds: () => guildsOf(teamChannels),
    isStaff(guildId, roleIds) {
      if (!guildId) return false;
      const role = config.discord.staffRoleId;
      if (role && roleIds.includes(role)) return true;
      return policy.teamGuilds().has(guildId) && !policy.sourceGuilds().has(guildId);
    },
  };
  return policy;
}
