import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadTestConfig, QUICK_OUTBOX } from './koe-instance.ts';
import { silentLogger, type Logger } from '../../src/lib/logger.ts';
import { createKoe, type Koe } from '../../src/wire.ts';
import type { FakeDiscordOptions } from '../fakes/discord/fake-discord.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../fakes/slack/fake-slack.ts';
import { sendSigned, type SignOptions, type SlackRequest } from '../fakes/slack/slack-requests.ts';
import { buildWorld, type World } from '../platforms/discord/harness.ts';
import { addPeople } from '../platforms/slack/harness.ts';
import { tempDir } from './temp-db.ts';

export const BOTH_SIGNING_SECRET = 'both-signing-secret-0123456789abcdef';
export const BOTH_INTAKE_TOKEN = 'both-intake-token-0123456789abcdef';
export const SLACK_CHANNEL = 'C0SUPPORT';

/** One koe wired to a fake Slack (HTTP mode) and a fake Discord at once, as a team using both runs it. */
export interface BothKoe {
  koe: Koe;
  url: string;
  dir: string;
  slack: FakeSlack;
  world: World;
  /** The intake API with the bearer token. */
  api: (path: string, json?: unknown) => Promise<Response>;
  /** A request to `/slack/events`, signed with the signing secret. */
  slackSend: (request: SlackRequest, sign?: Partial<SignOptions>) => Promise<Response>;
  /** The destinations as the ledger helpers want them. */
  destinations: { slack: Array<{ name: string; channel: string }>; discord: Array<{ name: string; channel: string }> };
  stop: () => Promise<void>;
}

/**
 * Starts both fakes and a koe with one Slack destination (`C0SUPPORT`) and one Discord destination
 * (the world's #inquiries in the team server, whose members are all staff), no sources.
 */
export async function startBothKoe(
  options: {
    log?: Logger;
    env?: Record<string, string>;
    yamlExtra?: string;
    slack?: FakeSlackOptions;
    discord?: FakeDiscordOptions;
  } = {},
): Promise<BothKoe> {
  const slack = await startFakeSlack(options.slack);
  addPeople(slack);
  // A roomy message bucket: these runs are about races and input, not Discord's 5 per 5 s.
  const world = await buildWorld({ messageBucket: { limit: 1_000, windowMs: 5_000 }, ...options.discord });
  const { dir, cleanup } = tempDir('koe-both-');
  writeFileSync(
    join(dir, 'koe.config.yaml'),
    `
locale: en
timezone: Asia/Tokyo
classifier: { enabled: false }
destinations:
  - { name: slack-team, platform: slack, channel: ${SLACK_CHANNEL} }
  - { name: discord-team, platform: discord, channel: "${world.inquiries.id}" }
discord:
  paceMs: 0
${options.yamlExtra ?? ''}`,
  );
  const config = loadTestConfig(dir, {
    KOE_INTAKE_TOKEN: BOTH_INTAKE_TOKEN,
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: BOTH_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: world.fake.token,
    DISCORD_APPLICATION_ID: world.fake.applicationId,
    DISCORD_API_URL: world.fake.apiUrl,
    ...options.env,
  });
  const koe = await createKoe(config, {
    log: options.log ?? silentLogger(),
    consoleOut: new PassThrough(),
    outbox: QUICK_OUTBOX,
    slack: { paceMs: 0 },
  });
  let port: number;
  try {
    ({ port } = await koe.start());
  } catch (error) {
    await koe.stop().catch(() => undefined);
    await slack.close();
    await world.fake.close();
    cleanup();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    koe,
    url,
    dir,
    slack,
    world,
    api: (path, json) =>
      fetch(`${url}${path}`, {
        method: json === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${BOTH_INTAKE_TOKEN}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    slackSend: (request, sign = {}) =>
      sendSigned(`${url}/slack/events`, request, { secret: BOTH_SIGNING_SECRET, ...sign }),
    destinations: {
      slack: [{ name: 'slack-team', channel: SLACK_CHANNEL }],
      discord: [{ name: 'discord-team', channel: world.inquiries.id }],
    },
    stop: async () => {
      await koe.stop();
      await slack.close();
      await world.fake.close();
      cleanup();
    },
  };
}
