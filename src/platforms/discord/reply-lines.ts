import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIChannel, type REST } from 'discord.js';
import { PermanentDeliveryError } from '../delivery-errors.ts';
import type { RenderSettings, Sender } from '../types.ts';
import { wordsFor } from '../words/index.ts';
import { toDeliveryError } from './errors.ts';
import { DISCORD_LIMITS, truncate } from './limits.ts';
import { escapeMarkdown } from './markdown.ts';
import { renderThreadMessage } from './render.ts';
import { nonceFor } from './sender.ts';

/**
 * The team-side half of replies on Discord: editing a reply's line in a mirror's thread when its
 * state changes (queued → sent, failed with Retry, undone), and telling its author by DM that it
 * failed. Part of the Discord Sender.
 */
export function replyLineMethods(options: {
  rest: REST;
  render: RenderSettings;
}): Required<Pick<Sender, 'updateThreadMessage' | 'notifyUser'>> {
  const { rest, render } = options;
  const mentionsOff = { allowed_mentions: { parse: [] as never[] } };
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      // A member who takes no DMs from the server's bots: asking again will not change that.
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser)
        throw new PermanentDeliveryError(`discord ${error.status} ${error.code}: ${error.message}`);
      throw toDeliveryError(error);
    }
  };

  return {
    async updateThreadMessage({ mirror, view, message, messageRef }) {
      const threadId = mirror.threadRef ?? mirror.messageRef;
      const body = renderThreadMessage(view, message, render);
      // A line whose state needs no control any more loses its button: an edit keeps what it omits.
      await call(() =>
        rest.patch(Routes.channelMessage(threadId, messageRef), {
          body: { ...body, components: body.components ?? [], ...mentionsOff },
        }),
      );
    },

    async notifyUser({ deliveryId, userId, view, message }) {
      const dm = await call(
        () => rest.post(Routes.userChannels(), { body: { recipient_id: userId } }) as Promise<APIChannel>,
      );
      const words = wordsFor(render.locale).replies;
      const error = escapeMarkdown(message.replyError ?? '?');
      const content = truncate(words.failedNotice({ id: view.inquiry.id, error }), DISCORD_LIMITS.content);
      await call(() =>
        rest.post(Routes.channelMessages(dm.id), {
          body: { content, ...mentionsOff, nonce: nonceFor(deliveryId), enforce_nonce: true },
        }),
      );
    },
  };
}
