import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../../src/config/secret.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { verifyWebhook } from '../../../src/lib/webhook-signature.ts';
import { PermanentDeliveryError, RateLimitedError } from '../../../src/platforms/delivery-errors.ts';
import type { ReplyDelivery } from '../../../src/platforms/types.ts';
import { createWebhookReplySender, retryAfterMs } from '../../../src/platforms/webhook/reply-sender.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';
import { type Receiver, type ReceiverAnswer, startReceiver } from '../../helpers/webhook-receiver.ts';

/**
 * The webhook ReplySender on its own, against a real HTTP receiver on 127.0.0.1: how each kind of
 * answer becomes the outbox's vocabulary (delivered, transient, rate limited, permanent).
 */

const SECRET = 'whsec-sender-0123456789abcdef';
const NOW = Date.parse('2026-11-20T00:00:00Z');

let receiver: Receiver | undefined;
let server: Server | undefined;
afterEach(async () => {
  await receiver?.close();
  server?.close();
  receiver = server = undefined;
});

const delivery = (over: Partial<ReplyDelivery> = {}): ReplyDelivery => ({
  deliveryId: 41,
  channel: 'web',
  view: inquiryView({ externalId: 'form-42' }),
  message: message({
    id: 7,
    direction: 'outbound',
    body: 'お待たせしました',
    authorId: 'api:sato',
    authorName: 'Sato',
  }),
  ...over,
});

async function senderFor(answer: ReceiverAnswer, timeoutMs?: number) {
  receiver = await startReceiver(answer);
  const sender = createWebhookReplySender({
    webhooks: [{ source: 'web', url: receiver.url }],
    secret: new Secret(SECRET),
    log: silentLogger(),
    now: () => NOW,
    ...(timeoutMs && { timeoutMs }),
  });
  return { sender, r: receiver };
}

/** What `sendReply` threw (or null when it resolved). */
const thrown = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (error: unknown) => error as Error,
  );

describe('the webhook reply sender', () => {
  it('delivers on any 2xx, signed at koe’s clock, and answers the delivery id as the reply’s ref', async () => {
    const { sender, r } = await senderFor(() => ({ status: 204 }));
    expect(await sender.sendReply(delivery())).toEqual({ messageRef: 'delivery:41' });
    const [got] = r.requests;
    expect(got!.headers['x-koe-delivery']).toBe('41');
    expect(got!.headers['x-koe-timestamp']).toBe(String(NOW / 1000));
    expect(verifyWebhook(SECRET, got!.headers, got!.raw, NOW / 1000)).toBe(true);
    expect(got!.json.customer).toEqual({ name: '山田 花子', email: 'hanako@example.com', key: 'c-1' });
    expect(sender.paceMs()).toBe(0);
  });

  it('sends nulls for a customer koe does not know', async () => {
    const { sender, r } = await senderFor(() => ({ status: 200 }));
    await sender.sendReply(delivery({ view: inquiryView({}, { customer: null }) }));
    expect(r.requests[0]!.json.customer).toEqual({ name: null, email: null, key: null });
  });

  it('cannot look a request up afterwards: findSentReply is null, and a repeat carries the same delivery id', async () => {
    const { sender, r } = await senderFor(() => ({ status: 200 }));
    expect(await sender.findSentReply({ ...delivery(), sinceMs: 0 })).toBeNull();
    await sender.sendReply(delivery());
    await sender.sendReply(delivery());
    expect(r.requests.map((q) => q.headers['x-koe-delivery'])).toEqual(['41', '41']);
  });

  it('a 5xx is transient (retried), with the status in words', async () => {
    const { sender } = await senderFor(() => ({ status: 503, body: 'maintenance' }));
    const error = await thrown(sender.sendReply(delivery()));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error).not.toBeInstanceOf(RateLimitedError);
    expect(error?.message).toBe('the webhook answered 503: maintenance');
  });

  it('no answer within the timeout is transient, and the next attempt (same id) is the receiver’s to dedupe', async () => {
    const { sender, r } = await senderFor((_q, n) => (n === 0 ? { status: 200, hang: true } : { status: 200 }), 200);
    const error = await thrown(sender.sendReply(delivery()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error?.message).toBe('the webhook did not answer within 0.2 s');
    await sender.sendReply(delivery());
    expect(r.requests.map((q) => q.headers['x-koe-delivery'])).toEqual(['41', '41']);
  });

  it('a receiver that cannot be reached is transient', async () => {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const sender = createWebhookReplySender({
      webhooks: [{ source: 'web', url: `http://127.0.0.1:${port}/gone` }],
      secret: new Secret(SECRET),
      log: silentLogger(),
    });
    const error = await thrown(sender.sendReply(delivery()));
    expect(error).not.toBeInstanceOf(PermanentDeliveryError);
    expect(error?.message).toMatch(/^the webhook could not be reached \(ECONNREFUSED\)$/);
  });

  it.each([
    ['seconds', { 'retry-after': '7' }, 7_000],
    ['no header', {}, 5_000],
  ])('a 429 waits for Retry-After (%s)', async (_what, headers, ms) => {
    const { sender } = await senderFor(() => ({ status: 429, headers }));
    const error = await thrown(sender.sendReply(delivery()));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(ms);
  });

  it('reads Retry-After as seconds or an HTTP date, within 1 s .. 1 h', () => {
    expect(retryAfterMs('30')).toBe(30_000);
    expect(retryAfterMs(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(retryAfterMs('0')).toBe(1_000);
    expect(retryAfterMs('999999')).toBe(3_600_000);
    expect(retryAfterMs('soon')).toBe(5_000);
  });

  it.each([400, 401, 403, 404, 410, 422])(
    'a %i fails for good, with the status and the receiver’s reason',
    async (status) => {
      const { sender, r } = await senderFor(() => ({ status, body: `nope\r\n${'x'.repeat(500)}` }));
      const error = await thrown(sender.sendReply(delivery()));
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error?.message).toBe(`the webhook answered ${status}: nope ${'x'.repeat(195)}…`);
      expect(r.requests).toHaveLength(1);
    },
  );

  it('an empty refusal is named by its status text', async () => {
    const { sender } = await senderFor(() => ({ status: 404 }));
    expect((await thrown(sender.sendReply(delivery())))?.message).toBe('the webhook answered 404: Not Found');
  });

  it('does not follow a redirect (the signed body goes nowhere unconfigured): it fails, saying what to fix', async () => {
    const elsewhere = await startReceiver();
    try {
      const { sender } = await senderFor(() => ({ status: 307, headers: { location: elsewhere.url } }));
      const error = await thrown(sender.sendReply(delivery()));
      expect(error).toBeInstanceOf(PermanentDeliveryError);
      expect(error?.message).toBe(
        'the webhook for "web" redirected (307); koe does not follow redirects, so put the final URL in replies.webhooks',
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it('a source with no webhook configured fails for good', async () => {
    const { sender, r } = await senderFor(() => ({ status: 200 }));
    const error = await thrown(sender.sendReply(delivery({ channel: 'crm' })));
    expect(error).toBeInstanceOf(PermanentDeliveryError);
    expect(error?.message).toBe('no reply webhook is configured for source "crm"');
    expect(r.requests).toHaveLength(0);
  });
});
