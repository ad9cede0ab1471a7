import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { embedViolations } from '../../../src/platforms/discord/limits.ts';
import { hasDeliveryMarker } from '../../../src/platforms/discord/render.ts';
import {
  buildWorld,
  startDiscordKoe,
  startWorldAndKoe,
  stopWorldAndKoe,
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

const fieldValue = (msg: { embeds: any[] }, name: string) =>
  msg.embeds[0].fields.find((f: any) => f.name === name)?.value;

describe('mirrors on Discord', () => {
  it('posts an inquiry from the intake API as an embed with buttons and a reason select, to every routed channel', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: {
        source: 'web',
        subject: 'App crashes',
        body: 'The app shows an error and crashes on start',
        customer: { name: 'Hanako', email: 'h@example.com' },
        url: 'https://example.com/t/1',
      },
    });
    expect(res.status).toBe(201);
    const team = await waitFor(() => w.fake.messagesIn(w.inquiries.id)[0], 8_000, 'mirror in #inquiries');
    // The bug rule routes it to #bugs as well.
    const bugs = await waitFor(() => w.fake.messagesIn(w.bugs.id)[0], 8_000, 'mirror in #bugs');
    for (const msg of [team, bugs]) {
      expect(msg.author.id).toBe(w.fake.bot.id);
      expect(msg.embeds[0].title).toBe('#1 App crashes');
      expect(msg.embeds[0].url).toBeUndefined(); // the title is the customer's subject: no link's label
      expect(fieldValue(msg, 'Source')).toBe('web · [link](https://example.com/t/1)');
      expect(fieldValue(msg, 'Reason')).toBe('Bug / outage (auto)');
      expect(fieldValue(msg, 'Status')).toBe('Open');
      expect(fieldValue(msg, 'Customer')).toBe('Hanako · h@example.com');
      expect(embedViolations(msg.embeds)).toEqual([]);
      expect(msg.components[0].components.map((c: any) => c.custom_id)).toEqual(['koe:claim:1', 'koe:resolve:1']);
      expect(msg.components[1].components[0].custom_id).toBe('koe:reason:1');
    }
    // Posted with an idempotency nonce derived from the delivery id, and the same id in the footer.
    const posts = w.fake.requestsTo('POST', new RegExp(`^/channels/${w.inquiries.id}/messages$`));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toMatchObject({
      nonce: expect.stringMatching(/^koe-\d+$/),
      enforce_nonce: true,
      allowed_mentions: { parse: [] },
    });
    const deliveryId = Number(posts[0]!.body.nonce.slice(4));
    expect(hasDeliveryMarker(team.embeds[0].footer.text, deliveryId)).toBe(true);
    // The mirror row points at the message; its thread will share the message's id.
    const mirror = await waitFor(
      () => k.koe.db.$client.prepare(`SELECT * FROM mirrors WHERE destination = 'team'`).get() as any,
    );
    expect(mirror).toMatchObject({
      platform: 'discord',
      channel: w.inquiries.id,
      message_ref: team.id,
      thread_ref: team.id,
    });
  });

  it('writes follow-ups and replies into a thread started on the mirror, created once', async () => {
    await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', subject: 'Invoice', body: 'Please send the receipt for October' },
    });
    const mirror = await waitFor(() => w.fake.messagesIn(w.inquiries.id)[0]);
    await k.api('/api/v1/inquiries/1/messages', {
      method: 'POST',
      json: { direction: 'inbound', body: 'Any news?', author: { name: 'Hanako' } },
    });
    await k.api('/api/v1/inquiries/1/messages', {
      method: 'POST',
      json: { direction: 'outbound', body: 'Sent it just now', author: { name: 'Alice' } },
    });

    const thread = await waitFor(() => w.fake.channel(mirror.id), 8_000, 'thread on the mirror');
    expect(thread).toMatchObject({ type: 11, parent_id: w.inquiries.id, name: '#1 Invoice' });
    const inThread = await waitFor(
      () => (w.fake.messagesIn(mirror.id).length === 2 ? w.fake.messagesIn(mirror.id) : null),
      8_000,
      'two thread messages',
    );
    expect(inThread.map((m) => m.embeds[0].author.name)).toEqual(['From the customer · Hanako', 'Reply · Alice']);
    expect(inThread.map((m) => m.embeds[0].description)).toEqual(['Any news?', 'Sent it just now']);
    // One thread, created once: the second message went straight in.
    expect(w.fake.requestsTo('POST', /\/threads$/)).toHaveLength(1);
    // The mirror itself was not posted again.
    expect(w.fake.messagesIn(w.inquiries.id)).toHaveLength(1);
    const threadPosts = w.fake.requestsTo('POST', new RegExp(`^/channels/${mirror.id}/messages$`));
    expect(threadPosts.map((r) => r.status)).toEqual([404, 200, 200]); // no thread yet → start it → post
  });

  it('dead-letters a delivery to a channel Discord does not know, without retrying', async () => {
    await stopWorldAndKoe(w, k);
    w = await buildWorld();
    const yaml = `
locale: en
destinations:
  - { name: gone, platform: discord, channel: "123456789012345678" }
classifier: { enabled: false }
`;
    k = await startDiscordKoe(w, yaml);
    await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'hello' } });
    const row = await waitFor(
      () =>
        k.koe.db.$client
          .prepare(`SELECT status, attempts, last_error FROM deliveries WHERE status = 'dead'`)
          .get() as any,
      8_000,
      'dead delivery',
    );
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/10003/);
  });
});
