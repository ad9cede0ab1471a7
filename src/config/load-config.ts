import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import cron from 'node-cron';
import { parseDocument } from 'yaml';
import { DEFAULT_REASONS, type Locale, type Reason } from '../core/reasons/taxonomy.ts';
import { formatIssues } from './format-issues.ts';
import {
  DEFAULT_REACTION_ACTIONS,
  envSchema,
  fileConfigSchema,
  type FileConfig,
  type Platform,
  type ReactionAction,
} from './schema.ts';
import { Secret } from './secret.ts';

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
  configPath: string;
  configFileFound: boolean;
  intakeToken?: Secret;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  timezone: string;
  locale: Locale;
  reasons: Reason[];
  destinations: DestinationConfig[];
  sources: FileConfig['sources'];
  digests: DigestConfig[];
  reactions: Record<string, ReactionAction>;
  sla: FileConfig['sla'];
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
}

/** Every problem found in the environment and config file, one line each; thrown once, all at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// Env values are echoed in errors only for these; any other variable may hold a pasted secret.
const ECHOABLE_ENV = new Set(['PORT', 'HOST', 'LOG_LEVEL', 'DATABASE_URL', 'KOE_CONFIG']);

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
  const rawEnv: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  const dotenvPath = resolve(cwd, '.env');
  if ((options.dotenv ?? true) && existsSync(dotenvPath)) {
    const fromFile = parseDotenv(readFileSync(dotenvPath));
    for (const [key, value] of Object.entries(fromFile)) rawEnv[key] ??= value;
  }

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
  let fileData: unknown = {};
  if (configFileFound) {
    const doc = parseDocument(readFileSync(configPath, 'utf8'), { prettyErrors: true });
    if (doc.errors.length > 0) {
      problems.push(...doc.errors.map((e) => `${configPath}: ${e.message.split('\n')[0]}`));
    } else {
      try {
        // toJS can still throw on a well-formed document (an alias to a missing anchor: `*x`).
        fileData = doc.toJS() ?? {};
      } catch (error) {
        problems.push(`${configPath}: ${(error as Error).message}`);
      }
    }
  }
  const fileResult = fileConfigSchema.safeParse(fileData, { reportInput: true });
  if (!fileResult.success) problems.push(...formatIssues(fileResult.error.issues));

  if (!envResult.success || !fileResult.success) throw new ConfigError(problems);
  const env = envResult.data;
  const file = fileResult.data;

  const reasons = [...(file.reasons ?? DEFAULT_REASONS.map((r) => ({ ...r }))), ...file.extraReasons];
  const reasonIds = new Set<string>();
  reasons.forEach((r, i) => {
    if (reasonIds.has(r.id)) problems.push(`reasons[${i}].id: "${r.id}" appears twice`);
    reasonIds.add(r.id);
    r.patterns.forEach((p, j) => {
      try {
        new RegExp(p, 'iu');
      } catch (e) {
        problems.push(`reasons[${i}].patterns[${j}]: not a valid regular expression (${(e as Error).message})`);
      }
    });
  });
  const knownReasons = [...reasonIds].map((id) => `"${id}"`).join(' | ');

  try {
    new Intl.DateTimeFormat('en', { timeZone: file.timezone });
  } catch {
    problems.push(`timezone: expected an IANA time zone such as "Asia/Tokyo", got "${file.timezone}"`);
  }

  const destinations: DestinationConfig[] = file.destinations ?? [
    { name: 'console', platform: 'console', channel: 'stdout' },
  ];
  const destNames = new Set<string>();
  destinations.forEach((d, i) => {
    if (destNames.has(d.name)) problems.push(`destinations[${i}].name: "${d.name}" appears twice`);
    destNames.add(d.name);
    d.reasons?.forEach((id, j) => {
      if (!reasonIds.has(id)) problems.push(`destinations[${i}].reasons[${j}]: expected ${knownReasons}, got "${id}"`);
    });
  });

  const reactions = file.reactions ?? DEFAULT_REACTION_ACTIONS;
  for (const [emoji, action] of Object.entries(reactions)) {
    if (action.startsWith('reason:') && !reasonIds.has(action.slice('reason:'.length))) {
      problems.push(`reactions.${emoji}: expected reason:<id> with one of ${knownReasons}, got "${action}"`);
    }
  }

  const digests: DigestConfig[] = file.digests.map((d, i) => {
    const schedule = d.schedule ?? (d.period === 'week' ? '0 9 * * 1' : '0 9 * * *');
    if (!cron.validate(schedule))
      problems.push(`digests[${i}].schedule: expected a cron expression, got "${schedule}"`);
    return {
      name: d.name ?? `${d.period}-${d.platform}-${d.channel}`,
      platform: d.platform,
      channel: d.channel,
      period: d.period,
      schedule,
    };
  });

  const uses = (p: Platform) => destinations.some((d) => d.platform === p) || digests.some((d) => d.platform === p);
  const usesSlack = uses('slack') || file.sources.some((s) => s.platform === 'slack');
  const usesDiscord = uses('discord') || file.sources.some((s) => s.platform === 'discord');
  if (usesSlack && !env.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required because the config uses Slack');
  if (usesSlack && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_SIGNING_SECRET: required for Slack in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (usesDiscord && !env.DISCORD_TOKEN) problems.push('DISCORD_TOKEN: required because the config uses Discord');

  if (problems.length > 0) throw new ConfigError(problems);

  const secret = (v: string | undefined) => (v === undefined ? undefined : new Secret(v));
  return {
    databasePath: resolve(cwd, env.DATABASE_URL.replace(/^(sqlite|file):(\/\/)?/, '')),
    port: env.PORT,
    host: env.HOST,
    configPath,
    configFileFound,
    intakeToken: secret(env.KOE_INTAKE_TOKEN),
    logLevel: env.LOG_LEVEL,
    timezone: file.timezone,
    locale: file.locale,
    reasons,
    destinations,
    sources: file.sources,
    digests,
    reactions,
    sla: file.sla,
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
