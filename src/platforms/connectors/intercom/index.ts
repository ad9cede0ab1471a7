import type { IntercomConfig } from '../../../config/connectors.ts';
import type { Connector } from '../kit/connector.ts';
import { intercomReplySender } from './reply-sender.ts';
import { intercomEvents, verifyIntercom } from './webhook.ts';

/** Intercom as a customer channel: conversations in, admin replies back. */
export function intercomConnector(config: IntercomConfig, now: () => number): Connector {
  return {
    source: 'intercom',
    tool: 'Intercom',
    verify: (request) => verifyIntercom(request, config.clientSecret.reveal()),
    events: async (payload) => intercomEvents(payload, now()),
    replies: intercomReplySender(config),
  };
}
