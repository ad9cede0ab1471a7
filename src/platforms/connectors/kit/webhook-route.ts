import type { Logger } from '../../../lib/logger.ts';
import { RateLimitedError } from '../../delivery-errors.ts';
import type { PlatformRuntime } from '../../types.ts';
import { type ApplyDeps, applyEvents } from './apply-events.ts';
import type { Connector } from './connector.ts';
import type { ToolEvent } from './events.ts';

export type WebhookRoute = NonNullable<PlatformRuntime['http']>;

/**
 * `POST /webhooks/<source>`: verify first, on the body exactly as it arrived, then read, then apply.
 * An unverified request gets 401 and a warning that says why, and nothing of it is parsed or stored.
 * A verified one is answered 200 once applied, so the tool's retry of a request that failed here
 * (503 when its API was needed and did not answer) brings it again, and a retry of one that
 * succeeded changes nothing (apply-events.ts).
 */
export function connectorRoute(connector: Connector, deps: ApplyDeps): WebhookRoute {
  const { log } = deps;
  return {
    method: 'POST',
    path: `/webhooks/${connector.source}`,
    async handle(request) {
      const raw = Buffer.from(await request.arrayBuffer());
      const why = connector.verify({ headers: request.headers, url: new URL(request.url), raw });
      if (why) {
        log.warn({ connector: connector.source, why }, `${connector.tool}: webhook refused (401): ${why}`);
        return answer(401, { error: 'unauthorized', message: `not a verified ${connector.tool} webhook` });
      }
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString('utf8'));
      } catch {
        return answer(400, { error: 'invalid_request', message: 'expected a JSON body' });
      }
      const events = await readEvents(connector, payload, log);
      if (!Array.isArray(events)) return events;
      const applied = applyEvents(deps, connector.source, events);
      log.debug(
        { connector: connector.source, events: events.length, ...applied },
        `${connector.tool}: webhook applied`,
      );
      return answer(200, { ok: true, ...applied });
    },
  };
}

async function readEvents(connector: Connector, payload: unknown, log: Logger): Promise<ToolEvent[] | Response> {
  try {
    return await connector.events(payload);
  } catch (error) {
    // The tool's API did not answer: 503 asks the tool to deliver the webhook again later.
    log.warn({ connector: connector.source, err: error }, `${connector.tool}: webhook not applied yet`);
    const wait: Record<string, string> =
      error instanceof RateLimitedError ? { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) } : {};
    return answer(503, { error: 'unavailable', message: `${connector.tool} could not be read just now` }, wait);
  }
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
