import { afterEach, describe, expect, it } from 'vitest';
import {
  addPart,
  contact,
  deliverWebhook,
  type FakeIntercom,
  IC_ADMIN,
  IC_APP,
  IC_CLIENT_SECRET,
  IC_TOKEN,
  notification,
  startConversation,
  startFakeIntercom,
} from '../../fakes/intercom/fake-intercom.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { type ConnectorKoe, startConnectorKoe } from './harness.ts';

/**
 * Intercom end to end: koe's real HTTP server takes the fake Intercom's notifications (signed with
 * X-Hub-Signature as the docs say), mirrors to the console, and replies as an admin through the
 * fake's Conversations API.
 */

let fake: FakeIntercom | undefined;
let koe: ConnectorKoe | undefined;
afterEach(async () => {
  await koe?.k.stop();
  await fake?.close();
  fake = koe = undefined;
});

const admin = { type: 'admin', id: '991', name: '山本' };

async function start() {
  fake = await startFakeIntercom();
  koe = await startConnectorKoe(`  intercom: { adminId: "${IC_ADMIN}" }`, {
    INTERCOM_ACCESS_TOKEN: IC_TOKEN,
    INTERCOM_CLIENT_SECRET: IC_CLIENT_SECRET,
    INTERCOM_API_URL: fake.api.url,
  });
  return { f: fake, c: koe };
}

async function open(f: FakeIntercom, c: ConnectorKoe, text: string) {
  const conversation = startConversation(f, text, '<p>請求について</p>');
  expect((await deliverWebhook(c.k.url, notification('conversation.user.created', conversation))).status).toBe(200);
  const inquiry = (await c.inquiries()).find((i) => i.externalId === conversation.id);
  expect(inquiry).toBeDefined();
  return { conversation, id: inquiry.id as number };
}

describe('Intercom as a customer channel', () => {
  it('a new conversation is one inquiry, mirrored and linked to the inbox; a replay and forgeries change nothing', async () => {
    const { f, c } = await start();
    const conversation = startConversation(f, 'カードが使えません &amp; 困っています ic-marker-1');
    const created = notification('conversation.user.created', conversation);
    expect(
      (await deliverWebhook(c.k.url, { type: 'notification_event', topic: 'ping', data: { item: {} } })).status,
    ).toBe(200);
    expect((await deliverWebhook(c.k.url, created)).status).toBe(200);
    const [inquiry, ...rest] = await c.inquiries();
    expect(rest).toHaveLength(0);
    expect(inquiry).toMatchObject({
      source: 'intercom',
      externalId: conversation.id,
      body: 'カードが使えません & 困っています ic-marker-1',
    });
    expect(inquiry.url).toBe(`https://app.intercom.com/a/inbox/${IC_APP}/inbox/conversation/${conversation.id}`);
    await waitFor(() => c.k.consoleText().includes('ic-marker-1'), 10_000, 'the console mirror');

    expect((await deliverWebhook(c.k.url, created)).status).toBe(200);
    expect(await c.inquiries()).toHaveLength(1);
    expect((await c.detail(inquiry.id)).messages).toHaveLength(0);

    const forged = notification('conversation.user.created', startConversation(f, 'ic-forged'));
    expect((await deliverWebhook(c.k.url, forged, 'not-the-client-secret')).status).toBe(401);
    expect((await deliverWebhook(c.k.url, forged, null)).status).toBe(401);
    expect(await c.inquiries()).toHaveLength(1);
    expect(c.log()).toContain('X-Hub-Signature does not match');
    expect(c.log()).toContain('no X-Hub-Signature header');
    expect(c.k.consoleText()).not.toContain('ic-forged');
  });

  it('records user replies, an admin reply as the first response and a note, each once', async () => {
    const { f, c } = await start();
    const { conversation, id } = await open(f, c, 'ログインできません');
    const userPart = addPart(f, conversation.id, { part_type: 'comment', body: '<p>まだです</p>', author: contact });
    const adminPart = addPart(f, conversation.id, { part_type: 'comment', body: '<p>調べます</p>', author: admin });
    const notePart = addPart(f, conversation.id, { part_type: 'note', body: '<p>開発に確認</p>', author: admin });
    const events = [
      notification('conversation.user.replied', conversation, [userPart]),
      notification('conversation.admin.replied', conversation, [adminPart]),
      notification('conversation.admin.noted', conversation, [notePart]),
    ];
    for (const event of [...events, ...events]) expect((await deliverWebhook(c.k.url, event)).status).toBe(200);
    const detail = await c.detail(id);
    expect(detail.messages.map((m: any) => [m.direction, m.body])).toEqual([
      ['inbound', 'まだです'],
      ['outbound', '調べます'],
      ['note', '開発に確認'],
    ]);
    expect(detail.firstResponseAt).not.toBeNull();
  });

  it('a reply from koe is one admin comment in that conversation; its notification is not recorded again', async () => {
    const { f, c } = await start();
    const { conversation, id } = await open(f, c, '返金してほしい');
    const replyId = await c.reply(id, '承知しました。\n\n<手続き> を進めます');
    await c.waitForReply(id, replyId, 'sent');
    const [call, ...more] = f.replies();
    expect(more).toHaveLength(0);
    expect(call!.path).toBe(`/conversations/${conversation.id}/reply`);
    expect(call!.json).toMatchObject({ message_type: 'comment', type: 'admin', admin_id: IC_ADMIN });
    expect(call!.json.body).toBe('<p>承知しました。</p><p>&lt;手続き&gt; を進めます</p>');
    expect(call!.headers['intercom-version']).toBeTruthy();

    const part = f.conversations.get(conversation.id)!.conversation_parts.conversation_parts.at(-1)!;
    expect(
      (await deliverWebhook(c.k.url, notification('conversation.admin.replied', conversation, [part]))).status,
    ).toBe(200);
    expect((await c.detail(id)).messages).toHaveLength(1);
  });

  it('a 429 from Intercom is retried after its Retry-After, and the reply still leaves once', async () => {
    const { f, c } = await start();
    const { id } = await open(f, c, '解約方法');
    f.api.script((call) => call.method === 'POST', { answer: { status: 429, headers: { 'retry-after': '1' } } });
    const replyId = await c.reply(id, 'ご案内します');
    await c.waitForReply(id, replyId, 'sent');
    const replies = f.replies();
    expect(replies.map((r) => r.status)).toEqual([429, 200]);
    expect(replies[1]!.at - replies[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('closed resolves the inquiry, and opened again reopens it', async () => {
    const { f, c } = await start();
    const { conversation, id } = await open(f, c, '領収書');
    const close = addPart(f, conversation.id, { part_type: 'close', body: null, author: admin });
    expect(
      (await deliverWebhook(c.k.url, notification('conversation.admin.closed', conversation, [close]))).status,
    ).toBe(200);
    expect((await c.detail(id)).status).toBe('resolved');
    const reopen = addPart(f, conversation.id, { part_type: 'open', body: null, author: admin });
    expect(
      (await deliverWebhook(c.k.url, notification('conversation.admin.opened', conversation, [reopen]))).status,
    ).toBe(200);
    expect((await c.detail(id)).status).toBe('open');
  });
});
