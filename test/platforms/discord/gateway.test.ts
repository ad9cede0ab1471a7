import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-db.ts';
import { buildWorld, startDiscordKoe, type RunningDiscordKoe, type World } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

type Running = RunningDiscordKoe;
let w: World | undefined;
let running: Running[] = [];
let dirs: string[] = [];

afterEach(async () => {
  for (const k of running) await k.stop();
  await w?.fake.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  w = undefined;
  running = [];
  dirs = [];
});

async function start(world: World, reuseDir?: string): Promise<Running> {
  const k = await startDiscordKoe(world, undefined, {}, reuseDir);
  running.push(k);
  return k;
}

describe('the Discord gateway connection', () => {
  it('identifies, gets READY and every GUILD_CREATE, and answers heartbeats', async () => {
    w = await buildWorld({ heartbeatIntervalMs: 100 });
    const k = await start(w);
    expect(w.fake.identifies).toHaveLength(1);
    expect(w.fake.identifies[0]).toMatchObject({ token: w.fake.token, shard: [0, 1] });
    expect(k.discord.client.guilds.cache.map((g) => g.name).sort()).toEqual(['Community', 'Startup HQ']);
    expect(k.discord.client.channels.cache.has(w.forum.id)).toBe(true);
    await waitFor(() => w!.fake.heartbeats >= 2 && k.discord.client.ws.ping >= 0, 5_000, 'two acknowledged heartbeats');
  });

  it('resumes a dropped session and takes in what Discord replays, without losing or doubling it', async () => {
    w = await buildWorld();
    const k = await start(w);
    w.fake.dropGateway(4000); // unknown error: the client resumes
    // Sent while koe is disconnected: buffered by the session and replayed on RESUME.
    w.fake.say(w.help.id, w.customer.user, 'Sent while you were away');
    await waitFor(() => w!.fake.resumes.length === 1, 8_000, 'RESUME');
    const rows = await waitFor(
      () => k.koe.db.$client.prepare(`SELECT body FROM inquiries`).all() as any[],
      8_000,
      'replayed message',
    );
    expect(rows).toEqual([{ body: 'Sent while you were away' }]);
    expect(w.fake.identifies).toHaveLength(1); // resumed, not re-identified
    expect(k.logs().some((l) => l.msg === 'discord: gateway session resumed')).toBe(true);
    expect(k.logs().some((l) => l.msg === 'discord: gateway reconnecting')).toBe(true);
  });

  it('after a restart, records a reaction on a mirror the new client never saw, and skips a re-delivered message it already took in', async () => {
    w = await buildWorld();
    const { dir } = tempDir('koe-discord-restart-');
    dirs.push(dir);
    const first = await start(w, dir);
    const joined = (id: number) =>
      first.koe.db.$client.prepare(`SELECT count(*) AS n FROM messages WHERE inquiry_id = ?`).get(id) as { n: number };
    w.fake.say(w.help.id, w.customer.user, 'First question');
    const second = w.fake.say(w.help.id, w.customer.user, 'And a detail'); // joins the first within the window
    await waitFor(() => joined(1).n === 1, 5_000, 'joined follow-up');
    const mirror = await waitFor(() => w!.fake.messagesIn(w!.inquiries.id)[0], 5_000, 'mirror');
    await waitFor(() => first.koe.db.$client.prepare(`SELECT 1 FROM mirrors`).get(), 5_000, 'mirror row');
    await first.stop();
    running = [];

    const k = await start(w, dir);
    expect(
      k.discord.client.channels.cache.get(w.inquiries.id)?.isTextBased() &&
        (k.discord.client.channels.cache.get(w.inquiries.id) as any).messages.cache.size,
    ).toBe(0);
    w.fake.react(mirror, w.alice.user, '🙋');
    await waitFor(
      () => (k.koe.db.$client.prepare(`SELECT status FROM inquiries WHERE id = 1`).get() as any).status === 'claimed',
      5_000,
      'claim by reaction after restart',
    );
    // The follow-up comes again (its message no longer in any cache): the ledger skips it.
    w.fake.redeliver(second);
    await waitFor(
      () => k.logs().some((l) => l.msg === 'discord: message already taken in' && l.messageId === second.id),
      5_000,
      'skip logged',
    );
    expect((k.koe.db.$client.prepare(`SELECT count(*) AS n FROM messages WHERE inquiry_id = 1`).get() as any).n).toBe(
      1,
    );
    expect(k.logs().filter((l) => l.level >= 50)).toEqual([]);
  });

  it('shuts the client down cleanly: the socket is closed and nothing reconnects', async () => {
    w = await buildWorld();
    const k = await start(w);
    expect(w.fake.connections).toBe(1);
    await k.stop();
    running = [];
    await waitFor(() => w!.fake.connections === 0, 8_000, 'socket closed');
    expect(w.fake.identifies).toHaveLength(1);
  });

  it('fails start() with a clear error when the token is wrong', async () => {
    w = await buildWorld();
    await expect(startDiscordKoe(w, undefined, { DISCORD_TOKEN: 'not-the-token' })).rejects.toThrow(/token/i);
  });

  it('fails start() at once, saying what to enable, when Discord refuses the MessageContent intent (4014)', async () => {
    w = await buildWorld({ refuseMessageContent: true });
    // "At once" means on the close itself, not after the ready timeout: that is set far beyond the
    // test's own timeout, so only the 4014 close can end start() in time, and the message says so.
    const readyTimeoutMs = 10 * 60_000;
    await expect(startDiscordKoe(w, undefined, {}, undefined, { discord: { readyTimeoutMs } })).rejects.toThrow(
      /4014.*Message Content Intent/,
    );
    // Nothing tried again: one IDENTIFY, and the socket is closed.
    expect(w.fake.identifies).toHaveLength(1);
    await waitFor(() => w!.fake.connections === 0, 8_000, 'socket closed');
  });
});
