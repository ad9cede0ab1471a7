import type { ReplyTarget } from '../core/context.ts';
import type { Inquiry } from '../core/inquiries/types.ts';
import { CONTACT_FORM_SOURCE } from '../core/surfaces.ts';
import type { ConnectorsConfig } from './connectors.ts';
import { EMAIL_SOURCE } from './email-config.ts';
import type { Config } from './load-config.ts';

/** The connector sources and the `connectors:` block that turns each on (source = the reply platform's name). */
const CONNECTOR_BLOCKS = { channeltalk: 'channelTalk', intercom: 'intercom', zendesk: 'zendesk' } as const;

/**
 * Where the config says each inquiry's customer can be answered: a Slack or Discord source channel
 * answers in that channel (the customer's thread or message), an API source with a reply webhook
 * answers through it, and an inquiry from a configured tool (Channel Talk, Intercom, Zendesk) answers
 * in its own conversation there: the target's channel is the conversation's id (the inquiry's
 * external id), so each conversation's replies keep their order without holding up another's. With
 * `email.smtp`, mail and contact-form inquiries are answered by mail.
 * Anything else (a message captured with 🎫 from a DM or another channel, an API source without a
 * webhook, a tool not configured) has no way back, and a reply to it is refused.
 */
export function replyTargetsOf(
  config: Pick<Config, 'sources' | 'replies'> & { connectors?: ConnectorsConfig; email?: Config['email'] },
): (inquiry: Inquiry) => ReplyTarget | null {
  const chat = new Set(config.sources.map((s) => `${s.platform}:${s.channel}`));
  const hooks = new Set(config.replies.webhooks.map((h) => h.source));
  const tools = new Set(
    Object.entries(CONNECTOR_BLOCKS)
      .filter(([, block]) => config.connectors?.[block])
      .map(([source]) => source),
  );
  return (inquiry) => {
    if (chat.has(inquiry.source)) {
      const [platform, ...rest] = inquiry.source.split(':');
      return { platform: platform!, channel: rest.join(':') };
    }
    if (hooks.has(inquiry.source)) return { platform: 'webhook', channel: inquiry.source };
    // A mail inquiry is answered by mail, when koe has an SMTP server; each inquiry is its own channel,
    // so its replies keep their order and a failed one holds up no other customer's.
    // So is one from the contact form, at the address the form asked for: a new mail whose subject
    // carries the `[#id]` token, by which the customer's answer joins the inquiry.
    const byMail = inquiry.source === EMAIL_SOURCE || inquiry.source === CONTACT_FORM_SOURCE;
    if (byMail && config.email?.smtp) return { platform: 'email', channel: String(inquiry.id) };
    if (tools.has(inquiry.source) && inquiry.externalId)
      return { platform: inquiry.source, channel: inquiry.externalId };
    return null;
  };
}
