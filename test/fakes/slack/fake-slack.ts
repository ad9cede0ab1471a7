import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { blockKitProblems, modalProblems } from './block-kit.ts';

/**
 * A fake Slack on loopback: the Web API methods koe calls, answered in Slack's documented shapes
 * (`{ ok, … }` JSON; form-encoded or JSON requests; Bearer tokens), a Socket Mode WebSocket, and
 * `response_url` endpoints. It keeps channel histories, records every call, checks every posted
 * message against Block Kit's limits (refusing what Slack would, with `invalid_blocks`), and can
 * be told to answer 429 with Retry-After, 5xx, a platform error, slowly, or not at all.
 */

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  team_id: string;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  deleted?: boolean;
  profile?: { display_name?: string; real_name?: string; image_72?: string };
}

export interface StoredMessage {
  type: 'message';
  ts: string;
  channel: string;
  text?: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  reply_count?: number;
  edited?: { ts: string };
  /** Who a post says it is from, when the app customised it (`chat:write.customize`). */
  username?: string;
  icon_url?: string;
  /** Files a person attached (Slack's file objects; koe reads name, title and permalink). */
  files?: Array<{ id?: string; name?: string; title?: string; permalink?: string }>;
}

export interface ApiCall {
  method: string;
  params: Record<string, any>;
  token: string | null;
  /** What the fake answered: HTTP status and body. */
  status: number;
  response: Record<string, any> | null;
  at: number;
}

/** A modal koe opened, as views.open answered it, and the trigger it used. */
export interface OpenedView {
  triggerId: string;
  view: Record<string, any> & { id: string; private_metadata: string; callback_id: string; blocks: any[] };
}

/** How to answer the next call(s) to a method. */
export type Fault =
  | { kind: 'rate_limited'; retryAfterSec: number }
  | { kind: 'http'; status: number }
  | { kind: 'error'; error: string }
  /** Answer normally, but only after `ms`. */
  | { kind: 'slow'; ms: number }
  /** Answer normally, but only once `until` settles: the test decides when, not a timer. */
  | { kind: 'held'; until: Promise<unknown> }
  /** Do the work (the post lands), then answer 500: the caller cannot know it landed. */
  | { kind: 'lost_answer' }
  /** Do the work, then never answer (until `releaseHung`). */
  | { kind: 'hang' };

export interface SocketEnvelope {
  envelope_id: string;
  type: 'events_api' | 'slash_commands' | 'interactive' | 'disconnect' | 'hello';
  payload?: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** Slack's per-channel posting pace, enforced: a chat.postMessage to a channel sooner than `minGapMs` after its last accepted one is answered 429. */
export interface ChannelPace {
  minGapMs: number;
  /** The Retry-After sent with the 429, in seconds (Slack sends whole seconds). */
  retryAfterSec?: number;
}

export interface FakeSlackOptions {
  /** Enforce a per-channel pace on chat.postMessage (Slack: about one message per second per channel). */
  channelPace?: ChannelPace;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  botToken?: string;
  appToken?: string;
  domain?: string;
  /**
   * The bot token's scopes, sent as `x-oauth-scopes` on every Web API answer as Slack does (the SDK
   * reads it into response_metadata.scopes); null sends no header. Default: the manifest's scopes.
   */
  scopes?: string[] | null;
}

/** The bot scopes slack-app-manifest.yaml asks for. */
export const MANIFEST_SCOPES = [
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'chat:write',
  'chat:write.customize',
  'im:write',
  'commands',
  'reactions:read',
  'users:read',
];

const FORM_JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'unfurl', 'user_auth_blocks', 'view'];

