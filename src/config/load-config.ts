import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parseDocument } from 'yaml';
import type { Locale, Reason } from '../core/reasons/taxonomy.ts';
import type { SlaSettings } from '../core/sla/policy.ts';
import type { HttpLimits } from '../lib/http-limits.ts';
import { type ContactSettings, contactSettingsOf } from './contact-schema.ts';
import { checkConnectors, type ConnectorsConfig } from './connectors.ts';
import { cronScheduleProblem } from './cron-schedule.ts';
import { formatIssues } from './format-issues.ts';
import { checkReasons } from './check-reasons.ts';
import { checkSla } from './check-sla.ts';
import { channelIdProblem } from './channel-id.ts';
import {
  DEFAULT_REACTION_ACTIONS,
  type Env,
  envSchema,
  fileConfigSchema,
  type FileConfig,
  HTTP_ENV_NAMES,
  type Platform,
  type ReactionAction,
} from './schema.ts';
import { Secret } from './secret.ts';
import { checkHttpLimits, checkReplyWebhooks, httpLimitsOf } from './env-checks.ts';
import { type EmailConfig, emailConfigOf } from './email-config.ts';

export interface DestinationConfig {
  name: string;
  platform: Platform;
  channel: string;
  reasons?: string[];
  sources?: string[];
}

export interface DigestConfig {
  name: string;
  platform: Platform;
  channel: string;
  period: 'day' | 'week';
  schedule: string;
}

/** Everything koe needs to run, validated; the only object built from `process.env`. */
export interface Config {
  databasePath: string;
  port: number;
  host: string;
  /** The HTTP server's timeouts and connection caps (the `KOE_HTTP_*` variables, else their defaults). */
  http: HttpLimits;
  configPath: string;
  configFileFound: boolean;
  intakeToken?: Secret;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** How log lines look: `auto` is human-readable on a terminal, JSON otherwise (LOG_FORMAT). */
  logFormat: 'auto' | 'pretty' | 'json';
  timezone: string;
  locale: Locale;
  reasons: Reason[];
  destinations: DestinationConfig[];
  sources: FileConfig['sources'];
  digests: DigestConfig[];
  reactions: Record<string, ReactionAction>;
  /** Things worth one line in the start log that are not errors (e.g. a default switched off). */
  notices: string[];
  /** The promises in business time: calendar, targets, warnings (the `sla:` block, or its defaults). */
  sla: SlaSettings;
  /** The contact form at /contact (the `contact:` block); off unless enabled. */
  contact: ContactSettings;
  replies: {
    undoMs: number;
    webhooks: Array<{ source: string; url: string }>;
    webhookSecret?: Secret;
  };
  /** Channel Talk, Intercom and Zendesk, each present when its `connectors:` block is (connectors.ts). */
  connectors: ConnectorsConfig;
  classifier: FileConfig['classifier'];
  delivery: FileConfig['delivery'];
  slack: {
    botToken?: Secret;
    signingSecret?: Secret;
    appToken?: Secret;
    apiUrl?: string;
    staffTeamIds: string[];
    paceMs?: number;
  };
  discord: {
    token?: Secret;
    applicationId?: string;
    apiUrl?: string;
    staffRoleId?: string;
    paceMs?: number;
  };
  /** The support mailbox (`email:`); absent: koe does not read or send mail. */
  email?: EmailConfig;
}

/** Every problem found in the environment and config file, one line each; thrown once, all at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Env values are echoed in errors only for these; any other variable may hold a pasted secret.
const ECHOABLE_ENV = new Set([
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'DATABASE_URL',
  'KOE_CONFIG',
  ...HTTP_ENV_NAMES,
]);

export interface LoadConfigOptions {
  /** Defaults to `process.env`; tests pass their own. */
  env?: Record<string, string | undefined>;
  /** Read `.env` from the working directory (values already in `env` win). Default true. */
  dotenv?: boolean;
  cwd?: string;
}

