import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KoeOptions } from '../../../src/wire.ts';
import {
  startDiscordKoe,
  startWorldAndKoe,
  stopWorldAndKoe,
  worldYaml,
  type RunningDiscordKoe,
  type World,
} from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let w: World;
let k: RunningDiscordKoe;

beforeEach(async () => {
  ({ w, k } = await startWorldAndKoe());
});
afterEach(() => stopWorldAndKoe(w, k));

const db = () => k.koe.db.$client;
const inquiries = () =>
  db()
    .prepare(
      `SELECT id, source, external_id AS externalId, subject, body, url, first_response_at AS firstResponseAt FROM inquiries ORDER BY id`,
    )
    .all() as any[];
const messagesOf = (id: number) =>
  db()
    .prepare(
      `SELECT direction, body, author_id AS author, external_id AS externalId FROM messages WHERE inquiry_id = ? ORDER BY id`,
    )
    .all(id) as any[];

describe('a Discord text channel as intake', () => {
  it('turns a customer’s message into exactly one inquiry, even when the gateway delivers it twice', async () => {
    const msg = w.fake.say(w.help.id, w.customer.user, 'How do I export my data to CSV?', { roles: w.customer.roles });
    w.fake.redeliver(msg, w.customer.roles);
    const [inquiry] = await waitFor(() => (inquiries().length ? inquiries() : null), 5_000, 'inquiry');
    expect(inquiry).toMatchObject({
      source: `discord:${w.help.id}`,
      externalId: msg.id,
      body: 'How do I export my data to CSV?',
      url: `https://discord.com/channels/${w.community.id}/${w.help.id}/${msg.id}`,
    });
    const customer = db().prepare(`SELECT key, name FROM customers`).get();
    expect(customer).toEqual({ key: `discord:${w.customer.user.id}`, name: 'Yamada' });
    // Mirrored to the team like any other inquiry.
    await waitFor(
      () => w.fake.messagesIn(w.inquiries.id).find((m) => m.embeds[0]?.title === `#1 How do I export my data to CSV?`),
      5_000,
      'mirror',
    );
    // A later event is handled, so the duplicate before it was seen: still one inquiry.
    const marker = w.fake.say(w.help.id, w.carol.user, 'Is the service down?');
    await waitFor(() => inquiries().length === 2, 5_000, 'second inquiry');
    expect(inquiries().map((i) => i.externalId)).toEqual([msg.id, marker.id]);
    expect(db().prepare(`SELECT count(*) AS n FROM inbound_events WHERE key = ?`).get(`discord:${msg.id}`)).toEqual({
      n: 1,
    });
  });

  it('joins the same customer’s next message within the window, and threads replies: customers inbound, staff outbound', async () => {
    const first = w.fake.say(w.help.id, w.customer.user, 'My invoice is wrong');
    await waitFor(() => inquiries().length === 1, 5_000, 'inquiry');
    w.fake.say(w.help.id, w.customer.user, 'It says 2 seats, we have 1');
    const staffReply = w.fake.say(w.help.id, w.alice.user, 'Sorry! Fixing it now', {
      roles: w.alice.roles,
      replyTo: first.id,
    });
    w.fake.say(w.help.id, w.bob.user, '(team chatter without a reply)', { roles: w.bob.roles });
    const customerReply = w.fake.say(w.help.id, w.customer.user, 'Thank you!', { replyTo: staffReply.id });
    await waitFor(() => messagesOf(1).length === 3, 5_000, 'three follow-ups');
    expect(inquiries()).toHaveLength(1);
    expect(messagesOf(1)).toEqual([
      {
        direction: 'inbound',
        body: 'It says 2 seats, we have 1',
        author: `discord:${w.customer.user.id}`,
        externalId: expect.any(String),
      },
      {
        direction: 'outbound',
        body: 'Sorry! Fixing it now',
        author: `discord:${w.alice.user.id}`,
        externalId: staffReply.id,
      },
      {
        direction: 'inbound',
        body: 'Thank you!',
        author: `discord:${w.customer.user.id}`,
        externalId: customerReply.id,
      },
    ]);
    expect(inquiries()[0].firstResponseAt).not.toBeNull();
    // The follow-ups reach the mirror's thread on the team side.
    const mirror = await waitFor(() => w.fake.messagesIn(w.inquiries.id)[0]);
    await waitFor(() => w.fake.messagesIn(mirror.id).length === 3, 8_000, 'thread messages on the team side');
  });

  it('asks for the MessageContent intent only when a Discord channel is a source', async () => {
    const withSources = w.fake.identifies.at(-1)!.intents as number;
    expect(withSources & (1 << 15)).not.toBe(0);
    await k.stop();
    const yaml = worldYaml(w).replace(/sources:\n(.*\n){2}/, '');
    k = await startDiscordKoe(w, yaml);
    const without = w.fake.identifies.at(-1)!.intents as number;
    expect(without & (1 << 15)).toBe(0);
    // Guilds | GuildMessages | GuildMessageReactions, nothing more.
    expect(without).toBe(1 | 512 | 1024);
  });
});

