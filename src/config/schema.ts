import { z } from 'zod';
import { PLATFORMS, type Platform, type ReactionAction } from '../core/surfaces.ts';
import { DEFAULT_HTTP_LIMITS } from '../lib/http-limits.ts';
import { contactFileSchema } from './contact-schema.ts';
import { slaFileSchema } from './sla-schema.ts';
import { emailFileSchema } from './email-schema.ts';
import { connectorsFileSchema } from './connectors.ts';

/** `koe.config.yaml`: behaviour, not secrets. Secrets and deployment settings come from the environment. */

const idPattern = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const platformSchema = z.enum(PLATFORMS);
export type { Platform, ReactionAction };

/** A regular expression (flags `iu`, checked in load-config) and how much a hit counts: 4 decides alone, 2 is clear, 1 a hint. */
const weightedRuleSchema = z
  .object({
    pattern: z.string().min(1),
    // z.number() refuses NaN and ±Infinity; a weight of 0 or less would never count.
    weight: z.number().positive('expected a positive number: 4 decides alone, 2 is clear, 1 is a hint'),
  })
  .strict();

/** What decides a reason from the text; every field adds to what the reason already has. */
const reasonRuleFields = {
  /** Words that set the reason wherever found (English ones as whole words); each weighs 4. */
  keywords: z.array(z.string().min(1)).default([]),
  /** Regular expressions (flags `iu`) that set the reason; each weighs 4. */
  patterns: z.array(z.string().min(1)).default([]),
  /** Weighted regular expressions, as the default taxonomy's: the reason's score is the sum of its hits. */
  rules: z.array(weightedRuleSchema).default([]),
  /** Breaks a tie between two decisive words: higher wins (defaults: cancellation 3, billing 2, account 1, others 0). */
  priority: z.number().optional(),
};

const reasonSchema = z
  .object({
    id: z.string().regex(idPattern, 'lowercase letters, digits, "_" or "-", at most 63 characters'),
    label: z.object({ ja: z.string().min(1), en: z.string().min(1) }).strict(),
    ...reasonRuleFields,
  })
  .strict();

/** `reasonRules.<id>`: more rules for a reason already in the taxonomy (a default one too), and its priority. */
const reasonTuningSchema = z.object(reasonRuleFields).strict();

const destinationSchema = z
  .object({
    name: z.string().min(1),
    platform: platformSchema,
    /** Slack channel id (C…) or Discord channel snowflake; the console has none (any label is kept). */
    channel: z.string().min(1).optional(),
    /** Only inquiries with one of these reasons; omitted: every reason. */
    reasons: z.array(z.string()).optional(),
    /** Only inquiries from these intake sources (e.g. "web", "slack:C0CUSTOMERS"); omitted: every source. */
    sources: z.array(z.string()).optional(),
  })
  .strict();

const sourceSchema = z
  .object({
    platform: z.enum(['slack', 'discord']),
    channel: z.string().min(1),
    /** Top-level messages from one customer within this window join one inquiry. */
    joinWindowMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(5),
  })
  .strict();

const digestSchema = z
  .object({
    name: z.string().min(1).optional(),
    platform: platformSchema,
    /** Required for Slack and Discord; the console has none. */
    channel: z.string().min(1).optional(),
    period: z.enum(['day', 'week']).default('day'),
    /** Cron expression in the configured timezone; default 09:00 daily, or Monday 09:00 weekly. */
    schedule: z.string().min(1).optional(),
  })
  .strict();

/** Emoji name (Slack short name or Discord unicode) → what it does. `reason:<id>` sets that reason. */
const reactionActionSchema = z
  .union([
    z.enum(['claim', 'resolve', 'seen']),
    z.string().regex(/^reason:[a-z0-9][a-z0-9_-]*$/, 'claim | resolve | seen | reason:<id>'),
  ])
  .transform((action) => action as ReactionAction);

