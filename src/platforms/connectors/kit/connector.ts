import type { ReplySender } from '../../types.ts';
import type { ToolEvent } from './events.ts';

/** The tools koe takes inquiries from; each name is the inquiries' source and the replies' platform. */
export const CONNECTOR_SOURCES = ['channeltalk', 'intercom', 'zendesk'] as const;
export type ConnectorSource = (typeof CONNECTOR_SOURCES)[number];

/** A webhook request as the connector checks it: headers, the URL (a token may be in its query) and the body as it arrived. */
export interface WebhookRequest {
  headers: Headers;
  url: URL;
  raw: Buffer;
}

/**
 * One tool as a customer channel: how its webhooks are verified and read, and how replies go back.
 * Everything else (the route, idempotency, status sync, the outbox) is the kit's, the same for each.
 */
export interface Connector {
  source: ConnectorSource;
  /** The tool's name in log lines and errors (`Channel Talk`). */
  tool: string;
  /** Why the request is not the tool's (logged; the request gets 401 and is never stored), or null. */
  verify(request: WebhookRequest): string | null;
  /** The events of a verified payload. May call the tool's API (Zendesk sends only which ticket changed). */
  events(payload: unknown): Promise<ToolEvent[]>;
  replies: ReplySender;
}
