import type { Message } from 'discord.js';
import { perform } from '../../../core/actions.ts';
import { actorOf, roleIdsOf } from '../commands/handle-interaction.ts';
import type { IntakeEnv } from './intake.ts';
import { messageBody } from './message-text.ts';

/**
 * A message a member of the team writes in a mirror's thread is an internal note: recorded (so the
 * inquiry's history is whole, and its other mirrors' threads get a copy), never sent to the
 * customer. The thread it was typed in already shows it, so that mirror gets no copy. Returns
 * whether the message was in a mirror's thread (then it is nobody else's to handle). Idempotent on
 * the message id: the gateway may deliver a message again after a reconnect.
 */
export function createMirrorNoteHandler(env: IntakeEnv): (message: Message) => Promise<boolean> {
  const { deps, staff, client } = env;
  const teamChannels = new Set(deps.config.destinations.filter((d) => d.platform === 'discord').map((d) => d.channel));

  return async function onMirrorThreadMessage(message: Message): Promise<boolean> {
    if (teamChannels.size === 0 || !message.inGuild() || !message.channel.isThread()) return false;
    if (!message.channel.parentId || !teamChannels.has(message.channel.parentId)) return false;
    const mirror = deps.read.mirrorAt('discord', { messageRef: message.channelId });
    if (!mirror) return false;
    if (message.author.bot || message.webhookId || message.system || message.author.id === client.user?.id) return true;
    if (!staff.isStaff(message.guildId, roleIdsOf(message.member))) return true;
    const body = messageBody(message, deps.render.locale).slice(0, 100_000);
    if (!body.trim()) return true; // no Message Content intent: there is nothing to record
    const outcome = perform(deps.ctx, {
      type: 'message',
      inquiryId: mirror.inquiryId,
      direction: 'note',
      body,
      author: actorOf(message.author, message.member),
      externalId: message.id,
      writtenIn: mirror.destination,
    });
    if (!outcome.ok)
      deps.log.warn(
        { code: outcome.code, inquiryId: mirror.inquiryId },
        'discord: note in a mirror thread not recorded',
      );
    return true;
  };
}