export const DEFAULT_REACTION_ACTIONS: Record<string, ReactionAction> = {
  raising_hand: 'claim',
  '🙋': 'claim',
  white_check_mark: 'resolve',
  '✅': 'resolve',
  bug: 'reason:bug',
  '🐛': 'reason:bug',
  bulb: 'reason:feature_request',
  '💡': 'reason:feature_request',
  eyes: 'seen',
  '👀': 'seen',
};

export const fileConfigSchema = z
  .object({
    timezone: z.string().default('Asia/Tokyo'),
    locale: z.enum(['ja', 'en']).default('ja'),
    /** Replaces the default taxonomy. */
    reasons: z.array(reasonSchema).min(1).optional(),
    /** Added to the default taxonomy (or to `reasons`). */
    extraReasons: z.array(reasonSchema).default([]),
    /** Reason id → rules added to that reason and its priority: tunes a default reason without copying it. */
    reasonRules: z.record(z.string(), reasonTuningSchema).default({}),
    destinations: z.array(destinationSchema).optional(),
    sources: z.array(sourceSchema).default([]),
    digests: z.array(digestSchema).default([]),
    reactions: z.record(z.string(), reactionActionSchema).optional(),
    /** Business hours, holidays and the first-response and resolution targets (sla-schema.ts). */
    sla: slaFileSchema,
    /** The contact form koe serves at /contact (contact-schema.ts); off unless enabled. */
    contact: contactFileSchema,
    replies: z
      .object({
        /** How long a reply waits, with an Undo button, before it leaves; 0 sends at once. */
        undoSeconds: z.number().int().min(0).max(600).default(10),
        /** The way back for API sources (web forms, backends): a signed POST per reply to the source's URL. */
        webhooks: z
          .array(
            z
              .object({
                source: z.string().min(1).max(200),
                url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({ undoSeconds: 10, webhooks: [] }),
    /** Channel Talk, Intercom and Zendesk as customer channels (connectors.ts); their secrets come from the environment. */
    connectors: connectorsFileSchema,
    classifier: z
      .object({
        enabled: z.boolean().default(true),
        /** Below this confidence the reason stays unclassified and the mirror asks a human. */
        threshold: z.number().min(0).max(1).optional(),
        /**
         * Reads English inquiries with a sentence encoder shipped with koe (learning/sentence-encoder.ts)
         * as well as by their words: more right answers, about 10 ms and 190 MB more.
         */
        sentenceEncoder: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true, sentenceEncoder: true }),
    delivery: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(10),
        /**
         * How long a delivery attempt holds its row, in ms. A row still in flight past its lease was
         * interrupted (koe crashed or was killed) and is taken up again, after a look-up for a post that
         * may have landed. It must outlast the longest attempt (Slack and Discord calls time out after
         * 10 s) when two koe processes share one database; a lone koe never takes over its own attempts.
         */
        leaseMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
      })
      .strict()
      .default({ maxAttempts: 10, leaseMs: 60_000 }),
    slack: z
      .object({
        /** In a shared (Slack Connect) source channel, messages from our own workspace's members are staff. */
        staffTeamIds: z.array(z.string()).default([]),
        /** Least gap between two calls koe makes to one Slack channel, in ms (Slack: about one message per second per channel). */
        paceMs: z.number().int().min(0).max(60_000).optional(),
      })
      .strict()
      .default({ staffTeamIds: [] }),
    discord: z
      .object({
        /** Guild members with this role may use /koe; omitted: every member of the team guild. */
        staffRoleId: z.string().optional(),
        /** Least gap between two messages koe sends to one Discord channel, in ms (Discord allows about 5 per 5 s). */
        paceMs: z.number().int().min(0).max(60_000).optional(),
      })
      .strict()
      .default({}),
    /** The support mailbox, as a customer channel (email-schema.ts); absent: no email. */
    email: emailFileSchema.optional(),
  })
  .strict();

export type FileConfig = z.infer<typeof fileConfigSchema>;

const portSchema = z.coerce.number().int().min(0).max(65535);
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
  .pipe(z.url().optional());

/**
 * A whole number from the environment, within `min`..`max`; unset or empty gives `fallback`. The
 * sentence says what the setting holds and what to write, so the error names the fix.
 */
function wholeNumber(what: string, min: number, max: number, fallback: number) {
  const message = `expected ${what}: a whole number from ${min} to ${max} (default ${fallback})`;
  return z
    .string()
    .optional()
    .transform((v) => v?.trim() ?? '')
    .refine((v) => v === '' || (/^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max), { error: message })
    .transform((v) => (v === '' ? fallback : Number(v)));
}

/** `off` (behind a reverse proxy, where every client has the proxy's address) or a number of connections. */
const perAddressCap = z
  .string()
  .optional()
  .transform((v) => v?.trim().toLowerCase() ?? '')
  .refine((v) => v === '' || v === 'off' || (/^\d{1,9}$/.test(v) && Number(v) >= 1), {
    error: `expected a whole number of connections from one address, at least 1 (default ${DEFAULT_HTTP_LIMITS.maxConnectionsPerAddress}), or off behind a reverse proxy`,
  })
  .transform((v): number | 'off' =>
    v === '' ? DEFAULT_HTTP_LIMITS.maxConnectionsPerAddress : v === 'off' ? 'off' : Number(v),
  );

const D = DEFAULT_HTTP_LIMITS;
/** The HTTP server's connection caps and timeouts (README: Limits); cross-checked in load-config. */
const httpEnv = {
  KOE_HTTP_MAX_CONNECTIONS: wholeNumber('open connections in all', 1, 1_000_000, D.maxConnections),
  KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: perAddressCap,
  KOE_HTTP_HEADERS_TIMEOUT_MS: wholeNumber(
    'milliseconds to wait for a request’s headers',
    1_000,
    600_000,
    D.headersTimeoutMs,
  ),
  KOE_HTTP_REQUEST_TIMEOUT_MS: wholeNumber(
    'milliseconds to wait for a whole request',
    1_000,
    600_000,
    D.requestTimeoutMs,
  ),
  KOE_HTTP_KEEP_ALIVE_TIMEOUT_MS: wholeNumber(
    'milliseconds an idle connection stays open',
    1,
    600_000,
    D.keepAliveTimeoutMs,
  ),
};

/** The environment: deployment settings and secrets. */
export const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default('./data/koe.db'),
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  KOE_CONFIG: z.string().min(1).default('./koe.config.yaml'),
  KOE_INTAKE_TOKEN: optionalSecret,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` lines for people, `json` for machines; `auto` (default) is pretty when stdout is a terminal. */
  LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  SLACK_BOT_TOKEN: optionalSecret,
  SLACK_SIGNING_SECRET: optionalSecret,
  SLACK_APP_TOKEN: optionalSecret,
  SLACK_API_URL: optionalUrl,
  /** Signs reply webhooks (HMAC-SHA256); required when `replies.webhooks` lists any. */
  KOE_WEBHOOK_SECRET: optionalSecret,
  DISCORD_TOKEN: optionalSecret,
  DISCORD_APPLICATION_ID: optionalSecret,
  DISCORD_API_URL: optionalUrl,
  /** The support mailbox's password (email.imap); for Gmail an app password. */
  KOE_IMAP_PASSWORD: optionalSecret,
  /** email.smtp's password; unset: KOE_IMAP_PASSWORD (one account for both, as with Gmail). */
  KOE_SMTP_PASSWORD: optionalSecret,
  ...httpEnv,
});

/** The environment variables of the HTTP limits: not secrets, so their values may be echoed in errors. */
export const HTTP_ENV_NAMES = Object.keys(httpEnv);

export type Env = z.infer<typeof envSchema>;