export async function startFakeSlack(options: FakeSlackOptions = {}) {
  const teamId = options.teamId ?? 'T0KOE';
  const botUserId = options.botUserId ?? 'UKOEBOT';
  const botId = options.botId ?? 'BKOE';
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const appToken = options.appToken ?? 'xapp-fake-app-token';
  const domain = options.domain ?? 'koe-test';
  const scopes = options.scopes === undefined ? MANIFEST_SCOPES : options.scopes;

  const calls: ApiCall[] = [];
  const channels = new Map<string, StoredMessage[]>();
  const users = new Map<string, FakeUser>();
  const faults = new Map<string, Fault[]>();
  /** One-shot faults for calls to one channel only (`failIn`), taken before the method's own. */
  const channelFaults: Array<{ method: string; channel: string; fault: Fault }> = [];
  const takeChannelFault = (method: string, params: Record<string, any>): Fault | undefined => {
    const at = channelFaults.findIndex((f) => f.method === method && f.channel === params.channel);
    return at < 0 ? undefined : channelFaults.splice(at, 1)[0]!.fault;
  };
  const responses: Array<{ path: string; body: any; at: number }> = [];
  const ephemerals: Array<Record<string, any>> = [];
  const problems: Array<{ method: string; problems: string[] }> = [];
  const views: OpenedView[] = [];
  const exchangedTriggers = new Set<string>();
  const hung: ServerResponse[] = [];
  let channelPace: ChannelPace | null = options.channelPace ?? null;
  const lastPostAt = new Map<string, number>(); // channel → when its last post was accepted
  let outage: { faults: Fault[]; methods: Set<string> | null; next: number } | null = null;
  let seq = 0;
  let responseSeq = 0;

  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const history = (channel: string) => {
    const list = channels.get(channel) ?? [];
    channels.set(channel, list);
    return list;
  };
  const findMessage = (channel: string, ts: string) => history(channel).find((m) => m.ts === ts);
  const ok = (body: Record<string, unknown> = {}) => ({ ok: true, ...body });
  const err = (error: string, extra: Record<string, unknown> = {}) => ({ ok: false, error, ...extra });
  const inRange = (ts: string, p: Record<string, any>) => {
    const n = Number(ts);
    const inclusive = p.inclusive === true || p.inclusive === 'true' || p.inclusive === '1';
    if (p.oldest !== undefined && (inclusive ? n < Number(p.oldest) : n <= Number(p.oldest))) return false;
    if (p.latest !== undefined && (inclusive ? n > Number(p.latest) : n >= Number(p.latest))) return false;
    return true;
  };
  const withMeta = (m: StoredMessage, p: Record<string, any>) => {
    const includeMeta = p.include_all_metadata === true || p.include_all_metadata === 'true';
    const { channel: _channel, ...rest } = m;
    if (!includeMeta) delete (rest as Partial<StoredMessage>).metadata;
    return rest;
  };
  const page = <T>(items: T[], p: Record<string, any>) => {
    const limit = Math.max(1, Math.min(1000, Number(p.limit ?? 100)));
    const start = p.cursor ? Number(Buffer.from(String(p.cursor), 'base64').toString('utf8')) : 0;
    const slice = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return {
      messages: slice,
      has_more: more,
      response_metadata: { next_cursor: more ? Buffer.from(String(start + limit)).toString('base64') : '' },
    };
  };
  const checked = (method: string, p: Record<string, any>) => {
    const found = blockKitProblems({ text: p.text, blocks: p.blocks });
    if (found.length > 0) problems.push({ method, problems: found });
    return found;
  };

  /** The Web API methods koe uses; each returns the JSON body Slack would. */
  const methods: Record<string, (p: Record<string, any>, token: string | null) => Record<string, unknown>> = {
    'auth.test': () =>
      ok({
        url: `https://${domain}.slack.com/`,
        team: 'koe test',
        user: 'koe',
        team_id: teamId,
        user_id: botUserId,
        bot_id: botId,
        is_enterprise_install: false,
      }),
    'apps.connections.open': (_p, token) =>
      token === appToken
        ? ok({ url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=AKOE` })
        : err('invalid_auth'),
    'chat.postMessage': (p) => {
      if (!p.channel) return err('channel_not_found');
      const problemsFound = checked('chat.postMessage', p);
      if (problemsFound.length) return err('invalid_blocks', { errors: problemsFound });
      if (p.thread_ts && !findMessage(p.channel, p.thread_ts)) return err('thread_not_found');
      // docs.slack.dev/reference/methods/chat.postMessage#authorship: a custom username or icon
      // needs chat:write.customize. The fake refuses the call without it (missing_scope), the
      // stricter of what a client may meet, so koe must cope with a refusal, not only an ignored name.
      const customised = p.username !== undefined || p.icon_url !== undefined || p.icon_emoji !== undefined;
      if (customised && scopes && !scopes.includes('chat:write.customize'))
        return err('missing_scope', { needed: 'chat:write.customize', provided: scopes.join(',') });
      const message: StoredMessage = {
        type: 'message',
        ts: nextTs(),
        channel: p.channel,
        text: p.text,
        blocks: p.blocks,
        user: botUserId,
        bot_id: botId,
        ...(p.metadata && { metadata: p.metadata }),
        ...(p.thread_ts && { thread_ts: p.thread_ts }),
        ...(customised && { username: p.username, icon_url: p.icon_url }),
      };
      history(p.channel).push(message);
      if (p.thread_ts) {
        const parent = findMessage(p.channel, p.thread_ts)!;
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
      }
      const { channel: _c, ...shown } = message;
      return ok({ channel: p.channel, ts: message.ts, message: shown });
    },
    'chat.update': (p) => {
      const message = findMessage(p.channel, p.ts);
      if (!message) return err('message_not_found');
      const problemsFound = checked('chat.update', p);
      if (problemsFound.length) return err('invalid_blocks', { errors: problemsFound });
      message.text = p.text;
      message.blocks = p.blocks;
      if (p.metadata) message.metadata = p.metadata;
      message.edited = { ts: nextTs() };
      return ok({ channel: p.channel, ts: p.ts, text: p.text });
    },
    'chat.postEphemeral': (p) => {
      const problemsFound = checked('chat.postEphemeral', p);
      if (problemsFound.length) return err('invalid_blocks', { errors: problemsFound });
      ephemerals.push(p);
      return ok({ message_ts: nextTs() });
    },
    'chat.getPermalink': (p) => {
      if (!findMessage(p.channel, p.message_ts)) return err('message_not_found');
      return ok({
        channel: p.channel,
        permalink: `https://${domain}.slack.com/archives/${p.channel}/p${String(p.message_ts).replace('.', '')}`,
      });
    },
    'conversations.history': (p) => {
      // Newest first; thread replies stay in their threads.
      const top = history(p.channel)
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .filter((m) => inRange(m.ts, p))
        .sort((a, b) => Number(b.ts) - Number(a.ts))
        .map((m) => withMeta(m, p));
      return ok(page(top, p));
    },
    'conversations.replies': (p) => {
      const anchor = findMessage(p.channel, p.ts);
      if (!anchor) return err('thread_not_found');
      const root = anchor.thread_ts ?? anchor.ts;
      const thread = history(p.channel)
        .filter((m) => m.ts === root || m.thread_ts === root)
        .filter((m) => m.ts === root || inRange(m.ts, p))
        .sort((a, b) => Number(a.ts) - Number(b.ts))
        .map((m) => withMeta(m, p));
      return ok(page(thread, p));
    },
    /** conversations.open with `users` (docs.slack.dev/reference/methods/conversations.open): the DM with one user. */
    'conversations.open': (p) => {
      const user = String(p.users ?? '');
      if (!users.has(user)) return err('user_not_found');
      if (scopes && !scopes.includes('im:write')) return err('missing_scope', { needed: 'im:write' });
      return ok({ channel: { id: `D${user.replace(/^[UW]/, '')}` } });
    },
    'users.info': (p) => {
      const user = users.get(p.user);
      return user ? ok({ user }) : err('user_not_found');
    },
    'reactions.add': () => ok(),
    /**
     * views.open as documented (docs.slack.dev/reference/methods/views.open): a trigger_id is good
     * once (`exchanged_trigger_id`); a view over the modal limits is refused with
     * `invalid_arguments` and its problems in response_metadata.messages; the answer is the opened
     * view with its id, hash and empty state.
     */
    'views.open': (p) => {
      const trigger = p.trigger_id;
      if (typeof trigger !== 'string' || !/^\d+\.\d+\.[0-9a-f]+$/.test(trigger)) return err('invalid_trigger_id');
      if (exchangedTriggers.has(trigger)) return err('exchanged_trigger_id');
      exchangedTriggers.add(trigger);
      const found = modalProblems(p.view);
      if (found.length) {
        problems.push({ method: 'views.open', problems: found });
        return err('invalid_arguments', { response_metadata: { messages: found.map((m) => `[ERROR] ${m}`) } });
      }
      const viewId = `V${String(++seq).padStart(8, '0')}`;
      const view = {
        id: viewId,
        team_id: teamId,
        type: 'modal',
        callback_id: '',
        private_metadata: '',
        external_id: '',
        ...p.view,
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${viewId}`,
        clear_on_close: false,
        notify_on_close: false,
        previous_view_id: null,
        root_view_id: viewId,
        app_id: 'AKOE',
        app_installed_team_id: teamId,
        bot_id: botId,
      };
      views.push({ triggerId: trigger, view });
      return ok({ view });
    },
  };

  function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });
  }

  function parseParams(raw: string, contentType: string | undefined): Record<string, any> {
    if (contentType?.includes('application/json')) return raw ? JSON.parse(raw) : {};
    const params: Record<string, any> = Object.fromEntries(new URLSearchParams(raw).entries());
    for (const field of FORM_JSON_FIELDS) {
      if (typeof params[field] === 'string') params[field] = JSON.parse(params[field]);
    }
    return params;
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        ...(scopes && { 'x-oauth-scopes': scopes.join(',') }),
        ...headers,
      })
      .end(JSON.stringify(body));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readBody(req);
    if (url.pathname.startsWith('/respond/')) {
      responses.push({ path: url.pathname, body: raw ? JSON.parse(raw) : null, at: Date.now() });
      return send(res, 200, { ok: true });
    }
    if (!url.pathname.startsWith('/api/')) return send(res, 404, { ok: false, error: 'not_found' });
    const method = url.pathname.slice('/api/'.length);
    let params: Record<string, any>;
    try {
      params = parseParams(raw, req.headers['content-type']);
    } catch {
      return send(res, 200, err('invalid_form_data'));
    }
    const token =
      (req.headers.authorization ?? '').replace(/^Bearer /, '') || (params.token as string | undefined) || null;
    const call: ApiCall = { method, params, token, status: 200, response: null, at: Date.now() };
    calls.push(call);

    // An outage answers every matching call with its faults in turn; otherwise the one-shot faults.
    const fault =
      outage && (outage.methods === null || outage.methods.has(method))
        ? outage.faults[outage.next++ % outage.faults.length]
        : (takeChannelFault(method, params) ?? faults.get(method)?.shift());
    if (fault?.kind === 'rate_limited') {
      call.status = 429;
      call.response = err('ratelimited');
      return send(res, 429, call.response, { 'retry-after': String(fault.retryAfterSec) });
    }
    if (fault?.kind === 'http') {
      call.status = fault.status;
      return res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('upstream trouble');
    }
    if (fault?.kind === 'error') {
      call.response = err(fault.error);
      return send(res, 200, call.response);
    }
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'held') await fault.until.catch(() => {});
    if (method === 'chat.postMessage' && channelPace && typeof params.channel === 'string') {
      const last = lastPostAt.get(params.channel);
      const now = Date.now();
      if (last !== undefined && now - last < channelPace.minGapMs) {
        const retryAfterSec =
          channelPace.retryAfterSec ?? Math.max(1, Math.ceil((channelPace.minGapMs - (now - last)) / 1000));
        call.status = 429;
        call.response = err('ratelimited');
        return send(res, 429, call.response, { 'retry-after': String(retryAfterSec) });
      }
    }

    const handler = methods[method];
    const expected = method === 'apps.connections.open' ? appToken : botToken;
    let body: Record<string, unknown>;
    if (!handler) body = err('unknown_method');
    else if (method !== 'apps.connections.open' && token !== expected) body = err('invalid_auth');
    else body = handler(params, token);
    call.response = body;
    if (method === 'chat.postMessage' && body.ok === true) lastPostAt.set(String(params.channel), Date.now());

    if (fault?.kind === 'lost_answer') {
      call.status = 500;
      return res.writeHead(500, { 'content-type': 'text/plain' }).end('the answer was lost');
    }
    if (fault?.kind === 'hang') {
      hung.push(res);
      return;
    }
    send(res, 200, body);
  });

  // Socket Mode: one WebSocket per apps.connections.open URL.
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  const pendingAcks = new Map<string, (ack: { envelope_id: string; payload?: unknown }) => void>();
  const socketMessages: unknown[] = [];
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith('/link/')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
        socketMessages.push(message);
        if (message.envelope_id)
          pendingAcks.get(message.envelope_id)?.(message as { envelope_id: string; payload?: unknown });
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'fake-slack' },
          connection_info: { app_id: 'AKOE' },
        }),
      );
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  const fake = {
    url: base,
    /** What SLACK_API_URL should be. */
    apiUrl: `${base}/api/`,
    teamId,
    botUserId,
    botId,
    botToken,
    appToken,
    calls,
    responses,
    ephemerals,
    /** Every Block Kit problem found in any payload koe sent. */
    blockKitProblems: problems,
    /** The modals koe opened (views.open), oldest first, as Slack answered them. */
    views,
    users,
    channels,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** Successful calls to a method (the ones that took effect and were answered 200 ok). */
    okCallsTo: (method: string) => calls.filter((c) => c.method === method && c.response?.ok === true),
    messages: (channel: string) => history(channel),
    topLevel: (channel: string) => history(channel).filter((m) => !m.thread_ts || m.thread_ts === m.ts),
    replies: (channel: string, threadTs: string) =>
      history(channel).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs),
    addUser(user: Partial<FakeUser> & { id: string }) {
      const full: FakeUser = { name: user.id.toLowerCase(), team_id: teamId, ...user };
      users.set(user.id, full);
      return full;
    },
    /** A message someone (not koe) posted, e.g. a customer in a source channel. Returns it. */
    addMessage(
      channel: string,
      message: { user?: string; text: string; thread_ts?: string; bot_id?: string; files?: StoredMessage['files'] },
    ): StoredMessage {
      const stored: StoredMessage = { type: 'message', ts: nextTs(), channel, ...message };
      history(channel).push(stored);
      return stored;
    },
    /** Answers the next `times` calls to `method` with `fault`. */
    fail(method: string, fault: Fault, times = 1) {
      const list = faults.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(fault);
      faults.set(method, list);
    },
    /** Answers the next `times` calls to `method` whose `channel` is `channel` with `fault`; other channels are untouched. */
    failIn(method: string, channel: string, fault: Fault, times = 1) {
      for (let i = 0; i < times; i++) channelFaults.push({ method, channel, fault });
    },
    /** Forgets the faults still queued for `method` (for every method when omitted). */
    clearFaults(method?: string) {
      if (method) faults.delete(method);
      else faults.clear();
      channelFaults.splice(0, channelFaults.length, ...channelFaults.filter((f) => method && f.method !== method));
    },
    /** A fresh response_url on this fake. */
    responseUrl: () => `${base}/respond/${++responseSeq}`,
    releaseHung() {
      for (const res of hung.splice(0)) res.destroy();
    },
    /** Calls being held unanswered right now (the `hang` fault). */
    hungCount: () => hung.length,
    /** Enforces (or, with null, stops enforcing) a per-channel pace on chat.postMessage. */
    setChannelPace(pace: ChannelPace | null) {
      channelPace = pace;
    },
    /** Calls answered 429 so far (to `method`, or to any). */
    rateLimitedCount: (method?: string) =>
      calls.filter((c) => c.status === 429 && (!method || c.method === method)).length,
    /**
     * Starts an outage: until `endOutage()`, every call to `methods` (default: every method) is answered
     * with `faults` in turn (e.g. 503, a post that lands but whose answer is lost, a hang).
     */
    startOutage(faults: Fault[], methods?: string[]) {
      outage = { faults, methods: methods ? new Set(methods) : null, next: 0 };
    },
    /** Ends the outage; hung calls are cut off (their callers see the connection drop). */
    endOutage() {
      outage = null;
      fake.releaseHung();
    },
    /** Socket Mode connections currently open. */
    socketCount: () => sockets.size,
    socketMessages,
    /** Sends an envelope to every open Socket Mode connection; resolves with the client's ack. */
    sendEnvelope(
      envelope: Omit<SocketEnvelope, 'envelope_id'>,
      timeoutMs = 5_000,
    ): Promise<{ envelope_id: string; payload?: unknown }> {
      const envelope_id = randomUUID();
      const full = { envelope_id, accepts_response_payload: envelope.type !== 'events_api', ...envelope };
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingAcks.delete(envelope_id);
          reject(new Error(`no ack for envelope ${envelope_id} within ${timeoutMs} ms`));
        }, timeoutMs);
        pendingAcks.set(envelope_id, (ack) => {
          clearTimeout(timer);
          pendingAcks.delete(envelope_id);
          resolve(ack);
        });
        for (const ws of sockets) ws.send(JSON.stringify(full));
      });
    },
    async close() {
      fake.releaseHung();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;
