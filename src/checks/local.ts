import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import type { Config } from '../config/load-config.ts';
import { type CheckResult, failed, passed } from '../lib/check.ts';

/**
 * The checks that need no network and take milliseconds: `koe start` runs them before anything
 * else, `koe doctor` runs them first. Each failure names the setting to change.
 */

const SLACK_APPS = 'https://api.slack.com/apps';

/** The nearest directory on the way up to `path` that exists (where a new directory would be made). */
function existingAncestor(path: string): string {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function writable(path: string): string | null {
  try {
    accessSync(path, constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (error as Error).message;
  }
}

/** Whether koe can create or write the database file, and the directory it lives in. */
export function databaseWritable(path: string): CheckResult {
  if (path === ':memory:') return passed('database', 'in memory (nothing is kept)');
  const target = existsSync(path) ? path : existingAncestor(dirname(path));
  const why =
    target !== path && !statSync(target).isDirectory() ? `${target} is a file, not a directory` : writable(target);
  if (why === null && existsSync(path) && !statSync(path).isFile()) {
    return failed(
      'database',
      `${path} is not a file`,
      'set DATABASE_URL to a file path, e.g. DATABASE_URL=./data/koe.db',
    );
  }
  if (why === null) return passed('database', `${path} is writable`);
  return failed(
    'database',
    `cannot write the database at ${path} (${why})`,
    'set DATABASE_URL to a file in a directory koe can write, e.g. DATABASE_URL=./data/koe.db',
  );
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/** Whether the database, and the intake token beside it, are readable by their owner only. */
export function databasePrivate(path: string): CheckResult {
  if (path === ':memory:' || !existsSync(path))
    return passed('database files', 'created private (0600) on first start');
  const token = `${dirname(path)}/intake-token`;
  const loose = [path, token].filter((f) => existsSync(f) && (statSync(f).mode & 0o077) !== 0);
  if (loose.length === 0) return passed('database files', 'readable by their owner only (0600)');
  const shown = loose.map((f) => `${f} (${octal(statSync(f).mode)})`).join(', ');
  return failed(
    'database files',
    `other local users can read ${shown}`,
    `run chmod 600 ${loose.join(' ')} (koe also tightens them at start); if the intake token was exposed, delete it and restart koe for a new one`,
  );
}

/** Whether koe could listen on its port now (port 0 asks for any free port, so it always can). */
export function portFree(port: number, host: string): Promise<CheckResult> {
  if (port === 0) return Promise.resolve(passed('port', 'any free port (PORT=0)'));
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(portProblem(port, host, error)));
    probe.listen(port, host, () => probe.close(() => resolve(passed('port', `${port} is free`))));
  });
}

/** The sentence for a port koe cannot listen on, whether found by the check or by the real listen. */
export function portProblem(port: number, host: string, error: NodeJS.ErrnoException): CheckResult {
  if (error.code === 'EADDRINUSE') {
    return failed(
      'port',
      `port ${port} is already in use`,
      `stop what is listening there, or set PORT (or pass --port) to a free port, e.g. PORT=${port + 1}`,
    );
  }
  if (error.code === 'EACCES') {
    return failed('port', `port ${port} needs root`, 'set PORT (or pass --port) to a port above 1023, e.g. PORT=3000');
  }
  return failed('port', `cannot listen on ${host}:${port} (${error.code ?? error.message})`, 'check HOST and PORT');
}

/** Whether each chat token in the environment is the kind its variable takes (xoxb-, xapp-, a bot token). */
export function tokenKinds(config: Config): CheckResult[] {
  const results: CheckResult[] = [];
  const bot = config.slack.botToken?.reveal();
  const app = config.slack.appToken?.reveal();
  if (bot !== undefined) results.push(slackBotKind(bot));
  if (app !== undefined) results.push(slackAppKind(app));
  const discord = config.discord.token?.reveal();
  if (discord !== undefined) results.push(discordKind(discord));
  return results;
}

function slackBotKind(token: string): CheckResult {
  const label = 'SLACK_BOT_TOKEN';
  if (token.startsWith('xoxb-')) return passed(label, 'a bot token (xoxb-)');
  if (token.startsWith('xapp-')) {
    return failed(
      label,
      'SLACK_BOT_TOKEN holds an app-level token (xapp-…)',
      `put that one in SLACK_APP_TOKEN, and set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at ${SLACK_APPS}`,
    );
  }
  return failed(
    label,
    `SLACK_BOT_TOKEN is not a bot token (it starts with "${token.slice(0, 5)}", not "xoxb-")`,
    `set it to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions at ${SLACK_APPS}`,
  );
}

function slackAppKind(token: string): CheckResult {
  const label = 'SLACK_APP_TOKEN';
  if (token.startsWith('xapp-')) return passed(label, 'an app-level token (xapp-)');
  const found = token.startsWith('xoxb-')
    ? 'SLACK_APP_TOKEN holds a bot token (xoxb-…)'
    : `SLACK_APP_TOKEN is not an app-level token (it starts with "${token.slice(0, 5)}", not "xapp-")`;
  return failed(
    label,
    found,
    `set it to an app-level token (xapp-…) with the connections:write scope, from Basic Information → App-Level Tokens at ${SLACK_APPS}${token.startsWith('xoxb-') ? ', and put the xoxb- token in SLACK_BOT_TOKEN' : ''}`,
  );
}

function discordKind(token: string): CheckResult {
  const label = 'DISCORD_TOKEN';
  const fix =
    'set it to the bot token from the Bot page of your application at https://discord.com/developers/applications, without "Bot " in front';
  if (/^(xox[a-z]|xapp)-/.test(token)) return failed(label, 'DISCORD_TOKEN holds a Slack token', fix);
  if (/^Bot\s/i.test(token) || /\s/.test(token))
    return failed(label, 'DISCORD_TOKEN has a prefix or spaces in it', fix);
  return passed(label, 'looks like a bot token');
}

/** The checks `koe start` runs before it opens anything: database, port, token kinds. */
export async function startChecks(config: Config): Promise<CheckResult[]> {
  return [databaseWritable(config.databasePath), await portFree(config.port, config.host), ...tokenKinds(config)];
}