/** Reads `.env`, the environment and `koe.config.yaml`; throws ConfigError listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const rawEnv = readRawEnv(cwd, options);
  const problems: string[] = [];
  const envResult = envSchema.safeParse(rawEnv, { reportInput: true });
  if (!envResult.success) {
    problems.push(...formatIssues(envResult.error.issues, { hideInput: (path) => !ECHOABLE_ENV.has(path) }));
  }
  const configPath = resolve(
    cwd,
    envResult.success ? envResult.data.KOE_CONFIG : (rawEnv.KOE_CONFIG ?? './koe.config.yaml'),
  );
  const configFileFound = existsSync(configPath);
  const fileData = configFileFound ? readYaml(configPath, problems) : {};
  const fileResult = fileConfigSchema.safeParse(fileData, { reportInput: true });
  if (!fileResult.success) problems.push(...formatIssues(fileResult.error.issues));
  if (!envResult.success || !fileResult.success) throw new ConfigError(problems);

  const behaviour = checkBehaviour(fileResult.data, problems);
  checkPlatformSecrets(envResult.data, fileResult.data, behaviour, problems);
  checkHttpLimits(envResult.data, problems);
  const connectors = checkConnectors(rawEnv, fileResult.data.connectors, problems);
  const email = emailConfigOf(envResult.data, fileResult.data.email, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...(email && { email }),
    ...assemble(envResult.data, fileResult.data, behaviour, { cwd, configPath, configFileFound }),
    connectors,
  };
}

/** The environment, with `.env` from the working directory under it (the real environment wins). */
function readRawEnv(cwd: string, options: LoadConfigOptions): Record<string, string | undefined> {
  const rawEnv: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  const dotenvPath = resolve(cwd, '.env');
  if ((options.dotenv ?? true) && existsSync(dotenvPath)) {
    const fromFile = parseDotenv(readFileSync(dotenvPath));
    for (const [key, value] of Object.entries(fromFile)) rawEnv[key] ??= value;
  }
  return rawEnv;
}

function readYaml(configPath: string, problems: string[]): unknown {
  const doc = parseDocument(readFileSync(configPath, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) {
    problems.push(...doc.errors.map((e) => `${configPath}: ${e.message.split('\n')[0]}`));
    return {};
  }
  try {
    // toJS can still throw on a well-formed document (an alias to a missing anchor: `*x`).
    return doc.toJS() ?? {};
  } catch (error) {
    problems.push(`${configPath}: ${(error as Error).message}`);
    return {};
  }
}

/** What the file's cross-field checks produce besides problems. */
interface Behaviour {
  reasons: Reason[];
  sla: SlaSettings;
  destinations: DestinationConfig[];
  digests: DigestConfig[];
  reactions: Record<string, ReactionAction>;
  notices: string[];
}

function checkBehaviour(file: FileConfig, problems: string[]): Behaviour {
  const reasons = checkReasons(file, problems);
  const reasonIds = new Set(reasons.map((r) => r.id));
  checkTimezone(file.timezone, problems);
  const notices: string[] = [];
  const destinations = checkDestinations(file, reasonIds, problems);
  const reactions = checkReactions(file, reasonIds, problems, notices);
  const sla = checkSla(file, reasonIds, problems, notices);
  file.sources.forEach((s, i) => {
    const problem = channelIdProblem(s.platform, s.channel);
    if (problem) problems.push(`sources[${i}].channel: ${problem}`);
  });
  return { reasons, destinations, digests: checkDigests(file, problems), reactions, notices, sla };
}

const knownReasons = (ids: ReadonlySet<string>) => [...ids].map((id) => `"${id}"`).join(' | ');

function checkTimezone(timezone: string, problems: string[]): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    problems.push(`timezone: expected an IANA time zone such as "Asia/Tokyo", got "${timezone}"`);
  }
}

/** The console has no channels: its destination and digests may leave `channel` out. */
const CONSOLE_CHANNEL = 'stdout';

function channelOf(
  entry: { platform: Platform; channel?: string | undefined },
  path: string,
  problems: string[],
): string {
  if (entry.channel !== undefined) {
    const problem = channelIdProblem(entry.platform, entry.channel);
    if (problem) problems.push(`${path}.channel: ${problem}`);
    return entry.channel;
  }
  if (entry.platform !== 'console') {
    const example = entry.platform === 'slack' ? 'a channel id such as "C0123456789"' : 'a channel id (a snowflake)';
    problems.push(`${path}.channel: required for ${entry.platform}; set it to ${example}`);
  }
  return CONSOLE_CHANNEL;
}

function checkDestinations(file: FileConfig, reasonIds: ReadonlySet<string>, problems: string[]): DestinationConfig[] {
  if (!file.destinations) return [{ name: 'console', platform: 'console', channel: CONSOLE_CHANNEL }];
  const names = new Set<string>();
  return file.destinations.map((d, i) => {
    if (names.has(d.name)) problems.push(`destinations[${i}].name: "${d.name}" appears twice`);
    names.add(d.name);
    d.reasons?.forEach((id, j) => {
      if (!reasonIds.has(id)) {
        problems.push(`destinations[${i}].reasons[${j}]: expected ${knownReasons(reasonIds)}, got "${id}"`);
      }
    });
    return { ...d, channel: channelOf(d, `destinations[${i}]`, problems) };
  });
}

