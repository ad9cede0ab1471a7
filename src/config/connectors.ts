import { z } from 'zod';
import { Secret } from './secret.ts';

/**
 * The tools koe takes inquiries from and answers through (`connectors:` in koe.config.yaml), and
 * their secrets, which come only from the environment. A connector is on when its block is in the
 * file; then each secret it needs must be set, and a missing one is one sentence naming the variable
 * and where in the tool to copy it from.
 */

/** `connectors:` in koe.config.yaml: behaviour only, no secrets. */
export const connectorsFileSchema = z
  .object({
    /** Channel Talk (チャネルトーク): replies leave as a manager message sent by this bot name. */
    channelTalk: z
      .object({ botName: z.string().trim().min(1).max(100).default('koe') })
      .strict()
      .optional(),
    /** Intercom: replies leave as this admin's (teammate's) conversation reply. */
    intercom: z
      .object({
        adminId: z
          .union([z.string(), z.number().int().nonnegative()], {
            error: 'expected the id of the Intercom teammate replies are sent as, e.g. "814860"',
          })
          .transform(String)
          .pipe(z.string().regex(/^\d+$/, 'expected the teammate’s numeric id, e.g. "814860"')),
      })
      .strict()
      .optional(),
    /** Zendesk: replies leave as a public comment by the API token's user (ZENDESK_EMAIL). */
    zendesk: z.object({}).strict().optional(),
  })
  .strict()
  .default({});

export type ConnectorsFile = z.infer<typeof connectorsFileSchema>;

export interface ChannelTalkConfig {
  botName: string;
  accessKey: Secret;
  accessSecret: Secret;
  webhookToken: Secret;
  apiUrl: string;
}

export interface IntercomConfig {
  adminId: string;
  accessToken: Secret;
  clientSecret: Secret;
  apiUrl: string;
}

export interface ZendeskConfig {
  subdomain: string;
  email: string;
  apiToken: Secret;
  webhookSecret: Secret;
  apiUrl: string;
}

export interface ConnectorsConfig {
  channelTalk?: ChannelTalkConfig;
  intercom?: IntercomConfig;
  zendesk?: ZendeskConfig;
}

type Env = Record<string, string | undefined>;

/** Where each secret is found in its tool, said in the problem when it is missing. */
const WHERE = {
  CHANNEL_TALK_ACCESS_KEY: 'Channel Talk’s Settings > API Key management (the access key)',
  CHANNEL_TALK_ACCESS_SECRET: 'Channel Talk’s Settings > API Key management (the access secret)',
  CHANNEL_TALK_WEBHOOK_TOKEN: 'the webhook’s token in Channel Talk’s Settings > Webhook',
  INTERCOM_ACCESS_TOKEN: 'your app’s Authentication page in the Intercom Developer Hub',
  INTERCOM_CLIENT_SECRET: 'your app’s Basic information page in the Intercom Developer Hub (client secret)',
  ZENDESK_SUBDOMAIN: 'your Zendesk address (acme for acme.zendesk.com)',
  ZENDESK_EMAIL: 'the email of the Zendesk agent the API token belongs to',
  ZENDESK_API_TOKEN: 'Zendesk Admin Center > Apps and integrations > APIs > Zendesk API',
  ZENDESK_WEBHOOK_SECRET: 'Zendesk Admin Center > Apps and integrations > Webhooks > your webhook > Reveal secret',
} as const;

/** The connectors the file turns on, with their secrets; each problem is pushed as one sentence. */
export function checkConnectors(env: Env, file: ConnectorsFile, problems: string[]): ConnectorsConfig {
  const need = (name: keyof typeof WHERE, block: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name}: required because connectors.${block} is set; copy it from ${WHERE[name]}`);
    return value ?? '';
  };
  const url = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if (!/^https?:\/\/[^\s/]+/.test(value)) problems.push(`${name}: expected an http(s) URL, got "${value}"`);
    return value.replace(/\/+$/, '');
  };
  const connectors: ConnectorsConfig = {};
  if (file.channelTalk) {
    connectors.channelTalk = {
      botName: file.channelTalk.botName,
      accessKey: new Secret(need('CHANNEL_TALK_ACCESS_KEY', 'channelTalk')),
      accessSecret: new Secret(need('CHANNEL_TALK_ACCESS_SECRET', 'channelTalk')),
      webhookToken: new Secret(need('CHANNEL_TALK_WEBHOOK_TOKEN', 'channelTalk')),
      apiUrl: url('CHANNEL_TALK_API_URL', 'https://api.channel.io'),
    };
  }
  if (file.intercom) {
    connectors.intercom = {
      adminId: file.intercom.adminId,
      accessToken: new Secret(need('INTERCOM_ACCESS_TOKEN', 'intercom')),
      clientSecret: new Secret(need('INTERCOM_CLIENT_SECRET', 'intercom')),
      apiUrl: url('INTERCOM_API_URL', 'https://api.intercom.io'),
    };
  }
  if (file.zendesk) connectors.zendesk = zendeskOf(need, url, problems);
  return connectors;
}

function zendeskOf(
  need: (name: keyof typeof WHERE, block: string) => string,
  url: (name: string, fallback: string) => string,
  problems: string[],
): ZendeskConfig {
  const subdomain = need('ZENDESK_SUBDOMAIN', 'zendesk').toLowerCase();
  if (subdomain && !/^[a-z0-9][a-z0-9-]*$/.test(subdomain)) {
    problems.push(`ZENDESK_SUBDOMAIN: expected only the subdomain (acme for acme.zendesk.com), got "${subdomain}"`);
  }
  const email = need('ZENDESK_EMAIL', 'zendesk');
  if (email && !/^[^\s@]+@[^\s@]+$/.test(email)) {
    problems.push('ZENDESK_EMAIL: expected the email address of the agent the API token belongs to');
  }
  return {
    subdomain,
    email,
    apiToken: new Secret(need('ZENDESK_API_TOKEN', 'zendesk')),
    webhookSecret: new Secret(need('ZENDESK_WEBHOOK_SECRET', 'zendesk')),
    apiUrl: url('ZENDESK_API_URL', `https://${subdomain}.zendesk.com`),
  };
}
