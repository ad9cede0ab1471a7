/**
 * What a platform's failure at start means for a person: a refusal they must fix (a wrong token, an
 * intent not enabled), said in one sentence naming the setting and where to copy the right value; or
 * the platform being unreachable, which koe waits out. Read from the error's shape (codes, statuses),
 * not its class, so this module loads neither SDK.
 */

export type StartFailure =
  | { kind: 'refused'; sentence: string }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'unknown' };

/** A platform refused koe at start; the message is the sentence to show, with no stack needed. */
export class PlatformRefusedError extends Error {
  constructor(sentence: string) {
    super(sentence);
    this.name = 'PlatformRefusedError';
  }
}

const SLACK_APPS = 'https://api.slack.com/apps';
const DISCORD_APPS = 'https://discord.com/developers/applications';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_HEADERS_TIMEOUT',
  'ECONNABORTED',
]);

const SLACK_TOKEN_REFUSALS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

type Shaped = { code?: unknown; name?: unknown; message?: unknown; status?: unknown; statusCode?: unknown };

/** The error and its causes (`cause`, Slack's `original`), outermost first. */
function chain(error: unknown): Shaped[] {
  const out: Shaped[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && out.length < 6) {
    out.push(current as Shaped);
    const next = current as { cause?: unknown; original?: unknown };
    current = next.cause ?? next.original;
  }
  return out;
}

/** The network error code somewhere in the chain (`ECONNREFUSED`), if the failure was the network's. */
function networkReason(error: unknown): string | undefined {
  for (const e of chain(error)) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timed out';
  }
  return undefined;
}

export function explainSlackStartError(error: unknown): StartFailure {
  const e = error as Shaped & { data?: { error?: string }; stack?: string };
  const refusal = e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
  if (refusal && SLACK_TOKEN_REFUSALS.has(refusal)) {
    // The app-level token is only used by the Socket Mode client, whose call shows in the stack;
    // every other call koe makes at start (auth.test first) uses the bot token.
    if (/socket-mode|apps\.connections/i.test(e.stack ?? '')) {
      return {
        kind: 'refused',
        sentence: `Slack refused SLACK_APP_TOKEN (${refusal}): create an app-level token with the connections:write scope under Basic Information → App-Level Tokens at ${SLACK_APPS} and copy it (xapp-…) into SLACK_APP_TOKEN`,
      };
    }
    return {
      kind: 'refused',
      sentence: `Slack refused SLACK_BOT_TOKEN (${refusal}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at ${SLACK_APPS} into SLACK_BOT_TOKEN, and reinstall the app to the workspace if it was revoked`,
    };
  }
  const reason = networkReason(error);
  if (reason) return { kind: 'unreachable', reason };
  if (e.code === 'slack_webapi_http_error' && Number(e.statusCode) >= 500) {
    return { kind: 'unreachable', reason: `HTTP ${String(e.statusCode)}` };
  }
  return { kind: 'unknown' };
}

export function explainDiscordStartError(error: unknown): StartFailure {
  const e = error as Shaped;
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.code === 'TokenInvalid' || Number(e.status) === 401 || /\(4004\)/.test(message)) {
    return {
      kind: 'refused',
      sentence: `Discord refused DISCORD_TOKEN (authentication failed): copy the bot token from the Bot page of your application at ${DISCORD_APPS} (Reset Token) into DISCORD_TOKEN`,
    };
  }
  if (/\(4014\)/.test(message)) {
    return {
      kind: 'refused',
      sentence: `Discord refused the Message Content intent (4014), which koe needs to read Discord source channels: turn on "Message Content Intent" on the Bot page of your application at ${DISCORD_APPS}`,
    };
  }
  const reason = networkReason(error);
  if (reason) return { kind: 'unreachable', reason };
  if (Number(e.status) >= 500) return { kind: 'unreachable', reason: `HTTP ${String(e.status)}` };
  if (/gateway not ready within/.test(message)) return { kind: 'unreachable', reason: 'the gateway did not answer' };
  return { kind: 'unknown' };
}

/** What imapflow and nodemailer call a server they could not reach, besides Node's own codes. */
const MAIL_NETWORK_CODES = new Set([
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'ETIMEOUT',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ESOCKET',
  'ECONNECTION',
]);

/**
 * The support mailbox: a refusal is already a PlatformRefusedError with its sentence (email/start-errors.ts)
 * and is thrown as is; a server that cannot be reached is waited out, the warning naming the settings.
 */
export function explainEmailStartError(error: unknown): StartFailure {
  if (error instanceof PlatformRefusedError) return { kind: 'unknown' };
  const e = error as Shaped & { server?: unknown };
  if (e?.code === 'IMAP_BUSY') {
    return {
      kind: 'unreachable',
      reason:
        'the server takes no more logins for this account now; if this lasts, close some of the mail clients logged in to it',
    };
  }
  const code =
    typeof e?.code === 'string' && (NETWORK_CODES.has(e.code) || MAIL_NETWORK_CODES.has(e.code)) ? e.code : null;
  if (!code) return { kind: 'unknown' };
  const at = typeof e.server === 'string' ? ` at ${e.server}` : '';
  return { kind: 'unreachable', reason: `${code}${at}; if this lasts, check email.imap.host and email.imap.port` };
}

/** The failure of platform `name` at start, by the platform's own error shapes. */
export function explainStartFailure(platform: string, error: unknown): StartFailure {
  if (platform === 'slack') return explainSlackStartError(error);
  if (platform === 'discord') return explainDiscordStartError(error);
  if (platform === 'email') return explainEmailStartError(error);
  return { kind: 'unknown' };
}
