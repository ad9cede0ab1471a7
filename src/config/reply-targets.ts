import type { ReplyTarget } from '../core/context.ts';
import type { Inquiry } from '../core/inquiries/types.ts';
import type { Config } from './load-config.ts';

/**
 * Where the config says each inquiry's customer can be answered: a Slack or Discord source channel
 * answers in that channel (the customer's thread or message), an API source with a reply webhook
 * answers through it. Anything else (a message captured with 🎫 from a DM or another channel, an
 * API source without a webhook) has no way back, and a reply to it is refused.
 */
export function replyTargetsOf(config: Pick<Config, 'sources' | 'replies'>): (inquiry: Inquiry) => ReplyTarget | null {
  const chat = new Set(config.sources.map((s) => `${s.platform}:${s.channel}`));
  const hooks = new Set(config.replies.webhooks.map((h) => h.source));
  return (inquiry) => {
    if (chat.has(inquiry.source)) {
      const [platform, ...rest] = inquiry.source.split(':');
      return { platform: platform!, channel: rest.join(':') };
    }
    if (hooks.has(inquiry.source)) return { platform: 'webhook', channel: inquiry.source };
    return null;
  };
}
