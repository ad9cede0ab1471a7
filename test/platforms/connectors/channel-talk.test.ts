import { afterEach, describe, expect, it } from 'vitest';
import {
  CT_KEY,
  CT_SECRET,
  CT_TOKEN,
  ctId,
  deliverWebhook,
  type FakeChannelTalk,
  messageEvent,
  startFakeChannelTalk,
  userChatEvent,
} from '../../fakes/channel-talk/fake-channel-talk.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { type ConnectorKoe, startConnectorKoe } from './harness.ts';

/**
 * Channel Talk end to end: koe's real HTTP server takes the fake Channel Talk's webhooks (built like
 * the docs' examples, with the webhook token in the query), mirrors to the console, and replies
 * through the fake's Open API v5.
 */

let fake: FakeChannelTalk | undefined;
let koe: ConnectorKoe | undefined;
afterEach(async () => {
  await koe?.k.stop();
  await fake?.close();
  fake = koe = undefined;
});

const hanako = { id: 'u-hanako', name: '佐藤 花子', email: 'hanako@example.com' };
const manager = { id: 'mgr-7', name: '田中' };

async function start() {
  fake = await startFakeChannelTalk();
  koe = await startConnectorKoe('  channelTalk: { botName: koe }', {
    CHANNEL_TALK_ACCESS_KEY: CT_KEY,
    CHANNEL_TALK_ACCESS_SECRET: CT_SECRET,
    CHANNEL_TALK_WEBHOOK_TOKEN: CT_TOKEN,
    CHANNEL_TALK_API_URL: fake.api.url,
  });
  return { f: fake, c: koe };
}

/** A chat opened by Hanako, as one inquiry; returns its id. */
async function openChat(f: FakeChannelTalk, c: ConnectorKoe, chatId: string, text: string) {
  const res = await deliverWebhook(c.k.url, messageEvent(f, chatId, text, { user: hanako }));
  expect(res.status).toBe(200);
  const inquiry = (await c.inquiries()).find((i) => i.externalId === chatId);
  expect(inquiry).toBeDefined();
  return inquiry.id as number;
}

describe('Channel Talk as a customer channel', () => {
  it('a user message opens one inquiry, mirrored and linked back to the chat; a replay and forgeries change nothing', async () => {
    const { f, c } = await start();
    const chatId = ctId('chat');
    const first = messageEvent(f, chatId, 'ログインできません ct-marker-1', { user: hanako });
    expect((await deliverWebhook(c.k.url, first)).status).toBe(200);
    const [inquiry, ...rest] = await c.inquiries();
    expect(rest).toHaveLength(0);
    expect(inquiry).toMatchObject({ source: 'channeltalk', externalId: chatId, status: 'open' });
    expect(inquiry.url).toBe(`https://desk.channel.io/#/channels/97511/user_chats/${chatId}`);
    await waitFor(() => c.k.consoleText().includes('ct-marker-1'), 10_000, 'the console mirror');

    expect((await deliverWebhook(c.k.url, first)).status).toBe(200);
    const detail = await c.detail(inquiry.id);
    expect(await c.inquiries()).toHaveLength(1);
    expect(detail.messages).toHaveLength(0);

    const forged = messageEvent(f, ctId('chat'), 'forged ct-forged', { user: hanako });
    expect((await deliverWebhook(c.k.url, forged, 'not-the-token')).status).toBe(401);
    expect((await deliverWebhook(c.k.url, forged, null)).status).toBe(401);
    expect(await c.inquiries()).toHaveLength(1);
    expect(c.log()).toContain('the token does not match CHANNEL_TALK_WEBHOOK_TOKEN');
    expect(c.log()).toContain('no token in the query');
    expect(c.k.consoleText()).not.toContain('ct-forged');
  });

  it('records follow-ups, a manager answer as the first response, and a private message as a note, each once', async () => {
    const { f, c } = await start();
    const chatId = ctId('chat');
    const id = await openChat(f, c, chatId, '請求書が届きません');
    const followUp = messageEvent(f, chatId, '先月分です', { user: hanako });
    const answer = messageEvent(f, chatId, '確認いたします', { manager });
    const note = messageEvent(f, chatId, '経理に確認中', { manager, private: true });
    for (const event of [followUp, answer, note, followUp, answer]) {
      expect((await deliverWebhook(c.k.url, event)).status).toBe(200);
    }
    const detail = await c.detail(id);
    expect(detail.messages.map((m: any) => [m.direction, m.body])).toEqual([
      ['inbound', '先月分です'],
      ['outbound', '確認いたします'],
      ['note', '経理に確認中'],
    ]);
    expect(detail.firstResponseAt).not.toBeNull();
    expect(detail.messages[1].author.id).toBe('channeltalk:manager:mgr-7');
  });

  it('a reply from koe is one manager message in that user chat, escaped; its webhook echo is not recorded again', async () => {
    const { f, c } = await start();
    const chatId = ctId('chat');
    const id = await openChat(f, c, chatId, 'パスワードを忘れました');
    const replyId = await c.reply(id, '再設定のリンクを <b>お送り</b> しました & ご確認ください');
    const sent = await c.waitForReply(id, replyId, 'sent');
    expect(sent.delivery.state).toBe('delivered');
    const [call, ...more] = f.sends();
    expect(more).toHaveLength(0);
    expect(call!.path).toBe(`/open/v5/user-chats/${chatId}/messages`);
    expect(call!.query.get('botName')).toBe('koe');
    expect(call!.json.options).toContain('actAsManager');
    expect(call!.json.blocks).toEqual([
      { type: 'text', value: '再設定のリンクを &lt;b&gt;お送り&lt;/b&gt; しました &amp; ご確認ください' },
    ]);
    const stored = f.chats.get(chatId)!.at(-1)!;
    expect(stored.plainText).toBe('再設定のリンクを <b>お送り</b> しました & ご確認ください');

    // Channel Talk announces koe's own message too.
    const echo = { event: 'push', type: 'message', entity: stored, refers: {} };
    expect((await deliverWebhook(c.k.url, echo)).status).toBe(200);
    const detail = await c.detail(id);
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0].reply.state).toBe('sent');
  });

  it('a 429 from Channel Talk is retried after its Retry-After, and the reply still leaves once', async () => {
    const { f, c } = await start();
    const id = await openChat(f, c, ctId('chat'), '解約したい');
    f.api.script((call) => call.method === 'POST', { answer: { status: 429, headers: { 'retry-after': '1' } } });
    const replyId = await c.reply(id, '承知しました');
    await c.waitForReply(id, replyId, 'sent');
    const sends = f.sends();
    expect(sends.map((s) => s.status)).toEqual([429, 200]);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a user chat closed resolves the inquiry, and opened again reopens it', async () => {
    const { f, c } = await start();
    const chatId = ctId('chat');
    const id = await openChat(f, c, chatId, '返品について');
    expect((await deliverWebhook(c.k.url, userChatEvent(chatId, 'closed', manager))).status).toBe(200);
    expect((await c.detail(id)).status).toBe('resolved');
    expect((await deliverWebhook(c.k.url, userChatEvent(chatId, 'closed', manager))).status).toBe(200);
    expect((await deliverWebhook(c.k.url, userChatEvent(chatId, 'snoozed'))).status).toBe(200);
    expect((await c.detail(id)).status).toBe('resolved');
    expect((await deliverWebhook(c.k.url, userChatEvent(chatId, 'opened'))).status).toBe(200);
    const detail = await c.detail(id);
    expect(detail.status).toBe('open');
    expect(detail.events.filter((e: any) => e.type === 'resolved')).toHaveLength(1);
  });
});
