import type { ConnectorsConfig } from '../../config/connectors.ts';
import type { ReplySender } from '../types.ts';
import { channelTalkConnector } from './channel-talk/index.ts';
import { intercomConnector } from './intercom/index.ts';
import type { ApplyDeps } from './kit/apply-events.ts';
import type { Connector } from './kit/connector.ts';
import { connectorRoute, type WebhookRoute } from './kit/webhook-route.ts';
import { zendeskConnector } from './zendesk/index.ts';

/**
 * The tools the config turns on, as koe's composition root takes them: one webhook route each on
 * koe's HTTP server (`/webhooks/<source>`) and one reply sender each, under the platform name the
 * reply targets give (`config/reply-targets.ts`).
 */
export interface Connectors {
  routes: WebhookRoute[];
  replySenders: Record<string, ReplySender>;
}

export function createConnectors(config: ConnectorsConfig, deps: ApplyDeps): Connectors {
  const now = deps.ctx.now;
  const on: Connector[] = [];
  if (config.channelTalk) on.push(channelTalkConnector(config.channelTalk, now));
  if (config.intercom) on.push(intercomConnector(config.intercom, now));
  if (config.zendesk) on.push(zendeskConnector(config.zendesk, now));
  return {
    routes: on.map((c) => connectorRoute(c, deps)),
    replySenders: Object.fromEntries(on.map((c) => [c.source, c.replies])),
  };
}
