// Settings from the environment that are checked against each other or against the config file:
// the reply webhooks' secret and sources, and the HTTP server's limits.
import type { HttpLimits } from '../lib/http-limits.ts';
import type { Env, FileConfig } from './schema.ts';

/** Reply webhooks: signed, one per API source, never for a chat source (those answer in their own channel). */
export function checkReplyWebhooks(env: Env, file: FileConfig, problems: string[]): void {
  const hooks = file.replies.webhooks;
  if (hooks.length > 0 && !env.KOE_WEBHOOK_SECRET) {
    problems.push(
      'KOE_WEBHOOK_SECRET: required because replies.webhooks is set; set it to a long random string your receiver also knows (e.g. `openssl rand -hex 32`)',
    );
  }
  const seen = new Set<string>();
  hooks.forEach((hook, i) => {
    if (/^(slack|discord):/.test(hook.source)) {
      problems.push(
        `replies.webhooks[${i}].source: "${hook.source}" is a chat source; koe answers those in their own channel, so remove this entry`,
      );
    }
    if (seen.has(hook.source)) {
      problems.push(`replies.webhooks[${i}].source: "${hook.source}" is listed twice; keep one URL per source`);
    }
    seen.add(hook.source);
  });
}

/**
 * The HTTP limits as the server takes them. `off` for the per-address cap means the total cap alone
 * (behind a reverse proxy every client has the proxy's address, so a per-address cap would cap all).
 */
export function httpLimitsOf(env: Env): HttpLimits {
  const max = env.KOE_HTTP_MAX_CONNECTIONS;
  const perAddress = env.KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS;
  return {
    maxConnections: max,
    maxConnectionsPerAddress: perAddress === 'off' ? max : perAddress,
    headersTimeoutMs: env.KOE_HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.KOE_HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.KOE_HTTP_KEEP_ALIVE_TIMEOUT_MS,
  };
}

/** The HTTP limits that only make sense together (node refuses headers timing out after the request). */
export function checkHttpLimits(env: Env, problems: string[]): void {
  const perAddress = env.KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS;
  if (perAddress !== 'off' && perAddress > env.KOE_HTTP_MAX_CONNECTIONS) {
    problems.push(
      `KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: ${perAddress} is more than KOE_HTTP_MAX_CONNECTIONS (${env.KOE_HTTP_MAX_CONNECTIONS}); lower it, or set it to off behind a reverse proxy`,
    );
  }
  if (env.KOE_HTTP_HEADERS_TIMEOUT_MS > env.KOE_HTTP_REQUEST_TIMEOUT_MS) {
    problems.push(
      `KOE_HTTP_HEADERS_TIMEOUT_MS: ${env.KOE_HTTP_HEADERS_TIMEOUT_MS} is longer than KOE_HTTP_REQUEST_TIMEOUT_MS (${env.KOE_HTTP_REQUEST_TIMEOUT_MS}); the headers are part of the request, so make it at most that`,
    );
  }
}
