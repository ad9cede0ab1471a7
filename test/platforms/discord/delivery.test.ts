import { REST } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, createInquiry } from '../../../src/core/inquiries/index.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { createOutboxWorker, type OutboxWorker } from '../../../src/outbox/worker.ts';
import { rejectsOnRateLimit } from '../../../src/platforms/discord/client.ts';
import { createDiscordSender } from '../../../src/platforms/discord/sender.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/fake-discord.ts';
import { bigDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';
import { coreContext, tempDb } from '../../helpers/temp-db.ts';
import { buildWorld, startDiscordKoe, type RunningDiscordKoe, type World } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let w: World | undefined;
let k: RunningDiscordKoe | undefined;
let fake: FakeDiscord | undefined;
let t: ReturnType<typeof tempDb> | undefined;
let worker: OutboxWorker | undefined;

afterEach(async () => {
  await worker?.stop();
  await k?.stop();
  await w?.fake.close();
  await fake?.close();
  t?.cleanup();
  w = k = fake = t = worker = undefined;
});

const postsTo = (f: FakeDiscord, channel: string) =>
  f.requestsTo('POST', new RegExp(`^/channels/${channel}/messages$`));

describe('Discord rate limits', () => {
  it('waits out a 429 and delivers the mirror later, once, without hammering the route', async () => {
    const RETRY_AFTER_MS = 400; // what the fake's 429 says
    w = await buildWorld();
    k = await startDiscordKoe(w);
    w.fake.rateLimitNext('POST', new RegExp(`^/channels/${w.inquiries.id}/messages$`), RETRY_AFTER_MS);
    await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', body: 'Where do I change my email address?' },
    });
    await waitFor(() => w!.fake.messagesIn(w!.inquiries.id).length === 1, 8_000, 'mirror after the 429');
    const posts = postsTo(w.fake, w.inquiries.id);
    expect(posts.map((p) => p.status)).toEqual([429, 200]);
    // The second try came after Discord's retry_after, and nothing was sent in between. (The fake
    // stamps each request as it arrives; a slow machine can only make the gap longer.)
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    const limited = k.logs().find((l) => l.msg === 'outbox: rate limited');
    expect(limited?.retryAfterMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
    const row = await waitFor(() =>
      k!.koe.db.$client
        .prepare(`SELECT status, attempts FROM deliveries WHERE destination = 'team' AND status = 'done'`)
        .get(),
    );
    expect(row).toEqual({ status: 'done', attempts: 1 }); // the 429 did not count as an attempt
    // Same nonce both times: even a 429 that had landed could not have produced two mirrors.
    expect(posts[0]!.body.nonce).toBe(posts[1]!.body.nonce);
  });

  it('paces posts to a channel, and pauses it when its bucket is empty instead of sending requests that would get 429s', async () => {
    // Two posts per window, and a window far longer than the test: the third post cannot be due
    // before the bucket resets however slow the machine, so the pause is certain, not a race.
    const WINDOW_MS = 10 * 60_000;
    const PACE_MS = 150;
    w = await buildWorld({ messageBucket: { limit: 2, windowMs: WINDOW_MS } });
    k = await startDiscordKoe(w, undefined, {}, undefined, { discord: { paceMs: PACE_MS } });
    for (let i = 0; i < 3; i++)
      await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: `question number ${i}` } });
    const limited = await waitFor(
      () => k!.logs().find((l) => l.msg === 'outbox: rate limited'),
      8_000,
      'the channel paused',
    );
    const posts = postsTo(w.fake, w.inquiries.id);
    expect(posts.map((p) => p.status)).toEqual([200, 200]); // the third was not sent into the empty bucket
    expect(w.fake.messagesIn(w.inquiries.id)).toHaveLength(2);
    // Paced: the second post came at least the configured pace after the first (a lower bound: the
    // fake stamps requests on arrival, and a slow machine can only widen the gap).
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(PACE_MS);
    // The third waits for the bucket's reset, and the wait does not count as an attempt.
    const third = k.koe.db.$client
      .prepare(`SELECT status, attempts, next_attempt_at AS nextAttemptAt FROM deliveries WHERE id = ?`)
      .get(limited.deliveryId) as { status: string; attempts: number; nextAttemptAt: number };
    expect(third).toMatchObject({ status: 'pending', attempts: 0 });
    expect(third.nextAttemptAt).toBeGreaterThanOrEqual(posts[0]!.at + WINDOW_MS);
  });
});

