import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/lib/webhook-signature.ts';
import { loadReadmeVerifier, readmeVerifierSource } from '../helpers/webhook-receiver.ts';

/**
 * The signature on reply webhooks, from both sides: koe's own verifier (src/lib/webhook-signature.ts)
 * and the standalone one the README gives customers, run exactly as printed there. Each case is put
 * to both, and both must agree with the documented formula.
 */

const SECRET = 'whsec-test-0123456789abcdef';
const NOW = 1_800_000_000;
const body = '{"type":"reply","message":{"body":"領収書を再発行しました。"}}';

const signed = (timestamp: number, raw: string | Buffer = body, secret = SECRET) => ({
  'x-koe-timestamp': String(timestamp),
  'x-koe-signature': signWebhook(secret, timestamp, raw),
});

const verifiers = async () => {
  const readme = await loadReadmeVerifier();
  return [
    ['koe', (h: Record<string, string>, raw: string | Buffer, now: number) => verifyWebhook(SECRET, h, raw, now)],
    ['README', (h: Record<string, string>, raw: string | Buffer, now: number) => readme(SECRET, h, raw, now)],
  ] as const;
};

describe('reply webhook signatures', () => {
  it('signs v1= and the hex HMAC-SHA256 of "v1:" + timestamp + ":" + raw body, as the README says', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', SECRET).update(`v1:${NOW}:${body}`).digest('hex');
    expect(signWebhook(SECRET, NOW, body)).toBe(`v1=${expected}`);
    expect(signWebhook(SECRET, NOW, Buffer.from(body))).toBe(`v1=${expected}`);
  });

  it('keeps the README verifier to ten lines a customer can paste, needing nothing but node:crypto', () => {
    const lines = readmeVerifierSource().trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(10);
    const imports = lines.filter((l) => /^\s*import\b/.test(l));
    expect(imports).toEqual(["import { createHmac, timingSafeEqual } from 'node:crypto';"]);
  });

  it('accepts a genuine request (string or Buffer body), at the edges of the five minutes too', async () => {
    for (const [name, verify] of await verifiers()) {
      expect(verify(signed(NOW), body, NOW), name).toBe(true);
      expect(verify(signed(NOW), Buffer.from(body), NOW), name).toBe(true);
      expect(verify(signed(NOW - 300), body, NOW), name).toBe(true);
      expect(verify(signed(NOW + 300), body, NOW), name).toBe(true);
    }
  });

  it.each([
    ['a forged signature', () => ({ ...signed(NOW), 'x-koe-signature': `v1=${'0'.repeat(64)}` })],
    ['a signature made with the wrong secret', () => signed(NOW, body, 'another-secret')],
    ['a stale timestamp (301 s old)', () => signed(NOW - 301)],
    ['a timestamp 301 s in the future', () => signed(NOW + 301)],
    ['a timestamp changed after signing', () => ({ ...signed(NOW), 'x-koe-timestamp': String(NOW - 1) })],
    ['another body under a genuine signature', () => signed(NOW, '{"type":"reply","message":{"body":"x"}}')],
    ['no signature', () => ({ 'x-koe-timestamp': String(NOW) })],
    ['no timestamp', () => ({ 'x-koe-signature': signed(NOW)['x-koe-signature'] })],
    ['a timestamp that is not a number', () => ({ ...signed(NOW), 'x-koe-timestamp': `${NOW}.5` })],
    [
      'an upper-case signature',
      () => ({ ...signed(NOW), 'x-koe-signature': signed(NOW)['x-koe-signature'].toUpperCase() }),
    ],
    [
      'a signature without its v1= prefix',
      () => ({ ...signed(NOW), 'x-koe-signature': signed(NOW)['x-koe-signature'].slice(3) }),
    ],
    [
      'a truncated signature',
      () => ({ ...signed(NOW), 'x-koe-signature': signed(NOW)['x-koe-signature'].slice(0, -1) }),
    ],
  ])('refuses %s', async (_what, headers) => {
    for (const [name, verify] of await verifiers()) expect(verify(headers(), body, NOW), name).toBe(false);
  });

  it('reads fetch Headers and node header objects alike, and takes a duplicated header as not koe’s', async () => {
    const h = signed(NOW);
    // What the README tells users of a fetch Request to pass its verifier.
    expect((await loadReadmeVerifier())(SECRET, Object.fromEntries(new Headers(h)), body, NOW)).toBe(true);
    expect(verifyWebhook(SECRET, new Headers(h), body, NOW)).toBe(true);
    expect(
      verifyWebhook(
        SECRET,
        { 'X-Koe-Timestamp': h['x-koe-timestamp'], 'X-Koe-Signature': h['x-koe-signature'] },
        body,
        NOW,
      ),
    ).toBe(true);
    expect(
      verifyWebhook(SECRET, { ...h, 'x-koe-signature': [h['x-koe-signature'], h['x-koe-signature']] }, body, NOW),
    ).toBe(false);
  });

  it('takes a tolerance of its own', () => {
    expect(verifyWebhook(SECRET, signed(NOW - 60), body, NOW, 30)).toBe(false);
    expect(verifyWebhook(SECRET, signed(NOW - 60), body, NOW, 60)).toBe(true);
  });
});
