import { parse } from 'yaml';
import type { Config } from '../../config/load-config.ts';
import { type CheckResult, failed, passed } from '../../lib/check.ts';
import { slackManifest } from './manifest.ts';

/**
 * `koe doctor`'s Slack checks, over plain fetch (no Bolt, no retries): the bot token is valid
 * (auth.test), it has every scope the manifest asks for (auth.test's x-oauth-scopes header), the
 * app-level token opens Socket Mode, and the bot is in every configured channel.
 */

const SLACK_APPS = 'https://api.slack.com/apps';
const DEFAULT_API = 'https://slack.com/api/';

/** The fields of Slack's answers these checks read. */
interface SlackBody {
  ok?: boolean;
  error?: string;
  user?: string;
  team?: string;
  team_id?: string;
  channel?: { name?: string; is_member?: boolean; is_archived?: boolean };
}

type SlackAnswer = { body: SlackBody; scopes: string[] | null };

async function call(base: string, method: string, token: string, params: Record<string, string> = {}) {
  const res = await fetch(`${base}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const header = res.headers.get('x-oauth-scopes');
  const body = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as SlackBody;
  return { body, scopes: header === null ? null : header.split(',').map((s) => s.trim()) } satisfies SlackAnswer;
}

const networkReason = (error: unknown) => {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).name ?? 'network error';
};

/** The bot scopes slack-app-manifest.yaml asks for. */
export function manifestScopes(): string[] {
  const manifest = parse(slackManifest()) as { oauth_config?: { scopes?: { bot?: string[] } } };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

/** The channels the config names on Slack, each with what it is for. */
function slackChannels(config: Config): Array<{ channel: string; what: string }> {
  // One check per channel, naming everything it serves (a destination and a digest may share one).
  const seen = new Map<string, string[]>();
  const add = (channel: string, what: string) => seen.set(channel, [...(seen.get(channel) ?? []), what]);
  for (const d of config.destinations) if (d.platform === 'slack') add(d.channel, `destination "${d.name}"`);
  for (const d of config.digests) if (d.platform === 'slack') add(d.channel, `digest "${d.name}"`);
  for (const s of config.sources) if (s.platform === 'slack') add(s.channel, 'source');
  return [...seen].map(([channel, what]) => ({ channel, what: what.join(', ') }));
}

function tokenCheck(answer: SlackAnswer): CheckResult {
  if (answer.body.ok) {
    return passed('slack bot token', `valid: @${answer.body.user} in ${answer.body.team} (${answer.body.team_id})`);
  }
  return failed(
    'slack bot token',
    `Slack refused SLACK_BOT_TOKEN (${answer.body.error})`,
    `copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at ${SLACK_APPS} into SLACK_BOT_TOKEN, and reinstall the app to the workspace if it was revoked`,
  );
}

function scopeCheck(granted: string[] | null): CheckResult {
  if (granted === null) return passed('slack scopes', 'not reported by Slack (no x-oauth-scopes header)');
  const missing = manifestScopes().filter((s) => !granted.includes(s));
  if (missing.length === 0) return passed('slack scopes', 'every scope in slack-app-manifest.yaml is granted');
  return failed(
    'slack scopes',
    `the bot token lacks ${missing.join(', ')}`,
    `add them under OAuth & Permissions → Scopes (or update the app from npx koe slack-manifest) at ${SLACK_APPS}, then reinstall the app to the workspace`,
  );
}

async function appTokenCheck(base: string, appToken: string): Promise<CheckResult> {
  const { body } = await call(base, 'apps.connections.open', appToken);
  if (body.ok) return passed('slack app token', 'valid: Socket Mode can connect');
  return failed(
    'slack app token',
    `Slack refused SLACK_APP_TOKEN (${body.error})`,
    `create an app-level token with the connections:write scope under Basic Information → App-Level Tokens at ${SLACK_APPS} and copy it (xapp-…) into SLACK_APP_TOKEN`,
  );
}

/** Whether the bot is in `channel`: conversations.info when the token may read it, else a one-message history read. */
async function channelCheck(base: string, token: string, channel: string, what: string): Promise<CheckResult> {
  const label = `slack channel ${channel} (${what})`;
  const info = await call(base, 'conversations.info', token, { channel });
  const body = info.body.ok
    ? info.body
    : info.body.error === 'missing_scope' || info.body.error === 'unknown_method'
      ? (await call(base, 'conversations.history', token, { channel, limit: '1' })).body
      : info.body;
  const name = body.channel?.name ? `#${body.channel.name}` : channel;
  if (body.ok && body.channel?.is_member === false) return notMember(label, name);
  if (body.ok && body.channel?.is_archived) {
    return failed(label, `${name} is archived`, 'unarchive it, or point the config at another channel');
  }
  if (body.ok) return passed(label, `koe is a member of ${name} and can post`);
  if (body.error === 'not_in_channel') return notMember(label, name);
  if (body.error === 'channel_not_found') {
    return failed(
      label,
      `Slack has no channel ${channel} that koe can see`,
      'check the id (in Slack: the channel’s name → About → Channel ID at the bottom, C…); a private channel needs koe invited first (/invite @koe)',
    );
  }
  return failed(
    label,
    `Slack answered ${body.error} for ${channel}`,
    'see https://api.slack.com/methods/conversations.info',
  );
}

const notMember = (label: string, name: string) =>
  failed(label, `koe is not a member of ${name}`, `invite it: type /invite @koe in ${name}`);

/**
 * Whether koe is in every Slack channel the config names, each with its fix: what `koe start` logs
 * once it runs, so a channel koe cannot post in is named at start (its deliveries wait meanwhile).
 * Unreachable, it says nothing: the start already retries the platform and says so.
 */
export async function slackChannelChecks(config: Config): Promise<CheckResult[]> {
  const token = config.slack.botToken?.reveal();
  if (!token) return [];
  const base = config.slack.apiUrl ? config.slack.apiUrl.replace(/\/?$/, '/') : DEFAULT_API;
  const results: CheckResult[] = [];
  try {
    for (const { channel, what } of slackChannels(config)) results.push(await channelCheck(base, token, channel, what));
  } catch {
    // Unreachable: koe start's own retry says so.
  }
  return results;
}

/** Every Slack check `koe doctor` makes; none when the config does not use Slack. */
export async function slackChecks(config: Config): Promise<CheckResult[]> {
  const token = config.slack.botToken?.reveal();
  if (!token) return [];
  const base = config.slack.apiUrl ? config.slack.apiUrl.replace(/\/?$/, '/') : DEFAULT_API;
  try {
    const auth = await call(base, 'auth.test', token);
    const results = [tokenCheck(auth)];
    if (!auth.body.ok) return results;
    results.push(scopeCheck(auth.scopes));
    const appToken = config.slack.appToken?.reveal();
    if (appToken) results.push(await appTokenCheck(base, appToken));
    for (const { channel, what } of slackChannels(config)) results.push(await channelCheck(base, token, channel, what));
    return results;
  } catch (error) {
    return [
      failed(
        'slack',
        `Slack's API at ${base} is unreachable (${networkReason(error)})`,
        'check the network (and SLACK_API_URL, if set); koe start keeps trying when this happens',
      ),
    ];
  }
}
