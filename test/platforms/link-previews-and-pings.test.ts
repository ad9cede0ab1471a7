import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createDiscordSender } from '../../src/platforms/discord/sender.ts';
import { createSlackSender } from '../../src/platforms/slack/sender.ts';
import type { WebClient } from '../../src/platforms/slack/web-client.ts';
import type { RenderSettings, Sender } from '../../src/platforms/types.ts';
import { inquiryView, message } from '../helpers/inquiry-fixtures.ts';
import { bigDigest } from '../helpers/sample-digest.ts';

/**
 * What koe posts must not make the platform fetch a customer's link for a preview, nor ping anyone:
 * on Slack every chat.postMessage carries unfurl_links and unfurl_media false; on Discord every
 * message is embeds only (no content Discord could preview; SUPPRESS_EMBEDS would hide koe's own
 * embeds, so it does not apply) and every post and edit carries allowed_mentions { parse: [] }.
 */

const settings: RenderSettings = { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
const view = inquiryView({
  url: 'https://customer.example/preview-me',
  body: 'see https://customer.example/x @everyone',
});
const mirror = { platform: 'slack', channel: 'C0TEAM', messageRef: '1.1', threadRef: '1.1' } as never;

/** Every kind of delivery a sender makes: post, update, thread message (a follow-up and a note), digest. */
async function deliverEverything(sender: Sender): Promise<void> {
  await sender.postInquiry({ deliveryId: 1, channel: 'C0TEAM', view } as never);
  await sender.updateInquiry({ deliveryId: 2, channel: 'C0TEAM', mirror, view } as never);
  for (const [id, m] of [
    [3, message({ body: 'https://customer.example/followup <!channel>' })],
    [4, message({ direction: 'note', body: 'https://customer.example/note' })],
  ] as const)
    await sender.postToThread({ deliveryId: id, channel: 'C0TEAM', mirror, view, message: m } as never);
  await sender.postDigest({ deliveryId: 5, channel: 'C0TEAM', digest: bigDigest('day', 'en') } as never);
}

describe('Slack: link previews off', () => {
  it('sends unfurl_links: false and unfurl_media: false with every chat.postMessage', async () => {
    const posts: Record<string, unknown>[] = [];
    const web = {
      chat: {
        postMessage: async (args: Record<string, unknown>) => {
          posts.push(args);
          return { ok: true, ts: `${posts.length}.0` };
        },
        update: async () => ({ ok: true }),
      },
    } as unknown as WebClient;
    await deliverEverything(createSlackSender({ web, render: settings, log: silentLogger(), paceMs: 0 }));
    expect(posts).toHaveLength(4); // the mirror, two thread messages, the digest
    for (const post of posts) expect(post).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });
});

describe('Discord: no previews, no pings', () => {
  it('posts and edits embeds only, each with allowed_mentions { parse: [] }', async () => {
    const calls: { method: string; route: string; body: Record<string, unknown> }[] = [];
    const record =
      (method: string) =>
      async (route: string, { body }: { body: Record<string, unknown> }) => {
        calls.push({ method, route, body });
        return { id: String(1000 + calls.length), embeds: [], author: { id: 'bot' } };
      };
    const rest = { post: record('POST'), patch: record('PATCH') } as never;
    await deliverEverything(
      createDiscordSender({ rest, render: settings, log: silentLogger(), botUserId: async () => 'bot', paceMs: 0 }),
    );
    const messages = calls.filter((c) => c.route.includes('/messages'));
    expect(messages.map((c) => c.method)).toEqual(['POST', 'PATCH', 'POST', 'POST', 'POST']);
    for (const c of messages) {
      expect(c.body.allowed_mentions).toEqual({ parse: [] });
      expect(c.body.content ?? '').toBe('');
      expect((c.body.embeds as unknown[]).length).toBeGreaterThan(0);
    }
  });
});