describe('messages posted while koe was away', () => {
  /** Starts koe again on `dir`, the data directory of the koe stopped before; stopping this one removes `dir`. */
  async function startAgainOn(dir: string, options: Partial<KoeOptions> = {}): Promise<void> {
    k = await startDiscordKoe(w, worldYaml(w), {}, dir, options);
    const stop = k.stop;
    k.stop = async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }

  /** Stops koe as a deploy or crash would, and starts it again on the same database. */
  async function restart(): Promise<void> {
    const dir = k.dir;
    await k.koe.stop();
    await startAgainOn(dir);
  }

  it('are read back on start from where koe left off: customers become inquiries, staff chatter does not, nothing twice', async () => {
    const first = w.fake.say(w.help.id, w.customer.user, 'Where is my receipt?', { roles: w.customer.roles });
    await waitFor(() => inquiries().length === 1, 5_000, 'first inquiry');
    const dir = k.dir;
    await k.koe.stop();

    const dave = w.fake.user('dave');
    const carolsQuestion = w.fake.sayOffline(w.help.id, w.carol.user, 'I cannot log in since this morning', {
      roles: w.carol.roles,
    });
    w.fake.sayOffline(w.help.id, w.alice.user, '(team chatter while the bot is down)', { roles: w.alice.roles });
    const davesQuestion = w.fake.sayOffline(w.help.id, dave, 'Do you offer annual billing?');
    const staffReply = w.fake.sayOffline(w.help.id, w.bob.user, 'Looking into your receipt now', {
      roles: w.bob.roles,
      replyTo: first.id,
    });

    await startAgainOn(dir);
    await waitFor(() => inquiries().length === 3, 5_000, 'inquiries from the messages posted while away');
    expect(inquiries().map((i) => [i.externalId, i.body])).toEqual([
      [first.id, 'Where is my receipt?'],
      [carolsQuestion.id, 'I cannot log in since this morning'],
      [davesQuestion.id, 'Do you offer annual billing?'],
    ]);
    // Bob holds the staff role (looked up, as REST messages carry no member): his reply is outbound.
    expect(messagesOf(inquiries()[0].id)).toEqual([
      {
        direction: 'outbound',
        body: 'Looking into your receipt now',
        author: `discord:${w.bob.user.id}`,
        externalId: staffReply.id,
      },
    ]);
    const received = db()
      .prepare(`SELECT received_at AS at FROM inquiries WHERE external_id = ?`)
      .get(carolsQuestion.id) as { at: number };
    expect(received.at).toBe(Date.parse(carolsQuestion.timestamp)); // when the customer wrote, not when koe read it
    expect(
      k
        .logs()
        .some(
          (l) =>
            l.msg === 'discord: read the messages posted in source channels while koe was away' && l.messages === 4,
        ),
    ).toBe(true);

    // A late gateway re-delivery, and another restart, take in nothing twice.
    w.fake.redeliver(carolsQuestion, w.carol.roles);
    const marker = w.fake.say(w.help.id, w.fake.user('erin'), 'Is there a student discount?');
    await waitFor(() => inquiries().length === 4, 5_000, 'the live message after the re-delivery');
    await restart();
    expect(inquiries().map((i) => i.externalId)).toEqual([first.id, carolsQuestion.id, davesQuestion.id, marker.id]);
  });

  it('starts even when a source channel cannot be read back, and reads it soon after from where koe had left off', async () => {
    w.fake.say(w.help.id, w.customer.user, 'Where is my receipt?', { roles: w.customer.roles });
    await waitFor(() => inquiries().length === 1, 5_000, 'first inquiry');
    const dir = k.dir;
    await k.koe.stop();
    const missed = w.fake.sayOffline(w.help.id, w.carol.user, 'I cannot log in since this morning', {
      roles: w.carol.roles,
    });
    w.fake.failNext('GET', /^\/channels\/\d+\/messages$/, 403, 50001, 'Missing Access');
    await startAgainOn(dir, { discord: { readBackRetry: { delaysMs: [300] } } });
    expect(inquiries().map((i) => i.externalId)).not.toContain(missed.id);
    // A live message moves the channel's cursor past the missed one meanwhile…
    const live = w.fake.say(w.help.id, w.fake.user('erin'), 'Is there a student discount?');
    await waitFor(() => inquiries().some((i) => i.externalId === live.id), 5_000, 'the live message');
    // …and the retry still reads from where koe had left off.
    await waitFor(() => inquiries().some((i) => i.externalId === missed.id), 5_000, 'the missed message read back');
    expect(inquiries()).toHaveLength(3);
  });

  it('imports no history from a channel koe has not taken a message from yet', async () => {
    w.fake.sayOffline(w.help.id, w.carol.user, 'An old message from before koe was installed');
    await restart();
    expect(inquiries()).toEqual([]);
  });
});

describe('a Discord forum as intake', () => {
  it('turns a new post into an inquiry titled by the post, and later messages in it into follow-ups', async () => {
    const { thread } = w.fake.forumPost(
      w.forum.id,
      w.customer.user,
      'Webhook retries?',
      'Do you retry failed webhooks?',
    );
    const [inquiry] = await waitFor(() => (inquiries().length ? inquiries() : null), 5_000, 'inquiry');
    expect(inquiry).toMatchObject({
      source: `discord:${w.forum.id}`,
      externalId: thread.id,
      subject: 'Webhook retries?',
      body: 'Do you retry failed webhooks?',
    });
    w.fake.say(thread.id, w.alice.user, 'Yes, 3 times with backoff', { roles: w.alice.roles });
    w.fake.say(thread.id, w.customer.user, 'Great, thanks');
    await waitFor(() => messagesOf(inquiry.id).length === 2, 5_000, 'follow-ups');
    expect(messagesOf(inquiry.id).map((m) => m.direction)).toEqual(['outbound', 'inbound']);
    expect(inquiries()).toHaveLength(1);
  });
});
