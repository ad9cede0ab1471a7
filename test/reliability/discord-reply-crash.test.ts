import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startKoeProcess, type KoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { buildWorld, type World, worldYaml } from '../platforms/discord/harness.ts';

/**
 * A reply to a Discord customer across kill -9: `node bin/koe.js start` as a child process against the
 * fake Discord, killed with SIGKILL while the reply waits out its undo window, or while Discord holds
 * the answer to the post that carries it (the reply landed; koe never heard), then started again on
 * the same SQLite file. The reply is in the customer's channel exactly once and ends 'sent'.
 */

const TOKEN = 'discord-reply-crash-intake-token-0123';

// The restarted koe takes over the killed one's attempt once its lease has run out.
const yaml = (w: World, undoSeconds: number) =>
  `${worldYaml(w)}delivery: { leaseMs: 1500 }\nreplies: { undoSeconds: ${undoSeconds} }\n`;

let w: World | undefined;
let koe: KoeProcess | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.kill('SIGKILL');
  await w?.fake.close();
  cleanup?.();
  w = koe = cleanup = undefined;
});

function start(dir: string, world: World): Promise<KoeProcess> {
  return startKoeProcess({
    cwd: dir,
    intakeToken: TOKEN,
    env: {
      KOE_INTAKE_TOKEN: TOKEN,
      DATABASE_URL: join(dir, 'koe.db'),
      DISCORD_TOKEN: world.fake.token,
      DISCORD_APPLICATION_ID: world.fake.applicationId,
      DISCORD_API_URL: world.fake.apiUrl,
      LOG_LEVEL: 'info',
    },
  });
}

/** The customer writes in #help; resolves with their message and the inquiry id from its mirror. */
async function customerWrites(world: World): Promise<{ messageId: string; id: number }> {
  const asked = world.fake.say(world.help.id, world.customer.user, 'My export is empty');
  const mirror = await waitFor(
    () => world.fake.messagesIn(world.inquiries.id).find((m) => /^koe #\d+/.test(m.embeds[0]?.footer?.text ?? '')),
    20_000,
    'the mirror',
  );
  return { messageId: asked.id, id: Number(/^koe #(\d+)/.exec(mirror.embeds[0].footer.text)![1]) };
}

/** The reply's state as the API tells it, or null while koe does not answer. */
async function replyState(target: KoeProcess, id: number): Promise<string | null> {
  const response = await target.api(`/api/v1/inquiries/${id}`).catch(() => null);
  if (!response?.ok) return null;
  const detail = (await response.json()) as { messages: Array<{ reply?: { state: string } }> };
  return detail.messages.find((m) => m.reply)?.reply?.state ?? null;
}

const repliesIn = (world: World, channelId: string) =>
  world.fake.messagesIn(channelId).filter((m) => m.author.id === world.fake.bot.id);

describe('a Discord reply across kill -9', () => {
  it('is sent once when koe is killed while Discord holds the answer to the post that carries it', async () => {
    w = await buildWorld();
    const world = w;
    const t = tempDir('koe-discord-reply-crash-');
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.config.yaml'), yaml(world, 0));
    koe = await start(t.dir, world);
    const { messageId, id } = await customerWrites(world);

    // Discord makes the reply but never answers; koe is killed while it waits.
    const posts = new RegExp(`^/channels/${world.help.id}/messages$`);
    world.fake.loseAnswerToNextPost(posts, 'hang');
    world.fake.slash(world.inquiries.id, world.alice, 'koe', 'reply', {
      id,
      text: 'We found the cause; a fix is out.',
    });
    await waitFor(() => repliesIn(world, world.help.id).length === 1, 20_000, 'the reply landed');
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');
    const lookedBefore = world.fake.requestsTo('GET', posts).length;

    koe = await start(t.dir, world);
    const again = koe;
    await waitFor(async () => (await replyState(again, id)) === 'sent' || null, 30_000, "the reply recorded as 'sent'");
    // The restarted koe looked in the channel and found it, rather than posting again.
    expect(world.fake.requestsTo('GET', posts).length).toBeGreaterThan(lookedBefore);
    expect(world.fake.requestsTo('POST', posts)).toHaveLength(1);
    const replies = repliesIn(world, world.help.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toBe('**Alice**\nWe found the cause; a fix is out.');
    expect(replies[0]!.message_reference?.message_id).toBe(messageId);
  }, 90_000);

  it('is sent once when koe is killed between queuing the reply and sending it', async () => {
    w = await buildWorld();
    const world = w;
    const t = tempDir('koe-discord-reply-crash-');
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.config.yaml'), yaml(world, 8));
    koe = await start(t.dir, world);
    const first = koe;
    const { messageId, id } = await customerWrites(world);

    const answer = world.fake.slash(world.inquiries.id, world.alice, 'koe', 'reply', {
      id,
      text: 'Thanks for waiting.',
    });
    await waitFor(() => answer.responses[0], 20_000, 'the reply queued');
    expect(await replyState(first, id)).toBe('queued');
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');
    expect(repliesIn(world, world.help.id)).toEqual([]);

    koe = await start(t.dir, world);
    const again = koe;
    await waitFor(async () => (await replyState(again, id)) === 'sent' || null, 30_000, "the reply recorded as 'sent'");
    const replies = repliesIn(world, world.help.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.content).toBe('**Alice**\nThanks for waiting.');
    expect(replies[0]!.message_reference?.message_id).toBe(messageId);
  }, 90_000);
});
