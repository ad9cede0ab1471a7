import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { commandProblems, messageBodyProblems, modalProblems } from './validate.ts';

/**
 * A fake Discord on loopback for the real discord.js client: the REST routes koe uses (under
 * `/api/v10`, with Discord's rate-limit headers and 429 bodies) and a gateway WebSocket that speaks
 * HELLO → IDENTIFY → READY → GUILD_CREATE, answers heartbeats, resumes sessions, and dispatches the
 * events tests trigger (messages, reactions, interactions).
 *
 * For replies to customers it also follows Discord's API reference (developer docs: Message
 * resource "Create Message" with `message_reference`, `flags` and `enforce_nonce`; "Create DM"
 * (`POST /users/@me/channels`); interaction response type 9 MODAL and the text input component;
 * interaction type 5 MODAL_SUBMIT; message commands (application command type 3) with the target
 * in `resolved.messages`; message attachments). Where it simplifies, a comment says so.
 */

type Json = Record<string, any>;

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A snowflake for now (time-ordered, unique within the process). */
export function snowflake(atMs = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(atMs) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

export interface FakeUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface FakeGuild {
  id: string;
  name: string;
  roles: Array<{ id: string; name: string; permissions?: bigint }>;
  /** What @everyone may do in the server (default: what a new server gives it, which lets the bot post). */
  everyonePermissions: bigint;
  /** The roles the bot holds in this server (its managed role, in real Discord). */
  botRoles: string[];
  /** The server's owner: never the bot, so its permissions come from roles and overwrites. */
  ownerId: string;
}

/** A permission overwrite on a channel, as Discord's channel object carries it (`type` 0 role, 1 member). */
export interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

/**
 * Discord's permission bits the fake's servers use (discord.com/developers/docs/topics/permissions).
 * A new server's @everyone gets these (and more), so the bot can post unless a test takes one away.
 */
export const PERMISSION = {
  Administrator: 1n << 3n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  ReadMessageHistory: 1n << 16n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;
export const DEFAULT_EVERYONE_PERMISSIONS =
  PERMISSION.ViewChannel |
  PERMISSION.SendMessages |
  PERMISSION.EmbedLinks |
  PERMISSION.ReadMessageHistory |
  PERMISSION.CreatePublicThreads |
  PERMISSION.SendMessagesInThreads;

export interface FakeChannel {
  id: string;
  type: number; // 0 text, 15 forum, 11 public thread, 1 DM
  guild_id: string;
  name: string;
  parent_id?: string | null;
  /** A DM's other member. */
  recipient_id?: string;
  /** Who may do what here beyond the server's roles. */
  overwrites?: FakeOverwrite[];
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: FakeUser;
  content: string;
  // `any`: tests read deep into what koe posted.
  embeds: any[];
  components: any[];
  nonce?: string | number;
  message_reference?: Json;
  /** What koe asked for when creating it (SUPPRESS_EMBEDS is 1 << 2). */
  flags?: number;
  allowed_mentions?: Json;
  attachments?: Json[];
  timestamp: string;
  edited_timestamp: string | null;
  /** Every body this message was edited with, oldest first. */
  edits: Json[];
  type: number;
  thread?: FakeChannel;
  createdAtMs: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  body: any;
  status: number;
  at: number;
  query: URLSearchParams;
}

export interface InteractionRecord {
  id: string;
  token: string;
  createdAt: number;
  payload: Json;
  responses: Array<{ type: number; data?: Json; at: number }>;
  followups: Json[];
}

interface Injected {
  method: string;
  path: RegExp;
  times: number;
  respond: (res: ServerResponse) => void;
}

interface Session {
  id: string;
  seq: number;
  buffer: Array<{ s: number; payload: Json }>;
  socket: WebSocket | null;
  intents: number;
}

export interface FakeDiscordOptions {
  token?: string;
  /** Per-channel message create bucket (Discord: about 5 per 5 s). */
  messageBucket?: { limit: number; windowMs: number };
  /** Sent in HELLO; the client's first heartbeat waits a random part of it. */
  heartbeatIntervalMs?: number;
  /** How long Discord accepts an interaction's initial response. */
  interactionWindowMs?: number;
  /** Close with 4014 when MessageContent is asked for (the app has no approval). */
  refuseMessageContent?: boolean;
}

const MESSAGE_CONTENT = 1 << 15;

export async function startFakeDiscord(options: FakeDiscordOptions = {}) {
  const token = options.token ?? `fake.${randomBytes(8).toString('hex')}`;
  const bucket = options.messageBucket ?? { limit: 5, windowMs: 5_000 };
  const interactionWindowMs = options.interactionWindowMs ?? 3_000;
  const bot: FakeUser = { id: snowflake(), username: 'koe', bot: true, global_name: null };
  const applicationId = bot.id;

  const guilds = new Map<string, FakeGuild>();
  const channels = new Map<string, FakeChannel>();
  const messages = new Map<string, StoredMessage[]>(); // channel id → messages, oldest first
  const requests: RequestRecord[] = [];
  const interactions = new Map<string, InteractionRecord>();
  const commands = new Map<string, Json[]>(); // 'global' | guild id → registered commands
  const commandPuts: Array<{ scope: string; body: Json[] }> = [];
  const buckets = new Map<string, { count: number; resetAt: number }>();
  const injected: Injected[] = [];
  // Posts that land (the message is created) but whose answer is lost: a hung socket or a 500.
  const landThenFail: Array<{ path: RegExp; mode: 'hang' | 500; times: number }> = [];
  const hung: ServerResponse[] = [];
  const identifies: Json[] = [];
  const resumes: Json[] = [];
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  let heartbeats = 0;

  // ---- helpers ------------------------------------------------------------------------------

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (status === 204) {
      res.writeHead(204, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, code: number, message: string, extra: Json = {}) =>
    json(res, status, { code, message, ...extra });

  const publicMessage = (m: StoredMessage): Json => {
    const { edits: _e, createdAtMs: _c, nonce: _n, allowed_mentions: _a, ...rest } = m;
    return {
      ...rest,
      attachments: m.attachments ?? [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: m.flags ?? 0,
    };
  };

  const channelPayload = (c: FakeChannel): Json => {
    const base: Json = {
      id: c.id,
      type: c.type,
      guild_id: c.guild_id,
      name: c.name,
      parent_id: c.parent_id ?? null,
      position: 0,
      permission_overwrites: (c.overwrites ?? []).map((o) => ({
        id: o.id,
        type: o.type,
        allow: String(o.allow),
        deny: String(o.deny),
      })),
      nsfw: false,
      flags: 0,
    };
    if (c.type === 15)
      return {
        ...base,
        available_tags: [],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: 0,
      };
    if (c.type === 11) {
      return {
        ...base,
        owner_id: bot.id,
        message_count: (messages.get(c.id) ?? []).length,
        member_count: 1,
        total_message_sent: (messages.get(c.id) ?? []).length,
        thread_metadata: {
          archived: false,
          auto_archive_duration: 10080,
          archive_timestamp: new Date().toISOString(),
          locked: false,
        },
      };
    }
    return { ...base, topic: null, last_message_id: null, rate_limit_per_user: 0 };
  };

  const memberRoles = new Map<string, { user: FakeUser; roles: string[] }>(); // `${guild}:${user}`
  const memberPayload = (user: FakeUser, roles: string[] = []) => ({
    user,
    roles,
    nick: null,
    avatar: null,
    joined_at: '2026-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
  });

  const rateHeaders = (
    key: string,
    now: number,
  ): { ok: boolean; headers: Record<string, string>; retryAfterS: number } => {
    let b = buckets.get(key);
    if (!b || now >= b.resetAt) {
      b = { count: 0, resetAt: now + bucket.windowMs };
      buckets.set(key, b);
    }
    const resetAfter = Math.max(0, (b.resetAt - now) / 1000);
    const common = {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-reset': (b.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': `bucket-${key.split(':')[0]}`,
    };
    if (b.count >= bucket.limit) {
      return {
        ok: false,
        retryAfterS: resetAfter,
        headers: { ...common, 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user' },
      };
    }
    b.count += 1;
    return {
      ok: true,
      retryAfterS: 0,
      headers: { ...common, 'x-ratelimit-remaining': String(bucket.limit - b.count) },
    };
  };

  const tooMany = (res: ServerResponse, retryAfterS: number, headers: Record<string, string> = {}, global = false) =>
    json(
      res,
      429,
      { message: 'You are being rate limited.', retry_after: Number(retryAfterS.toFixed(3)), global },
      {
        'retry-after': retryAfterS.toFixed(3),
        'x-ratelimit-scope': global ? 'global' : 'user',
        ...(global ? { 'x-ratelimit-global': 'true' } : {}),
        ...headers,
      },
    );

  const read = (req: IncomingMessage) =>
    new Promise<any>((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        try {
          resolve(body ? JSON.parse(body) : undefined);
        } catch (e) {
          reject(e);
        }
      });
    });

  // ---- REST ---------------------------------------------------------------------------------

  async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/^\/api\/v10/, '');
    const body = await read(req).catch(() => undefined);
    const record: RequestRecord = { method, path, body, status: 0, at: Date.now(), query: url.searchParams };
    requests.push(record);
    const origWriteHead = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: any[]) => {
      record.status = status;
      return origWriteHead(status, ...rest);
    }) as typeof res.writeHead;

    const auth = req.headers.authorization;
    const interactionRoute = /^\/(interactions|webhooks)\//.test(path);
    if (!interactionRoute && auth !== `Bot ${token}`) return error(res, 401, 0, '401: Unauthorized');

    const inj = injected.find((i) => i.method === method && i.path.test(path) && i.times > 0);
    if (inj) {
      inj.times -= 1;
      return inj.respond(res);
    }

    let m: RegExpExecArray | null;
    if (method === 'GET' && path === '/gateway/bot') {
      const { port } = server.address() as AddressInfo;
      return json(res, 200, {
        url: `ws://127.0.0.1:${port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') return json(res, 200, bot);
    if (method === 'GET' && (path === '/applications/@me' || path === '/oauth2/applications/@me')) {
      return json(res, 200, { id: applicationId, name: 'koe', bot, flags: 0, description: '' });
    }

    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (m[1] !== applicationId) return error(res, 404, 10002, 'Unknown Application');
      const scope = m[2] ?? 'global';
      if (m[2] && !guilds.has(m[2])) return error(res, 403, 50001, 'Missing Access');
      if (method === 'GET') return json(res, 200, commands.get(scope) ?? []);
      if (method === 'PUT') {
        const list: Json[] = Array.isArray(body) ? body : [];
        const problems = list.flatMap(commandProblems);
        if (problems.length) return error(res, 400, 50035, 'Invalid Form Body', { errors: problems });
        const previous = commands.get(scope) ?? [];
        // Bulk overwrite keeps the id of a command whose (type, name) already exists, like Discord.
        const stored = list.map((c) => {
          const type = c.type ?? 1;
          const old = previous.find((p) => p.name === c.name && p.type === type);
          const same =
            old &&
            JSON.stringify({
              ...old,
              id: undefined,
              version: undefined,
              application_id: undefined,
              guild_id: undefined,
            }) ===
              JSON.stringify({
                ...c,
                type,
                id: undefined,
                version: undefined,
                application_id: undefined,
                guild_id: undefined,
              });
          return {
            ...c,
            type,
            id: old?.id ?? snowflake(),
            application_id: applicationId,
            version: same ? old.version : snowflake(),
            ...(m![2] ? { guild_id: m![2] } : {}),
          };
        });
        commands.set(scope, stored);
        commandPuts.push({ scope, body: list });
        return json(res, 200, stored);
      }
    }

    if ((m = /^\/guilds\/(\d+)$/.exec(path)) && method === 'GET') {
      const g = guilds.get(m[1]!);
      return g ? json(res, 200, guildPayload(g)) : error(res, 404, 10004, 'Unknown Guild');
    }

    if ((m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path)) && method === 'GET') {
      const g = guilds.get(m[1]!);
      if (g && m[2] === bot.id) return json(res, 200, memberPayload(bot, g.botRoles));
      // Members the fake has seen act in the guild (writing, reacting, clicking), with the roles they had.
      const known = memberRoles.get(`${m[1]}:${m[2]}`);
      return known ? json(res, 200, memberPayload(known.user, known.roles)) : error(res, 404, 10007, 'Unknown Member');
    }

    if (method === 'POST' && path === '/users/@me/channels') {
      // Create DM: one DM channel (type 1) per recipient, returned again for the same recipient.
      const recipient = String(body?.recipient_id ?? '');
      if (!/^\d+$/.test(recipient)) return error(res, 400, 50035, 'Invalid Form Body', { errors: ['recipient_id'] });
      let dm = [...channels.values()].find((c) => c.type === 1 && c.recipient_id === recipient);
      if (!dm) {
        dm = { id: snowflake(), type: 1, guild_id: '', name: '', recipient_id: recipient };
        channels.set(dm.id, dm);
        messages.set(dm.id, []);
      }
      return json(res, 200, { id: dm.id, type: 1, last_message_id: null, flags: 0, recipients: [{ id: recipient }] });
    }

    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const channel = channels.get(m[1]!);
      return channel ? json(res, 200, channelPayload(channel)) : error(res, 404, 10003, 'Unknown Channel');
    }

    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channelId = m[1]!;
      const channel = channels.get(channelId);
      if (!channel) return error(res, 404, 10003, 'Unknown Channel');
      if (method === 'GET') {
        const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 50));
        const after = url.searchParams.get('after');
        const before = url.searchParams.get('before');
        let list = [...(messages.get(channelId) ?? [])];
        if (after) list = list.filter((x) => BigInt(x.id) > BigInt(after)).slice(0, limit);
        else if (before) list = list.filter((x) => BigInt(x.id) < BigInt(before)).slice(-limit);
        else list = list.slice(-limit);
        return json(res, 200, list.reverse().map(publicMessage)); // newest first, without nonce
      }
      if (method === 'POST') {
        const rl = rateHeaders(`post-messages:${channelId}`, Date.now());
        if (!rl.ok) return tooMany(res, rl.retryAfterS, rl.headers);
        const problems = messageBodyProblems(body ?? {}, { create: true });
        if (problems.length) return error(res, 400, 50035, 'Invalid Form Body', { errors: problems });
        if (body.enforce_nonce && body.nonce !== undefined) {
          const existing = (messages.get(channelId) ?? []).find(
            (x) => x.author.id === bot.id && x.nonce === body.nonce && Date.now() - x.createdAtMs < 5 * 60_000,
          );
          if (existing) return json(res, 200, { ...publicMessage(existing), nonce: existing.nonce }, rl.headers);
        }
        const ref = body.message_reference;
        // Discord: a reference to a message that does not exist fails unless fail_if_not_exists is false.
        const referenced = ref
          ? (messages.get(ref.channel_id ?? channelId) ?? []).find((x) => x.id === ref.message_id)
          : null;
        if (ref && !referenced && ref.fail_if_not_exists !== false)
          return error(res, 400, 50035, 'Invalid Form Body', { errors: ['message_reference: Unknown message'] });
        const created = storeMessage({
          channelId,
          author: bot,
          content: body.content ?? '',
          embeds: body.embeds ?? [],
          components: body.components ?? [],
          nonce: body.nonce,
          reference: referenced ? referenced.id : undefined,
        });
        created.flags = body.flags;
        created.allowed_mentions = body.allowed_mentions;
        // DMs are not dispatched to the bot's gateway here: koe takes no DM in (a simplification).
        if (channel.type !== 1) dispatchMessageCreate(created, []);
        const lost = landThenFail.find((l) => l.times > 0 && l.path.test(path));
        if (lost) {
          lost.times -= 1;
          if (lost.mode === 'hang') {
            hung.push(res);
            return;
          }
          return error(res, 500, 0, '500: Internal Server Error');
        }
        return json(res, 200, { ...publicMessage(created), nonce: created.nonce }, rl.headers);
      }
    }

    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const found = (messages.get(m[1]!) ?? []).find((x) => x.id === m![2]);
      if (!channels.has(m[1]!)) return error(res, 404, 10003, 'Unknown Channel');
      if (!found) return error(res, 404, 10008, 'Unknown Message');
      if (method === 'GET') return json(res, 200, publicMessage(found));
      if (method === 'PATCH') {
        const rl = rateHeaders(`patch-message:${m[1]}`, Date.now());
        if (!rl.ok) return tooMany(res, rl.retryAfterS, rl.headers);
        const problems = messageBodyProblems(body ?? {}, { create: false });
        if (problems.length) return error(res, 400, 50035, 'Invalid Form Body', { errors: problems });
        if (found.author.id !== bot.id) return error(res, 403, 50005, 'Cannot edit a message authored by another user');
        if (body.content !== undefined) found.content = body.content;
        if (body.embeds !== undefined) found.embeds = body.embeds;
        if (body.components !== undefined) found.components = body.components;
        found.edited_timestamp = new Date().toISOString();
        found.edits.push(body);
        return json(res, 200, publicMessage(found), rl.headers);
      }
    }

    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') {
      const parent = channels.get(m[1]!);
      if (!parent) return error(res, 404, 10003, 'Unknown Channel');
      const source = (messages.get(m[1]!) ?? []).find((x) => x.id === m![2]);
      if (!source) return error(res, 404, 10008, 'Unknown Message');
      if (source.thread) return error(res, 400, 160004, 'A thread has already been created for this message');
      if (!body?.name || String(body.name).length > 100)
        return error(res, 400, 50035, 'Invalid Form Body', { errors: ['name: 1 to 100'] });
      // The thread and the message it starts from share their id.
      const thread: FakeChannel = {
        id: source.id,
        type: 11,
        guild_id: parent.guild_id,
        name: body.name,
        parent_id: parent.id,
      };
      channels.set(thread.id, thread);
      messages.set(thread.id, []);
      source.thread = thread;
      dispatch('THREAD_CREATE', { ...channelPayload(thread), newly_created: true });
      return json(res, 201, channelPayload(thread));
    }

    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      const rec = interactions.get(m[1]!);
      if (!rec || rec.token !== m[2]) return error(res, 404, 10062, 'Unknown interaction');
      if (Date.now() - rec.createdAt > interactionWindowMs) return error(res, 404, 10062, 'Unknown interaction');
      if (rec.responses.length > 0) return error(res, 400, 40060, 'Interaction has already been acknowledged.');
      if (body?.data && (body.type === 4 || body.type === 7)) {
        const problems = messageBodyProblems(body.data, { create: body.type === 4 });
        if (problems.length) return error(res, 400, 50035, 'Invalid Form Body', { errors: problems });
      }
      if (body?.type === 9) {
        // MODAL is not a valid response to a MODAL_SUBMIT (nor to PING).
        if (rec.payload.type === 5 || rec.payload.type === 1)
          return error(res, 400, 50035, 'Invalid Form Body', { errors: ['type: modal not allowed here'] });
        const problems = modalProblems(body.data ?? {});
        if (problems.length) return error(res, 400, 50035, 'Invalid Form Body', { errors: problems });
      }
      if (body?.type === 8) {
        const choices: Json[] = body.data?.choices ?? [];
        if (choices.length > 25 || choices.some((c) => String(c.name).length < 1 || String(c.name).length > 100)) {
          return error(res, 400, 50035, 'Invalid Form Body', { errors: ['choices'] });
        }
      }
      rec.responses.push({ type: body?.type, data: body?.data, at: Date.now() });
      if (url.searchParams.get('with_response') === 'true') {
        return json(res, 200, { interaction: { id: rec.id, type: rec.payload.type }, resource: { type: body?.type } });
      }
      return json(res, 204, null);
    }

    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      const rec = [...interactions.values()].find((r) => r.token === m![2]);
      if (!rec || m[1] !== applicationId) return error(res, 404, 10015, 'Unknown Webhook');
      rec.followups.push({ method, target: m[3] ?? null, body });
      return json(res, 200, {
        id: snowflake(),
        channel_id: rec.payload.channel_id,
        content: body?.content ?? '',
        embeds: body?.embeds ?? [],
        author: bot,
        flags: body?.flags ?? 0,
      });
    }

    return error(res, 404, 0, `404: Not Found (${method} ${path})`);
  }

  // ---- gateway ------------------------------------------------------------------------------

  function send(socket: WebSocket, payload: Json) {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  }

  function dispatchTo(session: Session, t: string, d: Json) {
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    session.buffer.push({ s: session.seq, payload });
    if (session.socket) send(session.socket, payload);
  }

  /** Sends a dispatch to every identified session (events are buffered per session for RESUME). */
  function dispatch(t: string, d: Json) {
    for (const session of sessions.values()) {
      const wantsContent = (session.intents & MESSAGE_CONTENT) !== 0;
      // Without MessageContent, Discord blanks other users' message text.
      if (t === 'MESSAGE_CREATE' && !wantsContent && d.author?.id !== bot.id)
        dispatchTo(session, t, { ...d, content: '', embeds: [] });
      else dispatchTo(session, t, d);
    }
  }

  /** The guild as GET /guilds/:id answers it: its roles with their permissions, and an owner who is not the bot. */
  function guildPayload(g: FakeGuild): Json {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: g.ownerId,
      roles: rolesPayload(g),
    };
  }

  function rolesPayload(g: FakeGuild): Json[] {
    return [
      {
        id: g.id,
        name: '@everyone',
        permissions: String(g.everyonePermissions),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      ...g.roles.map((r, i) => ({
        id: r.id,
        name: r.name,
        permissions: String(r.permissions ?? 0n),
        position: i + 1,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      })),
    ];
  }

  function guildCreatePayload(g: FakeGuild): Json {
    const guildChannels = [...channels.values()].filter((c) => c.guild_id === g.id && c.type !== 11);
    const threads = [...channels.values()].filter((c) => c.guild_id === g.id && c.type === 11);
    return {
      id: g.id,
      name: g.name,
      icon: null,
      owner_id: g.ownerId,
      unavailable: false,
      roles: rolesPayload(g),
      channels: guildChannels.map(channelPayload),
      threads: threads.map(channelPayload),
      members: [memberPayload(bot, g.botRoles)],
      member_count: 2,
      emojis: [],
      stickers: [],
      features: [],
      joined_at: '2026-01-01T00:00:00.000Z',
      large: false,
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      preferred_locale: 'ja',
      premium_tier: 0,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      system_channel_flags: 0,
    };
  }

  function onSocket(socket: WebSocket) {
    sockets.add(socket);
    let session: Session | null = null;
    send(socket, { op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs ?? 45_000 } });
    socket.on('close', () => {
      sockets.delete(socket);
      if (session && session.socket === socket) session.socket = null;
    });
    socket.on('message', (raw) => {
      const payload = JSON.parse(String(raw)) as Json;
      switch (payload.op) {
        case 1: // heartbeat
          heartbeats += 1;
          send(socket, { op: 11 });
          break;
        case 2: {
          // identify
          identifies.push(payload.d);
          if (payload.d.token !== token) return socket.close(4004, 'Authentication failed.');
          if (options.refuseMessageContent && (payload.d.intents & MESSAGE_CONTENT) !== 0)
            return socket.close(4014, 'Disallowed intent(s).');
          session = { id: randomBytes(8).toString('hex'), seq: 0, buffer: [], socket, intents: payload.d.intents };
          sessions.set(session.id, session);
          const { port } = server.address() as AddressInfo;
          dispatchTo(session, 'READY', {
            v: 10,
            user: bot,
            guilds: [...guilds.values()].map((g) => ({ id: g.id, unavailable: true })),
            session_id: session.id,
            resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
            shard: [0, 1],
            application: { id: applicationId, flags: 0 },
            user_settings: {},
            private_channels: [],
            relationships: [],
            guild_join_requests: [],
          });
          for (const g of guilds.values()) dispatchTo(session, 'GUILD_CREATE', guildCreatePayload(g));
          break;
        }
        case 6: {
          // resume: replay what the session missed, then RESUMED
          resumes.push(payload.d);
          const known = sessions.get(payload.d.session_id);
          if (!known || payload.d.token !== token) {
            send(socket, { op: 9, d: false });
            return;
          }
          session = known;
          session.socket = socket;
          for (const item of session.buffer.filter((b) => b.s > payload.d.seq)) send(socket, item.payload);
          dispatchTo(session, 'RESUMED', {});
          break;
        }
        default:
          break;
      }
    });
  }

  // ---- server -------------------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((req, res) => {
    handleRest(req, res).catch((e) => {
      if (!res.headersSent) error(res, 500, 0, String(e));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/gateway')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  // ---- world building and triggers ------------------------------------------------------------

  function storeMessage(input: {
    channelId: string;
    author: FakeUser;
    content: string;
    embeds?: Json[];
    components?: Json[];
    nonce?: string | number;
    reference?: string;
    id?: string;
    attachments?: Json[];
  }): StoredMessage {
    const channel = channels.get(input.channelId)!;
    const now = Date.now();
    const msg: StoredMessage = {
      id: input.id ?? snowflake(now),
      channel_id: input.channelId,
      guild_id: channel.guild_id,
      author: input.author,
      content: input.content,
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      nonce: input.nonce,
      timestamp: new Date(now).toISOString(),
      edited_timestamp: null,
      edits: [],
      type: input.reference ? 19 : 0,
      createdAtMs: now,
      ...(input.attachments ? { attachments: input.attachments } : {}),
      ...(input.reference
        ? {
            message_reference: {
              type: 0,
              message_id: input.reference,
              channel_id: input.channelId,
              guild_id: channel.guild_id,
            },
          }
        : {}),
    };
    const list = messages.get(input.channelId) ?? [];
    list.push(msg);
    messages.set(input.channelId, list);
    return msg;
  }

  /** An attachment as Discord describes one on a message (its CDN address carries the file name). */
  function attachment(channelId: string, filename: string): Json {
    const id = snowflake();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: 1024, url, proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net') };
  }

  function dispatchMessageCreate(msg: StoredMessage, roles: string[]) {
    if (!msg.author.bot && msg.guild_id)
      memberRoles.set(`${msg.guild_id}:${msg.author.id}`, { user: msg.author, roles });
    const { edits: _e, createdAtMs: _c, thread: _t, ...rest } = msg;
    dispatch('MESSAGE_CREATE', {
      ...rest,
      attachments: msg.attachments ?? [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: 0,
      ...(msg.author.bot ? {} : { member: { ...memberPayload(msg.author, roles), user: undefined } }),
    });
  }

  function createInteraction(
    type: number,
    actor: { user: FakeUser; roles?: string[] },
    channelId: string,
    extra: Json,
  ): InteractionRecord {
    const channel = channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const id = snowflake();
    const tokenValue = `itok-${randomBytes(12).toString('hex')}`;
    const payload: Json = {
      id,
      application_id: applicationId,
      type,
      token: tokenValue,
      version: 1,
      guild_id: channel.guild_id,
      channel_id: channelId,
      channel: channelPayload(channel),
      member: { ...memberPayload(actor.user, actor.roles ?? []), permissions: '2248473465835073' },
      locale: 'ja',
      guild_locale: 'ja',
      app_permissions: '2248473465835073',
      entitlements: [],
      authorizing_integration_owners: { '0': channel.guild_id },
      context: 0,
      attachment_size_limit: 10_485_760,
      ...extra,
    };
    const rec: InteractionRecord = {
      id,
      token: tokenValue,
      createdAt: Date.now(),
      payload,
      responses: [],
      followups: [],
    };
    interactions.set(id, rec);
    dispatch('INTERACTION_CREATE', payload);
    return rec;
  }

  const commandId = (name: string) => [...commands.values()].flat().find((c) => c.name === name)?.id ?? snowflake();

  type OptionValue = string | number | boolean | { user: FakeUser; roles?: string[] };

  const fake = {
    port,
    token,
    bot,
    applicationId,
    /** REST base for `rest.api` / DISCORD_API_URL (discord.js appends `/v10`). */
    apiUrl: `http://127.0.0.1:${port}/api`,
    requests,
    interactions,
    commands,
    commandPuts,
    identifies,
    resumes,
    get heartbeats() {
      return heartbeats;
    },
    get connections() {
      return [...sockets].filter((s) => s.readyState === s.OPEN).length;
    },

    addGuild(name: string, roles: Array<{ id?: string; name: string; permissions?: bigint }> = []): FakeGuild {
      const g: FakeGuild = {
        id: snowflake(),
        name,
        roles: roles.map((r) => ({ id: r.id ?? snowflake(), name: r.name, permissions: r.permissions })),
        everyonePermissions: DEFAULT_EVERYONE_PERMISSIONS,
        botRoles: [],
        ownerId: snowflake(),
      };
      guilds.set(g.id, g);
      return g;
    },
    addChannel(guild: FakeGuild, name: string, type: 0 | 15 = 0): FakeChannel {
      const c: FakeChannel = { id: snowflake(), type, guild_id: guild.id, name, parent_id: null };
      channels.set(c.id, c);
      messages.set(c.id, []);
      return c;
    },
    user(username: string): FakeUser {
      return { id: snowflake(), username, global_name: username[0]!.toUpperCase() + username.slice(1), bot: false };
    },
    messagesIn(channelId: string): StoredMessage[] {
      return messages.get(channelId) ?? [];
    },
    channel(id: string): FakeChannel | undefined {
      return channels.get(id);
    },

    /** Makes the next `times` requests matching method and path answer with a 429 (per-route, or global). */
    rateLimitNext(method: string, path: RegExp, retryAfterMs: number, times = 1, global = false) {
      injected.push({ method, path, times, respond: (res) => tooMany(res, retryAfterMs / 1000, {}, global) });
    },
    /** Makes the next matching requests fail with an arbitrary status and Discord error body. */
    failNext(method: string, path: RegExp, status: number, code: number, message: string, times = 1) {
      injected.push({ method, path, times, respond: (res) => error(res, status, code, message) });
    },
    /** The next matching message posts are created, but their answer never comes ('hang') or is a 500. */
    loseAnswerToNextPost(path: RegExp, mode: 'hang' | 500, times = 1) {
      landThenFail.push({ path, mode, times });
    },
    requestsTo(method: string, path: RegExp): RequestRecord[] {
      return requests.filter((r) => r.method === method && path.test(r.path));
    },

    /** A member writes while no bot is connected (koe is down): stored, never dispatched. */
    sayOffline(
      channelId: string,
      author: FakeUser,
      content: string,
      opts: { roles?: string[]; replyTo?: string } = {},
    ): StoredMessage {
      const msg = storeMessage({ channelId, author, content, reference: opts.replyTo });
      if (msg.guild_id) memberRoles.set(`${msg.guild_id}:${author.id}`, { user: author, roles: opts.roles ?? [] });
      return msg;
    },
    /** A member writes in a channel: stored and dispatched as MESSAGE_CREATE. */
    say(
      channelId: string,
      author: FakeUser,
      content: string,
      opts: { roles?: string[]; replyTo?: string; attachments?: string[] } = {},
    ): StoredMessage {
      const attachments = opts.attachments?.map((filename) => attachment(channelId, filename));
      const msg = storeMessage({ channelId, author, content, reference: opts.replyTo, attachments });
      dispatchMessageCreate(msg, opts.roles ?? []);
      return msg;
    },
    /** Re-sends a MESSAGE_CREATE already sent (a gateway re-delivery). */
    redeliver(msg: StoredMessage, roles: string[] = []) {
      dispatchMessageCreate(msg, roles);
    },
    /** A forum post: THREAD_CREATE, then the starter message (same id as the thread) in it. */
    forumPost(forumId: string, author: FakeUser, title: string, content: string, roles: string[] = []) {
      const forum = channels.get(forumId)!;
      const id = snowflake();
      const thread: FakeChannel = { id, type: 11, guild_id: forum.guild_id, name: title, parent_id: forum.id };
      channels.set(id, thread);
      messages.set(id, []);
      dispatch('THREAD_CREATE', { ...channelPayload(thread), owner_id: author.id, newly_created: true });
      const msg = storeMessage({ channelId: id, author, content, id });
      dispatchMessageCreate(msg, roles);
      return { thread, message: msg };
    },
    react(
      message: { id: string; channel_id: string },
      user: FakeUser,
      emoji: string,
      roles: string[] = [],
      removed = false,
    ) {
      const channel = channels.get(message.channel_id)!;
      const d: Json = {
        user_id: user.id,
        channel_id: message.channel_id,
        message_id: message.id,
        guild_id: channel.guild_id,
        emoji: { id: null, name: emoji },
        burst: false,
        type: 0,
      };
      if (!removed) d.member = memberPayload(user, roles);
      dispatch(removed ? 'MESSAGE_REACTION_REMOVE' : 'MESSAGE_REACTION_ADD', d);
    },

    /** `/name sub opt:value…` from a member; resolves users given as option values. */
    slash(
      channelId: string,
      actor: { user: FakeUser; roles?: string[] },
      name: string,
      sub: string,
      opts: Record<string, OptionValue> = {},
      focused?: string,
    ) {
      const resolved: Json = { users: {}, members: {} };
      const options = Object.entries(opts).map(([optName, value]) => {
        if (typeof value === 'object') {
          resolved.users[value.user.id] = value.user;
          resolved.members[value.user.id] = {
            ...memberPayload(value.user, value.roles ?? []),
            user: undefined,
            permissions: '0',
          };
          return { name: optName, type: 6, value: value.user.id };
        }
        const type = typeof value === 'number' ? 4 : typeof value === 'boolean' ? 5 : 3;
        return { name: optName, type, value, ...(focused === optName ? { focused: true } : {}) };
      });
      return createInteraction(focused ? 4 : 2, actor, channelId, {
        data: {
          id: commandId(name),
          name,
          type: 1,
          options: [{ name: sub, type: 1, options }],
          ...(Object.keys(resolved.users).length ? { resolved } : {}),
        },
      });
    },
    click(message: StoredMessage, actor: { user: FakeUser; roles?: string[] }, customId: string) {
      return createInteraction(3, actor, message.channel_id, {
        message: publicMessage(message),
        data: { custom_id: customId, component_type: 2 },
      });
    },
    select(message: StoredMessage, actor: { user: FakeUser; roles?: string[] }, customId: string, values: string[]) {
      return createInteraction(3, actor, message.channel_id, {
        message: publicMessage(message),
        data: { custom_id: customId, component_type: 3, values },
      });
    },
    /**
     * A member submits a modal (interaction type 5): its custom_id and each text input's value, in
     * action rows as Discord sends them; `from` is the message whose button opened it, if any.
     */
    submitModal(
      channelId: string,
      actor: { user: FakeUser; roles?: string[] },
      customId: string,
      values: Record<string, string>,
      from?: StoredMessage,
    ) {
      return createInteraction(5, actor, channelId, {
        ...(from ? { message: publicMessage(from) } : {}),
        data: {
          custom_id: customId,
          components: Object.entries(values).map(([id, value]) => ({
            type: 1,
            components: [{ type: 4, custom_id: id, value }],
          })),
        },
      });
    },
    messageCommand(name: string, target: StoredMessage, actor: { user: FakeUser; roles?: string[] }) {
      return createInteraction(2, actor, target.channel_id, {
        data: {
          id: commandId(name),
          name,
          type: 3,
          target_id: target.id,
          resolved: { messages: { [target.id]: publicMessage(target) } },
        },
      });
    },

    /** Sends any dispatch again as it was (a gateway re-delivery). */
    redispatch(t: string, d: Json) {
      dispatch(t, d);
    },
    /** Closes every gateway socket with `code` (4000: unknown error, so the client resumes). */
    dropGateway(code = 4000) {
      for (const s of sockets) s.close(code, 'dropped by test');
    },

    async close() {
      for (const r of hung) r.destroy();
      for (const s of sockets) s.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}

export type FakeDiscord = Awaited<ReturnType<typeof startFakeDiscord>>;
