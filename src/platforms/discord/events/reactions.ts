import type { Client, MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { react } from '../../../core/inquiries/index.ts';
import type { PlatformDeps } from '../../types.ts';
import { actorOf, roleIdsOf } from '../commands/handle-interaction.ts';
import type { StaffPolicy } from '../staff.ts';

const VS16 = /\uFE0F/g;

/**
 * The key an emoji is recorded and mapped under: the configured key it matches (ignoring the
 * U+FE0F variation selector, which clients add or drop), else its unicode or custom emoji name.
 */
export function emojiKey(name: string, configured: readonly string[]): string {
  const bare = name.replace(VS16, '');
  return configured.find((k) => k === name) ?? configured.find((k) => k.replace(VS16, '') === bare) ?? name;
}

export interface ReactionEnv {
  deps: PlatformDeps;
  staff: StaffPolicy;
  client: Client;
}

/**
 * Reactions on mirrors → the core's `react()`: recorded, then mapped to claim / resolve / a reason
 * through `config.reactions`. Reactions on other messages are ignored (NOT_A_MIRROR); koe's own and
 * non-staff reactions are not recorded. Re-delivered events record nothing twice (the core keeps one
 * live reaction per person and emoji).
 */
export function createReactionHandler(env: ReactionEnv) {
  const { deps, staff, client } = env;
  const { log, ctx } = deps;
  const keys = Object.keys(ctx.reactions);

  return async function onReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
    removed: boolean,
  ): Promise<void> {
    if (user.bot || user.id === client.user?.id) return;
    const message = reaction.message;
    const name = reaction.emoji.name;
    if (!name || !message.guildId) return;
    const member = client.guilds.cache.get(message.guildId)?.members.cache.get(user.id) ?? null;
    // A removal carries no member; it only undoes a reaction that was recorded, which was staff's.
    if (!removed && !staff.isStaff(message.guildId, roleIdsOf(member))) {
      log.debug({ userId: user.id, messageId: message.id }, 'discord: reaction by a non-staff member ignored');
      return;
    }
    const actor = user.partial && !member ? { id: `discord:${user.id}`, name: null } : actorOf(user as User, member);
    try {
      const outcome = react(ctx, {
        platform: 'discord',
        channel: message.channelId,
        messageRef: message.id,
        actor,
        emoji: emojiKey(name, keys),
        removed,
      });
      if (!outcome.ok) return; // not a mirror
      if (outcome.actionFailure) {
        log.info(
          { inquiryId: outcome.inquiryId, code: outcome.actionFailure.code, userId: user.id },
          'discord: reaction recorded, its action refused',
        );
      }
    } catch (error) {
      log.error({ err: error, messageId: message.id }, 'discord: could not record a reaction');
    }
  };
}