/**
 * The user's reactions are validated; the defaults are not the user's doing, so a default that points
 * at a reason the taxonomy lacks (🐛 → bug in a taxonomy without `bug`) is dropped with a notice.
 */
function checkReactions(
  file: FileConfig,
  reasonIds: ReadonlySet<string>,
  problems: string[],
  notices: string[],
): Record<string, ReactionAction> {
  const pointsNowhere = (action: ReactionAction) =>
    action.startsWith('reason:') && !reasonIds.has(action.slice('reason:'.length));
  if (!file.reactions) {
    const kept = Object.entries(DEFAULT_REACTION_ACTIONS).filter(([, action]) => !pointsNowhere(action));
    const dropped = Object.keys(DEFAULT_REACTION_ACTIONS).filter((emoji) => !kept.some(([e]) => e === emoji));
    if (dropped.length > 0) {
      notices.push(
        `default reactions ${dropped.join(' ')} are off: their reasons are not in your reasons list (set reactions: to map them)`,
      );
    }
    return Object.fromEntries(kept);
  }
  for (const [emoji, action] of Object.entries(file.reactions)) {
    if (pointsNowhere(action)) {
      problems.push(`reactions.${emoji}: expected reason:<id> with one of ${knownReasons(reasonIds)}, got "${action}"`);
    }
  }
  return file.reactions;
}

function checkDigests(file: FileConfig, problems: string[]): DigestConfig[] {
  return file.digests.map((d, i) => {
    const schedule = d.schedule ?? (d.period === 'week' ? '0 9 * * 1' : '0 9 * * *');
    const problem = cronScheduleProblem(schedule);
    if (problem) problems.push(`digests[${i}].schedule: ${problem}`);
    const channel = channelOf(d, `digests[${i}]`, problems);
    return {
      name: d.name ?? `${d.period}-${d.platform}-${channel}`,
      platform: d.platform,
      channel,
      period: d.period,
      schedule,
    };
  });
}

function checkPlatformSecrets(env: Env, file: FileConfig, behaviour: Behaviour, problems: string[]): void {
  const uses = (p: Platform) =>
    behaviour.destinations.some((d) => d.platform === p) ||
    behaviour.digests.some((d) => d.platform === p) ||
    file.sources.some((s) => s.platform === p) ||
    file.sla.alertChannel?.platform === p;
  if (uses('slack') && !env.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required because the config uses Slack');
  if (uses('slack') && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (uses('discord') && !env.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required because the config uses Discord');
  checkReplyWebhooks(env, file, problems);
}

function assemble(
  env: Env,
  file: FileConfig,
  behaviour: Behaviour,
  where: { cwd: string; configPath: string; configFileFound: boolean },
): Omit<Config, 'connectors'> {
  const secret = (v: string | undefined) => (v === undefined ? undefined : new Secret(v));
  return {
    databasePath: resolve(where.cwd, env.DATABASE_URL.replace(/^(sqlite|file):(\/\/)?/, '')),
    port: env.PORT,
    host: env.HOST,
    http: httpLimitsOf(env),
    contact: contactSettingsOf(file.contact, env.KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS, behaviour.notices),
    configPath: where.configPath,
    configFileFound: where.configFileFound,
    intakeToken: secret(env.KOE_INTAKE_TOKEN),
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    timezone: file.timezone,
    locale: file.locale,
    ...behaviour,
    sources: file.sources,
    replies: {
      undoMs: file.replies.undoSeconds * 1000,
      webhooks: file.replies.webhooks,
      webhookSecret: secret(env.KOE_WEBHOOK_SECRET),
    },
    classifier: file.classifier,
    delivery: file.delivery,
    slack: {
      botToken: secret(env.SLACK_BOT_TOKEN),
      signingSecret: secret(env.SLACK_SIGNING_SECRET),
      appToken: secret(env.SLACK_APP_TOKEN),
      apiUrl: env.SLACK_API_URL,
      staffTeamIds: file.slack.staffTeamIds,
      paceMs: file.slack.paceMs,
    },
    discord: {
      token: secret(env.DISCORD_TOKEN),
      applicationId: env.DISCORD_APPLICATION_ID,
      apiUrl: env.DISCORD_API_URL,
      staffRoleId: file.discord.staffRoleId,
      paceMs: file.discord.paceMs,
    },
  };
}
