import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadTestConfig, QUICK_OUTBOX } from '../../helpers/koe-instance.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import type { DiscordRuntime } from '../../../src/platforms/discord/index.ts';
import { createKoe, type Koe, type KoeOptions } from '../../../src/wire.ts';
import {
  startFakeDiscord,
  type FakeChannel,
  type FakeDiscord,
  type FakeGuild,
  type FakeUser,
  type StoredMessage,
} from '../../fakes/discord/fake-discord.ts';
import { tempDir } from '../../helpers/temp-db.ts';
import { waitFor } from '../../helpers/wait-for.ts';

export const INTAKE_TOKEN = 'discord-test-intake-token-0123';

export interface World {
  fake: FakeDiscord;
  team: FakeGuild;
  staffRole: string;
  inquiries: FakeChannel;
  bugs: FakeChannel;
  community: FakeGuild;
  help: FakeChannel;
  forum: FakeChannel;
  /** Staff: in the team server everyone is, in the community server they hold the Staff role. */
  alice: { user: FakeUser; roles: string[] };
  bob: { user: FakeUser; roles: string[] };
  carol: { user: FakeUser; roles: string[] };
  /** A customer in the community server, without the staff role. */
  customer: { user: FakeUser; roles: string[] };
}

/** A fake Discord with a team server (two mirror channels) and a community server (text + forum sources). */
export async function buildWorld(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<World> {
  const fake = await startFakeDiscord(options);
  const team = fake.addGuild('Startup HQ');
  const community = fake.addGuild('Community', [{ name: 'Staff' }]);
  const staffRole = community.roles[0]!.id;
  const inquiries = fake.addChannel(team, 'inquiries');
  const bugs = fake.addChannel(team, 'bugs');
  const help = fake.addChannel(community, 'help');
  const forum = fake.addChannel(community, 'support-forum', 15);
  const person = (name: string, staff: boolean) => ({ user: fake.user(name), roles: staff ? [staffRole] : [] });
  return {
    fake,
    team,
    staffRole,
    inquiries,
    bugs,
    community,
    help,
    forum,
    alice: person('alice', true),
    bob: person('bob', true),
    carol: person('carol', false),
    customer: person('yamada', false),
  };
}

export interface RunningDiscordKoe {
  dir: string;
  /** Everything koe logged at debug level and above, parsed. */
  logs: () => Array<Record<string, any>>;
  koe: Koe;
  url: string;
  discord: DiscordRuntime;
  api: (
    path: string,
    init?: RequestInit & { json?: unknown },
  ) => Promise<Omit<Response, 'json'> & { json(): Promise<any> }>;
  stop: () => Promise<void>;
}

/** The default config: every inquiry mirrored to #inquiries, bugs also to #bugs; the community channels as sources. */
export function worldYaml(w: World, extra = ''): string {
  return `
locale: en
timezone: Asia/Tokyo
destinations:
  - { name: team, platform: discord, channel: "${w.inquiries.id}" }
  - { name: bugs, platform: discord, channel: "${w.bugs.id}", reasons: [bug] }
sources:
  - { platform: discord, channel: "${w.help.id}", joinWindowMinutes: 5 }
  - { platform: discord, channel: "${w.forum.id}" }
discord:
  staffRoleId: "${w.staffRole}"
  paceMs: 100
classifier:
  enabled: false
${extra}`;
}

/** Starts koe through `createKoe` with a temp SQLite file, pointed at the fake by DISCORD_API_URL. */
export async function startDiscordKoe(
  w: World,
  yaml = worldYaml(w),
  env: Record<string, string> = {},
  /** Reuse a data directory (a restart); it is then left for the caller to remove. */
  reuseDir?: string,
  options: Partial<KoeOptions> = {},
): Promise<RunningDiscordKoe> {
  const fresh = reuseDir ? { dir: reuseDir, cleanup: () => {} } : tempDir('koe-discord-');
  const { dir, cleanup } = fresh;
  writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  const config = loadTestConfig(dir, {
    KOE_INTAKE_TOKEN: INTAKE_TOKEN,
    DISCORD_TOKEN: w.fake.token,
    DISCORD_APPLICATION_ID: w.fake.applicationId,
    DISCORD_API_URL: w.fake.apiUrl,
    LOG_LEVEL: 'silent',
    ...env,
  });
  // Debug lines are kept for tests that check what koe decided; KOE_TEST_LOG=debug also prints them.
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      if (process.env.KOE_TEST_LOG) process.stderr.write(chunk);
      done();
    },
  });
  const log = createLogger('debug', sink);
  const koe = await createKoe(config, { log, outbox: QUICK_OUTBOX, ...options });
  let port: number;
  try {
    ({ port } = await koe.start());
  } catch (error) {
    await koe.stop().catch(() => {});
    cleanup();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    dir,
    logs: () =>
      lines
        .flatMap((l) => l.split('\n'))
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((l) => l.msg !== 'discord: debug'),
    koe,
    url,
    discord: koe.platforms.discord as DiscordRuntime,
    api: (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('authorization', `Bearer ${INTAKE_TOKEN}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      }) as any;
    },
    stop: async () => {
      await koe.stop();
      cleanup();
    },
  };
}

/** A roomy message bucket, for tests about something else than Discord's 5 posts per 5 s (delivery.test.ts). */
export const ROOMY_MESSAGES = { messageBucket: { limit: 100, windowMs: 5_000 } };

/** `buildWorld(fakeOptions)` and a koe started against it with the default config. */
export async function startWorldAndKoe(
  fakeOptions: Parameters<typeof buildWorld>[0] = {},
): Promise<{ w: World; k: RunningDiscordKoe }> {
  const w = await buildWorld(fakeOptions);
  try {
    return { w, k: await startDiscordKoe(w) };
  } catch (error) {
    await w.fake.close();
    throw error;
  }
}

/** Stops koe, then the fake Discord. */
export async function stopWorldAndKoe(w: World, k: RunningDiscordKoe): Promise<void> {
  await k.stop();
  await w.fake.close();
}

/**
 * Takes an inquiry in through the intake API and waits for its mirror in #inquiries (the embed
 * titled `#id subject`) and for koe's row in `mirrors`, so a test can act on the mirror at once.
 */
export async function mirroredInquiry(
  w: World,
  k: RunningDiscordKoe,
  json: { subject: string; body: string; reason?: string },
): Promise<{ id: number; mirror: StoredMessage }> {
  const res = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', ...json } });
  const { id } = (await res.json()) as { id: number };
  const mirror = await waitFor(
    () => w.fake.messagesIn(w.inquiries.id).find((m) => m.embeds[0]?.title === `#${id} ${json.subject}`),
    10_000,
    `the mirror of #${id}`,
  );
  await waitFor(
    () => k.koe.db.$client.prepare(`SELECT 1 FROM mirrors WHERE inquiry_id = ? AND destination = 'team'`).get(id),
    10_000,
    `the mirror row of #${id}`,
  );
  return { id, mirror };
}
