import type { ZendeskConfig } from '../../../config/connectors.ts';
import type { Connector } from '../kit/connector.ts';
import { zendeskReplySender } from './reply-sender.ts';
import { ticketEvents } from './tickets.ts';
import { ticketIdOf, verifyZendesk } from './webhook.ts';

/** Zendesk as a customer channel: tickets in (from a trigger's webhook), public comments back. */
export function zendeskConnector(config: ZendeskConfig, now: () => number): Connector {
  return {
    source: 'zendesk',
    tool: 'Zendesk',
    verify: (request) => verifyZendesk(request, config.webhookSecret.reveal()),
    async events(payload) {
      const ticketId = ticketIdOf(payload);
      return ticketId ? ticketEvents(config, ticketId, now()) : [];
    },
    replies: zendeskReplySender(config),
  };
}
