import { isObject } from '../../lib/is-object.ts';
import { SocketModeReceiver, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../lib/logger.ts';
import type { InboundLedger } from '../../core/ports/inbound-ledger.ts';
import { slackSdkLogger } from './sdk-logger.ts';
import { verifySlackSignature } from './verify-signature.ts';

/**
 * How long koe may take before it must answer Slack. Slack allows 3 s; the rest is margin for the
 * network. Events are answered only after their effects are committed, unless that takes longer.
 */
export const ACK_BUDGET_MS = 2_500;
/** `inbound_events` keys older than this are pruned at start (Slack retries within minutes). */
const DEDUPE_KEEP_MS = 7 * 24 * 3_600_000;

type AckPayload = string | Record<string, unknown> | undefined;
/**
 * What to answer Slack: an acknowledgement (with an optional body), a failure it should retry, or a
 * payload that cannot be one Slack sends (HTTP answers 400; Socket Mode acknowledges it, so Slack
 * does not send it again).
 */
type Answer = { kind: 'ack'; payload?: AckPayload } | { kind: 'fail' } | { kind: 'malformed'; problem: string };

/**
 * Why a (signed) payload cannot be one Slack sends, or null when its envelope is sound: an event
 * callback has a string `event_id` and an `event` object with a `type`; a slash command has its
 * `command`; an interaction has a `type`. Bolt and the listeners take the rest from there.
 */
export function envelopeProblem(body: Record<string, unknown>): string | null {
  if (body.type === 'event_callback') {
    if (typeof body.event_id !== 'string' || body.event_id === '') return 'an event callback without an event_id';
    if (!isObject(body.event) || typeof body.event.type !== 'string') return 'an event callback without an event';
    return null;
  }
  if (typeof body.command === 'string' || typeof body.type === 'string') return null;
  return 'neither an event, a slash command nor an interaction';
}

/**
 * Whether a handling failure came from the payload itself (a field of the wrong type or shape that
 * Bolt or a listener tripped over) rather than from something that may work next time (Slack or the
 * database not answering). Retrying such a payload fails the same way, and every failed answer
 * counts toward the 5 % after which Slack disables the app's events, so it is acknowledged (and
 * logged) instead. Bolt wraps listener errors without a code in an UnknownError (`original`), and
 * several at once in a MultipleListenerError (`originals`); Web API errors (codes `slack_webapi_…`,
 * a network failure among them) and network TypeErrors (`fetch failed`, with a `cause`) are Slack
 * not answering, not the payload.
 */
export function isPayloadError(error: unknown): boolean {
  const e = error as { code?: unknown; original?: unknown; originals?: unknown } | null;
  if (e?.code === 'slack_bolt_multiple_listener_error')
    return Array.isArray(e.originals) && e.originals.length > 0 && e.originals.every(isPayloadError);
  if (e?.code === 'slack_bolt_unknown_error') return isPayloadError(e.original);
  if (typeof e?.code === 'string') return false;
  if (error instanceof TypeError && (error as { cause?: unknown }).cause !== undefined) return false;
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError ||
    error instanceof URIError
  );
}

export interface DispatcherOptions {
  ledger: InboundLedger;
  log: Logger;
  now: () => number;
  ackBudgetMs?: number;
}

/**
 * Hands Slack payloads to Bolt, with the two guarantees Bolt does not give:
 *
 * - **Events are de-duplicated persistently** by `event_id` (`inbound_events`, key `slack:<id>`): a
 *   retry, even after a restart, is acknowledged and does nothing. A retry that arrives while the
 *   first delivery is still running waits for it instead of running twice.
 * - **An event is acknowledged only after it is recorded.** Bolt acks events before its listeners
 *   run, so a crash after the ack would lose the event; here the ack is held back until the
 *   listeners have committed their effects and the event id is stored. If that takes longer than
 *   the budget, koe acks anyway (Slack must hear back within 3 s) and finishes in the background.
 *   If a listener fails, koe answers with a failure so Slack retries.
 *
 * Commands and interactions are answered as soon as their listener calls `ack()`.
 */
export class SlackDispatcher {
  #app: App | undefined;
  #ready: Promise<void>;
  #markReady!: () => void;
  readonly #inProgress = new Map<string, Promise<boolean>>();
  readonly #budgetMs: number;

  constructor(private readonly options: DispatcherOptions) {
    this.#budgetMs = options.ackBudgetMs ?? ACK_BUDGET_MS;
    this.#ready = new Promise((r) => (this.#markReady = r));
  }

  attach(app: App): void {
    this.#app = app;
  }

  /** Called once the app is initialised (auth.test done); payloads wait for this. */
  ready(): void {
    this.#markReady();
  }