describe('lost answers (timeouts, 5xx, crashes)', () => {
  it('retries a post whose answer was a 500 with the same nonce, so Discord hands back the message already made', async () => {
    w = await buildWorld();
    k = await startDiscordKoe(w);
    w.fake.loseAnswerToNextPost(new RegExp(`^/channels/${w.inquiries.id}/messages$`), 500);
    await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'Can I get a refund?' } });
    const mirrorRow = await waitFor(
      () =>
        k!.koe.db.$client.prepare(`SELECT message_ref AS ref FROM mirrors WHERE destination = 'team'`).get() as
          | { ref: string }
          | undefined,
      8_000,
      'mirror row',
    );
    const messages = w.fake.messagesIn(w.inquiries.id);
    expect(messages).toHaveLength(1);
    expect(mirrorRow.ref).toBe(messages[0]!.id);
    expect(postsTo(w.fake, w.inquiries.id).map((p) => p.status)).toEqual([500, 200]);
  });

  it('after a post that landed but timed out, finds it by its delivery marker instead of posting again (mirror and thread)', async () => {
    fake = await startFakeDiscord();
    const guild = fake.addGuild('HQ');
    const channel = fake.addChannel(guild, 'inquiries');
    t = tempDb();
    const ctx = coreContext(t.db, { routes: [{ name: 'team', platform: 'discord', channel: channel.id }] });
    // A REST client that never retries by itself (the outbox decides) and gives up on a hung call
    // after 1.5 s: long enough that a loaded machine does not time out a call the fake answers
    // (which would add attempts this test counts), short enough to keep the two hangs quick.
    const rest = new REST({
      api: fake.apiUrl,
      timeout: 1_500,
      retries: 0,
      rejectOnRateLimit: rejectsOnRateLimit,
    }).setToken(fake.token);
    const sender = createDiscordSender({
      rest,
      render: { locale: 'en', timezone: 'UTC', reasons: DEFAULT_REASONS },
      log: silentLogger(),
      botUserId: async () => fake!.bot.id,
      paceMs: 0,
    });
    worker = createOutboxWorker({
      db: t.db,
      senders: { discord: sender },
      log: silentLogger(),
      pollMs: 10,
      backoff: { baseMs: 20, capMs: 50 },
    });

    fake.loseAnswerToNextPost(new RegExp(`^/channels/${channel.id}/messages$`), 'hang');
    const created = createInquiry(ctx, { source: 'web', body: 'My export is empty' });
    if (!created.ok) throw new Error(created.code);
    worker.start();
    const mirror = await waitFor(
      () => t!.db.$client.prepare(`SELECT message_ref AS ref, thread_ref AS thread FROM mirrors`).get() as any,
      8_000,
      'mirror row',
    );
    expect(fake.messagesIn(channel.id)).toHaveLength(1);
    expect(mirror.ref).toBe(fake.messagesIn(channel.id)[0]!.id);
    expect(postsTo(fake, channel.id)).toHaveLength(1); // found, not posted again
    expect(fake.requestsTo('GET', new RegExp(`^/channels/${channel.id}/messages$`)).length).toBeGreaterThanOrEqual(1);

    // The same for a message into the mirror's thread.
    fake.loseAnswerToNextPost(new RegExp(`^/channels/${mirror.ref}/messages$`), 'hang');
    addMessage(ctx, { inquiryId: created.inquiry.id, direction: 'inbound', body: 'Still empty today' });
    await worker.drain(8_000);
    expect(fake.messagesIn(mirror.thread).map((m) => m.embeds[0].description)).toEqual(['Still empty today']);
    expect(postsTo(fake, mirror.thread).map((p) => p.status)).toEqual([404, 0]); // no thread yet; then the post that hung
    const thread = t.db.$client.prepare(`SELECT status, attempts FROM deliveries WHERE kind = 'thread'`).get();
    expect(thread).toEqual({ status: 'done', attempts: 2 });
  });
});

describe('digests on Discord', () => {
  it('posts a digest Discord accepts, with links to Discord mirrors, findable by its delivery marker', async () => {
    fake = await startFakeDiscord();
    const guild = fake.addGuild('HQ');
    const channel = fake.addChannel(guild, 'digest');
    const rest = new REST({ api: fake.apiUrl, retries: 0, rejectOnRateLimit: rejectsOnRateLimit }).setToken(fake.token);
    const sender = createDiscordSender({
      rest,
      render: { locale: 'ja', timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS },
      log: silentLogger(),
      botUserId: async () => fake!.bot.id,
      guildOf: (c) => (c === 'CH1' ? guild.id : null),
    });
    const digest = bigDigest('week', 'ja');
    digest.voices[0]!.mirrors = [{ platform: 'discord', channel: 'CH1', messageRef: 'M1' }];
    const since = Date.now() - 60_000;
    const posted = await sender.postDigest({ deliveryId: 4242, channel: channel.id, digest });
    expect(postsTo(fake, channel.id).map((p) => p.status)).toEqual([200]); // within every limit, marker included
    const message = fake.messagesIn(channel.id)[0]!;
    expect(posted.messageRef).toBe(message.id);
    expect(JSON.stringify(message.embeds)).toContain(`https://discord.com/channels/${guild.id}/CH1/M1`);
    const found = await sender.findDelivered({
      deliveryId: 4242,
      kind: 'digest',
      channel: channel.id,
      mirror: null,
      sinceMs: since,
    });
    expect(found?.messageRef).toBe(message.id);
    expect(
      await sender.findDelivered({
        deliveryId: 4243,
        kind: 'digest',
        channel: channel.id,
        mirror: null,
        sinceMs: since,
      }),
    ).toBeNull();
  });
});
