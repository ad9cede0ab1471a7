import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Secret } from '../../config/secret.ts';
import type { Logger } from '../../lib/logger.ts';
import type { PlatformRuntime } from '../../platforms/types.ts';
import { type Answer, internalError, MAX_BODY_BYTES, parseJsonBody, tooLarge, unauthorized } from './answers.ts';
import { bearerMatches } from './auth.ts';
import { type ContactFormDeps, mountContactForm } from './contact/routes.ts';
import { capConnections, DEFAULT_HTTP_LIMITS, type HttpLimits, timeoutOptions } from './connections.ts';
import { type BodyResult, collectBody, readBodyText } from './read-body.ts';
import { type ApiRoute, apiRoutes, type RouteDeps } from './routes.ts';

const API = '/api/v1';

export interface HttpServerDeps extends RouteDeps {
  intakeToken: Secret;
  log: Logger;
  /** True once the database is open and migrated. */
  ready: () => boolean;
  /** Platform routes (e.g. Slack's events endpoint) served beside the API. */
  platformRoutes?: NonNullable<PlatformRuntime['http']>[];
  /** Timeouts and connection caps; DEFAULT_HTTP_LIMITS for what is not given (tests give short ones). */
  limits?: Partial<HttpLimits>;
  /** The contact form's settings and koe's locale; served at /contact only when `settings.enabled`. */
  contact?: Pick<ContactFormDeps, 'settings' | 'locale'>;
}

export interface HttpServer {
  /** Listens; resolves with the port (useful with port 0). */
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * koe's one HTTP server: the API's route table (routes.ts), health, and the platforms' routes. Every
 * API route has the same bearer check, body limit and error envelope. The route that takes bursts
 * (`POST /api/v1/inquiries`) is answered on node's own request and response: per request, hono's web
 * Request/Response adaptation cost as much CPU as storing the inquiry (see the README's benchmarks);
 * every other request goes to hono. Both ways run the same pieces below.
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const routes = apiRoutes(deps);
  const fast = routes.filter((r) => r.fast);
  const authorized = (header: string | undefined) => bearerMatches(header, deps.intakeToken.reveal());
  const failed = (error: unknown, path: string): Answer => {
    deps.log.error({ err: error, path }, 'http: unhandled error');
    return internalError;
  };
  const honoListener = getRequestListener(buildApp(deps, routes, authorized, failed).fetch);
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...deps.limits };
  // Decided once: at info (the default) the fast route pays nothing for request lines.
  const logRequests = deps.log.isLevelEnabled('debug');
  const server: Server = createServer(timeoutOptions(limits), (req, res) => {
    closeIfUnread(req, res);
    if (logRequests) logRequest(req, res, deps.log);
    const route = fast.find((r) => matchesFast(r, req));
    if (route) void serveFast(route, req, res, authorized, failed);
    else void honoListener(req, res);
  });
  capConnections(server, limits);
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () => new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}

/**
 * Closes the connection once the answer is out if the request had not all arrived by then: node would
 * otherwise read the rest of its body (of any size) to keep the connection alive. Refusals say so
 * with `Connection: close` (`Answer.close`); this also covers answers that never look at a body (an
 * unknown path, /healthz).
 */
function closeIfUnread(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (!req.complete) req.socket.destroy();
  });
}

/**
 * One debug line per request once it is answered (or cut off): method, path, status, duration. The
 * path is logged without its query string and nothing of the headers or body, so no token (a
 * client may wrongly put one in the query) and no customer text reach the log.
 */
function logRequest(req: IncomingMessage, res: ServerResponse, log: Logger): void {
  const started = performance.now();
  res.once('close', () => {
    log.debug(
      {
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        status: res.writableFinished ? res.statusCode : 'cut off',
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'http request',
    );
  });
}

/** node headers for an answer: JSON, its own headers, and `Connection: close` when it closes. */
const headersOf = (answer: Answer) => ({
  'content-type': 'application/json',
  ...answer.headers,
  ...(answer.close && { connection: 'close' }),
});

/** A fast route has no path parameters: it matches its exact path, with or without a query string. */
function matchesFast(route: ApiRoute, req: IncomingMessage): boolean {
  const path = `${API}${route.path}`;
  return req.method === route.method && (req.url === path || req.url?.startsWith(`${path}?`) === true);
}

/** The JSON body of a request, or the answer that refuses it: 413 over the limit, 400 when not JSON. */
function jsonBody(body: BodyResult): { ok: true; value: unknown } | { ok: false; answer: Answer } {
  return body.ok ? parseJsonBody(body.text) : { ok: false, answer: tooLarge };
}

async function serveFast(
  route: ApiRoute,
  req: IncomingMessage,
  res: ServerResponse,
  authorized: (header: string | undefined) => boolean,
  failed: (error: unknown, path: string) => Answer,
): Promise<void> {
  const write = (answer: Answer) => {
    if (res.headersSent) return;
    res.writeHead(answer.status, headersOf(answer));
    // Once flushed, a refusal's connection is closed: the rest of its body is never read.
    if (answer.close) res.end(JSON.stringify(answer.body), () => req.socket.destroy());
    else res.end(JSON.stringify(answer.body));
  };
  try {
    if (!authorized(req.headers.authorization)) return write(unauthorized);
    const body = jsonBody(await collectBody(req, MAX_BODY_BYTES));
    write(body.ok ? await route.handle({ params: {}, query: {}, body: body.value }) : body.answer);
  } catch (error) {
    write(failed(error, req.url ?? route.path));
  }
}

function buildApp(
  deps: HttpServerDeps,
  routes: ApiRoute[],
  authorized: (header: string | undefined) => boolean,
  failed: (error: unknown, path: string) => Answer,
): Hono {
  const send = (c: Context, answer: Answer) => {
    if (answer.close) {
      // The socket now: node detaches it from the response before 'finish' reaches us.
      const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket;
      (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing?.once('finish', () => socket?.destroy());
    }
    const { 'content-type': _, ...headers } = headersOf(answer);
    return c.json(answer.body, answer.status, headers);
  };
  const app = new Hono();
  app.onError((error, c) => send(c, failed(error, c.req.path)));
  app.notFound((c) => c.json({ error: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` }, 404));
  app.get('/healthz', (c) => (deps.ready() ? c.json({ status: 'ok' }) : c.json({ status: 'starting' }, 503)));
  if (deps.contact?.settings.enabled) mountContactForm(app, { ...deps, ...deps.contact });
  for (const route of deps.platformRoutes ?? []) {
    const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => send(c, tooLarge) });
    app.on(route.method, route.path, limit, (c) => route.handle(c.req.raw));
  }
  const api = new Hono();
  // Before routing, so an unknown API path without the token answers 401, not which paths exist.
  api.use('*', async (c, next) => (authorized(c.req.header('authorization')) ? next() : send(c, unauthorized)));
  for (const route of routes) {
    api.on(route.method, route.path, async (c) => {
      const body = route.body ? jsonBody(await readBodyText(c, MAX_BODY_BYTES)) : { ok: true as const, value: null };
      if (!body.ok) return send(c, body.answer);
      return send(c, await route.handle({ params: c.req.param(), query: c.req.query(), body: body.value }));
    });
  }
  app.route(API, api);
  return app;
}
