import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * What the bot may do in one channel, worked out as Discord does it
 * (discord.com/developers/docs/topics/permissions#permission-overwrites): the server's @everyone
 * role and the bot's roles, then the channel's overwrites for @everyone, for the bot's roles
 * together, and for the bot itself, each taking away its `deny` before adding its `allow`. The
 * server's owner and an Administrator may do everything. Without View Channel nothing else counts,
 * and without Send Messages neither do Embed Links. Pure, over the REST shapes, so `koe doctor`
 * needs no gateway.
 */

export interface GuildRoles {
  ownerId: string;
  roles: Array<{ id: string; name: string; permissions: string }>;
}

export interface ChannelOverwrite {
  id: string;
  /** 0: a role (the guild's own id is @everyone), 1: a member. */
  type: number;
  allow: string;
  deny: string;
}

export type Need = keyof typeof NEED_LABELS;

/** Each permission koe needs, as Discord's settings name it. */
export const NEED_LABELS = {
  ViewChannel: 'View Channel',
  SendMessages: 'Send Messages',
  EmbedLinks: 'Embed Links',
  ReadMessageHistory: 'Read Message History',
  CreatePublicThreads: 'Create Public Threads',
  SendMessagesInThreads: 'Send Messages in Threads',
} as const;

/** What each use of a channel needs (docs/discord.md lists why). */
export function needsOf(use: 'destination' | 'digest' | 'source', forum: boolean): Need[] {
  if (use === 'destination')
    return [
      'ViewChannel',
      'SendMessages',
      'EmbedLinks',
      'CreatePublicThreads',
      'SendMessagesInThreads',
      'ReadMessageHistory',
    ];
  if (use === 'digest') return ['ViewChannel', 'SendMessages', 'EmbedLinks', 'ReadMessageHistory'];
  // A source is read, and a reply goes into the customer's channel (or a forum post's thread).
  return ['ViewChannel', 'ReadMessageHistory', forum ? 'SendMessagesInThreads' : 'SendMessages'];
}

/** The bot's permissions in a channel of `guildId`. */
export function channelPermissions(
  guildId: string,
  guild: GuildRoles,
  member: { id: string; roles: string[] },
  overwrites: ChannelOverwrite[],
): PermissionsBitField {
  if (guild.ownerId === member.id) return new PermissionsBitField(PermissionsBitField.All);
  const roleBits = (id: string) => BigInt(guild.roles.find((r) => r.id === id)?.permissions ?? '0');
  let bits = roleBits(guildId);
  for (const role of member.roles) bits |= roleBits(role);
  if (bits & PermissionFlagsBits.Administrator) return new PermissionsBitField(PermissionsBitField.All);
  const apply = (allow: bigint, deny: bigint) => {
    bits = (bits & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.type === 0 && o.id === guildId);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && o.id !== guildId && member.roles.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  apply(allow, deny);
  const own = overwrites.find((o) => o.type === 1 && o.id === member.id);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));
  if (!(bits & PermissionFlagsBits.ViewChannel)) return new PermissionsBitField(0n);
  if (!(bits & PermissionFlagsBits.SendMessages)) bits &= ~PermissionFlagsBits.EmbedLinks;
  return new PermissionsBitField(bits);
}

/** The needs `permissions` lacks, in the order asked. */
export function missing(permissions: PermissionsBitField, needs: readonly Need[]): Need[] {
  return needs.filter((n) => !permissions.has(PermissionFlagsBits[n]));
}
