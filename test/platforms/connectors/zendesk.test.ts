import { afterEach, describe, expect, it } from 'vitest';
import {
  agent,
  comment,
  deliverWebhook,
  type FakeZendesk,
  openTicket,
  requester,
  startFakeZendesk,
  ZD_EMAIL,
  ZD_SECRET,
  ZD_SUBDOMAIN,
  ZD_TOKEN,
} from '../../fakes/zendesk/fake-zendesk.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { type ConnectorKoe, startConnectorKoe } from './harness.ts';

/**
 * Zendesk end to end: koe's real HTTP server takes the trigger's webhook (signed as Zendesk signs
 * it), reads the ticket and its comments from the fake's Tickets API, mirrors to the console, and
 * answers with a public comment.
 */

let fake: FakeZendesk | undefined;
let koe: ConnectorKoe | undefined;
afterEach(async () => {
  await koe?.k.stop();
  await fake?.close();
  fake = koe = undefined;
});

async function start() {
  fake = await startFakeZendesk();
  koe = await startConnectorKoe('  zendesk: {}', {
    ZENDESK_SUBDOMAIN: ZD_SUBDOMAIN,
    ZENDESK_EMAIL: ZD_EMAIL,
    ZENDESK_API_TOKEN: ZD_TOKEN,
    ZENDESK_WEBHOOK_SECRET: ZD_SECRET,
    ZENDESK_API_URL: fake.api.url,
  });
  return { f: fake, c: koe };
}

async function open(f: FakeZendesk, c: ConnectorKoe, description: string) {
  const ticketId = openTicket(f, '請求書の宛名', description);
  expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
  const inquiry = (await c.inquiries()).find((i) => i.externalId === String(ticketId));
  expect(inquiry).toBeDefined();
  return { ticketId, id: inquiry.id as number };
}

describe('Zendesk as a customer channel', () => {
  it('a new ticket is one inquiry, mirrored and linked to the agent view; a replay and forgeries change nothing', async () => {
    const { f, c } = await start();
    const ticketId = openTicket(f, '宛名を変えたい', '宛名を会社名にしてください zd-marker-1');
    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    const [inquiry, ...rest] = await c.inquiries();
    expect(rest).toHaveLength(0);
    expect(inquiry).toMatchObject({ source: 'zendesk', externalId: String(ticketId), subject: '宛名を変えたい' });
    expect(inquiry.url).toBe(`https://acme.zendesk.com/agent/tickets/${ticketId}`);
    await waitFor(() => c.k.consoleText().includes('zd-marker-1'), 10_000, 'the console mirror');

    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    expect(await c.inquiries()).toHaveLength(1);
    expect((await c.detail(inquiry.id)).messages).toHaveLength(0);

    const other = openTicket(f, 'forged', 'zd-forged');
    const readsBefore = f.api.calls.length;
    expect((await deliverWebhook(c.k.url, other, 'not-the-signing-secret')).status).toBe(401);
    expect((await deliverWebhook(c.k.url, other, null)).status).toBe(401);
    expect(f.api.calls.length).toBe(readsBefore); // an unverified webhook is not even read
    expect(await c.inquiries()).toHaveLength(1);
    expect(c.log()).toContain('X-Zendesk-Webhook-Signature does not match');
    expect(c.log()).toContain('no X-Zendesk-Webhook-Signature header');
  });

  it('records public comments by the requester and agents, and private comments as notes, each once', async () => {
    const { f, c } = await start();
    const { ticketId, id } = await open(f, c, '宛名を変更したい');
    comment(f, ticketId, requester, '株式会社ACME でお願いします');
    comment(f, ticketId, agent, '承知しました', true);
    comment(f, ticketId, agent, '経理に確認', false);
    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    const detail = await c.detail(id);
    expect(detail.messages.map((m: any) => [m.direction, m.body])).toEqual([
      ['inbound', '株式会社ACME でお願いします'],
      ['outbound', '承知しました'],
      ['note', '経理に確認'],
    ]);
    expect(detail.firstResponseAt).not.toBeNull();
  });

  it('a reply from koe is one public comment on that ticket, found again by its audit; the trigger it sets off adds nothing', async () => {
    const { f, c } = await start();
    const { ticketId, id } = await open(f, c, '領収書をください');
    const replyId = await c.reply(id, '領収書を添付しました。');
    await c.waitForReply(id, replyId, 'sent');
    const [call, ...more] = f.updates();
    expect(more).toHaveLength(0);
    expect(call!.path).toBe(`/api/v2/tickets/${ticketId}.json`);
    expect(call!.json.ticket.comment).toEqual({ body: '領収書を添付しました。', public: true });
    expect(call!.json.ticket.metadata).toEqual({ koe_delivery: expect.any(String) });

    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    const detail = await c.detail(id);
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0].reply.state).toBe('sent');
  });

  it('a 429 from Zendesk is retried after its Retry-After, and the reply still leaves once', async () => {
    const { f, c } = await start();
    const { ticketId, id } = await open(f, c, '解約');
    f.api.script((call) => call.method === 'PUT', { answer: { status: 429, headers: { 'retry-after': '1' } } });
    const replyId = await c.reply(id, '手続きしました');
    await c.waitForReply(id, replyId, 'sent');
    const updates = f.updates();
    expect(updates.map((u) => u.status)).toEqual([429, 200]);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(950);
    expect(f.tickets.get(ticketId)!.comments.filter((x) => x.body === '手続きしました')).toHaveLength(1);
  });

  it('solved resolves the inquiry, and open again reopens it; a 429 while reading asks Zendesk to send it again', async () => {
    const { f, c } = await start();
    const { ticketId, id } = await open(f, c, '配送状況');
    f.tickets.get(ticketId)!.ticket.status = 'solved';
    f.api.script((call) => call.method === 'GET', { answer: { status: 429, headers: { 'retry-after': '7' } } });
    const limited = await deliverWebhook(c.k.url, ticketId);
    expect(limited.status).toBe(503);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await c.detail(id)).status).toBe('open');
    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    expect((await c.detail(id)).status).toBe('resolved');
    f.tickets.get(ticketId)!.ticket.status = 'open';
    expect((await deliverWebhook(c.k.url, ticketId)).status).toBe(200);
    expect((await c.detail(id)).status).toBe('open');
  });
});