  /** Removes dedupe keys old enough that Slack will not retry them any more. */
  prune(): void {
    this.options.ledger.prune('slack:', DEDUPE_KEEP_MS);
  }

  /** Resolves when every event being processed has finished (for a clean stop). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#inProgress.values()]);
  }

  /** Processes one payload; resolves when it is time to answer Slack, with what to answer. */
  async dispatch(body: Record<string, unknown>, retry: { retryNum?: number; retryReason?: string }): Promise<Answer> {
    const budget = deadline(this.#budgetMs);
    try {
      const readyInTime = await Promise.race([this.#ready.then(() => true), budget.promise.then(() => false)]);
      if (!readyInTime) {
        this.options.log.warn('slack: a payload arrived before koe was ready; asking Slack to retry');
        return { kind: 'fail' };
      }
      const app = this.#app;
      if (!app) throw new Error('slack dispatcher used before attach()');
      const problem = envelopeProblem(body);
      if (problem) {
        this.options.log.warn({ problem }, 'slack: a payload koe cannot make sense of; not handled');
        return { kind: 'malformed', problem };
      }
      if (body.type === 'event_callback' && typeof body.event_id === 'string') {
        return await this.#dispatchEvent(app, body, body.event_id, retry, budget.promise);
      }
      return await this.#dispatchInteraction(app, body, retry, budget.promise);
    } finally {
      budget.cancel();
    }
  }

  async #dispatchEvent(
    app: App,
    body: Record<string, unknown>,
    eventId: string,
    retry: { retryNum?: number; retryReason?: string },
    budget: Promise<void>,
  ): Promise<Answer> {
    const { ledger, log } = this.options;
    const key = `slack:${eventId}`;
    const running = this.#inProgress.get(key);
    if (running) {
      log.debug({ eventId, retryNum: retry.retryNum }, 'slack: retry of an event still in progress; waiting for it');
      const ok = await Promise.race([running, budget.then(() => true)]);
      return ok ? { kind: 'ack' } : { kind: 'fail' };
    }
    if (ledger.has(key)) {
      log.info(
        { eventId, retryNum: retry.retryNum, retryReason: retry.retryReason },
        'slack: event already handled; acknowledging the retry',
      );
      return { kind: 'ack' };
    }

    const processing = app
      .processEvent({
        body,
        ack: async () => {},
        retryNum: retry.retryNum,
        retryReason: retry.retryReason,
      } as ReceiverEvent)
      .then(() => {
        ledger.claim(key);
        return true;
      })
      .catch((error: unknown) => {
        if (isPayloadError(error)) {
          // Retrying cannot help: record it as handled so a retry is a no-op, and acknowledge.
          log.error(
            { err: error, eventId },
            'slack: an event koe could not handle (malformed payload); acknowledged, not retried',
          );
          ledger.claim(key);
          return true;
        }
        log.error({ err: error, eventId }, 'slack: event handling failed; Slack will retry it');
        return false;
      })
      .finally(() => this.#inProgress.delete(key));
    this.#inProgress.set(key, processing);

    const outcome = await Promise.race([processing, budget.then(() => 'late' as const)]);
    if (outcome === 'late') {
      log.warn(
        { eventId, budgetMs: this.#budgetMs },
        'slack: event still being handled at the ack deadline; acknowledging, finishing in the background',
      );
      return { kind: 'ack' };
    }
    return outcome ? { kind: 'ack' } : { kind: 'fail' };
  }

  async #dispatchInteraction(
    app: App,
    body: Record<string, unknown>,
    retry: { retryNum?: number; retryReason?: string },
    budget: Promise<void>,
  ): Promise<Answer> {
    let acked: (payload: AckPayload) => void = () => {};
    const ackCalled = new Promise<Answer>((r) => (acked = (payload) => r({ kind: 'ack', payload })));
    let ackedOnce = false;
    const processing = app
      .processEvent({
        body,
        retryNum: retry.retryNum,
        retryReason: retry.retryReason,
        ack: async (response?: AckPayload) => {
          if (ackedOnce) return;
          ackedOnce = true;
          acked(response);
        },
      } as ReceiverEvent)
      .then((): Answer => ({ kind: 'ack' }))
      .catch((error: unknown): Answer => {
        this.options.log.error({ err: error, type: body.type }, 'slack: interaction handling failed');
        // A payload Bolt or a listener cannot read is acknowledged: a retry would fail the same way.
        return ackedOnce || isPayloadError(error) ? { kind: 'ack' } : { kind: 'fail' };
      });
    return Promise.race([ackCalled, processing, budget.then((): Answer => ({ kind: 'ack' }))]);
  }
}

function deadline(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((r) => (timer = setTimeout(r, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Parses a Slack request body: JSON (events) or form-encoded (commands; interactions in `payload`). */
export function parseSlackBody(rawBody: string, contentType: string | null): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(rawBody);
    const payload = params.get('payload');
    if (payload !== null) {
      // `payload=null` or `payload=[]` parse as JSON but are no interaction: refuse them like bad JSON.
      const parsed: unknown = JSON.parse(payload);
      if (!isObject(parsed)) throw new SyntaxError('expected a JSON object in payload');
      return parsed;
    }
    return Object.fromEntries(params.entries());
  }
  const parsed: unknown = JSON.parse(rawBody);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new SyntaxError('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * HTTP mode: a Bolt Receiver whose entry point is a fetch-style `handle(Request)`, mounted on koe's
 * own HTTP server at `POST /slack/events`. Every request's signature is checked here (see
 * verify-signature.ts); a bad one gets 401 and reaches nothing else.
 */
export class FetchReceiver implements Receiver {
  constructor(
    private readonly dispatcher: SlackDispatcher,
    private readonly options: { signingSecret: () => string; log: Logger; now: () => number },
  ) {}

  init(app: App): void {
    this.dispatcher.attach(app);
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Answers one request from Slack. */
  async handle(request: Request): Promise<Response> {
    const { log } = this.options;
    const rawBody = await request.text();
    const check = verifySlackSignature({
      signingSecret: this.options.signingSecret(),
      rawBody,
      timestamp: request.headers.get('x-slack-request-timestamp'),
      signature: request.headers.get('x-slack-signature'),
      nowMs: this.options.now(),
    });
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'slack: refused a request that failed signature verification');
      return new Response('', { status: 401 });
    }

    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(rawBody, request.headers.get('content-type'));
    } catch {
      log.warn('slack: a signed request whose body could not be parsed');
      return new Response('', { status: 400 });
    }
    if (body.ssl_check !== undefined) return new Response('', { status: 200 });
    if (body.type === 'url_verification') {
      return Response.json({ challenge: body.challenge });
    }

    const retryNum = request.headers.get('x-slack-retry-num');
    const answer = await this.dispatcher.dispatch(body, {
      retryNum: retryNum === null ? undefined : Number(retryNum),
      retryReason: request.headers.get('x-slack-retry-reason') ?? undefined,
    });
    if (answer.kind === 'fail') return new Response('', { status: 500 });
    if (answer.kind === 'malformed') return new Response('', { status: 400 });
    if (answer.payload === undefined || answer.payload === '') return new Response('', { status: 200 });
    if (typeof answer.payload === 'string') {
      return new Response(answer.payload, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    return Response.json(answer.payload);
  }
}

/**
 * Socket Mode: Bolt's own Socket Mode receiver for the connection (hello, acks, reconnects), with
 * every payload routed through the dispatcher so dedupe and ack-after-record hold here too. An
 * event that fails is left unacknowledged, and Slack delivers it again.
 */
export class SocketReceiver implements Receiver {
  readonly #inner: SocketModeReceiver;

  constructor(
    private readonly dispatcher: SlackDispatcher,
    options: { appToken: string; apiUrl?: string; log: Logger },
  ) {
    this.#inner = new SocketModeReceiver({
      appToken: options.appToken,
      logger: slackSdkLogger(options.log),
      autoReconnectEnabled: true,
      installerOptions: options.apiUrl ? { clientOptions: { slackApiUrl: options.apiUrl } } : {},
    });
    const client = this.#inner.client;
    // Socket Mode connections are recycled routinely; log each step so a stall is visible.
    client.on('connected', () => options.log.info('slack: Socket Mode connected'));
    client.on('reconnecting', () => options.log.warn('slack: Socket Mode reconnecting'));
    client.on('disconnected', () => options.log.info('slack: Socket Mode disconnected'));
  }

  init(app: App): void {
    this.dispatcher.attach(app);
    const proxy = {
      processEvent: async (event: ReceiverEvent) => {
        const answer = await this.dispatcher.dispatch(event.body, {
          retryNum: event.retryNum,
          retryReason: event.retryReason,
        });
        if (answer.kind === 'ack') await event.ack(answer.payload);
        // Sending it again cannot make it readable: acknowledge so Slack does not.
        else if (answer.kind === 'malformed') await event.ack();
      },
    };
    this.#inner.init(proxy as unknown as App);
  }

  async start(): Promise<void> {
    await this.#inner.start();
  }

  async stop(): Promise<void> {
    await this.#inner.client.disconnect();
  }
}
