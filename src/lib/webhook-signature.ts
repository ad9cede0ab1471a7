import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature on koe's reply webhooks, both halves: koe signs with it, and a receiver (or a test)
 * verifies with it. The signed text is `v1:<timestamp>:<raw body>`, so a receiver must check the body
 * exactly as it arrived, before parsing it; the timestamp inside the signature is what lets a receiver
 * refuse a request replayed later. The README's standalone verifier computes the same thing.
 */

export const SIGNATURE_HEADER = 'x-koe-signature';
export const TIMESTAMP_HEADER = 'x-koe-timestamp';
export const DELIVERY_HEADER = 'x-koe-delivery';

/** How far a timestamp may be from the receiver's clock, either way, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256(secret, "v1:" + timestamp + ":" + rawBody)>`. */
export function signWebhook(secret: string, timestamp: number, rawBody: string | Buffer): string {
  const hmac = createHmac('sha256', secret).update(`v1:${timestamp}:`).update(rawBody);
  return `v1=${hmac.digest('hex')}`;
}

/** Request headers as node gives them (lower-case keys) or as fetch does. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string {
  if (headers instanceof Headers) return headers.get(name) ?? '';
  const value = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  // Two of the same header (a proxy that added one) is not a signature koe sent.
  return typeof value === 'string' ? value : '';
}

/**
 * Whether a request carries koe's signature over `rawBody`, made with `secret` within
 * `toleranceSeconds` of `nowSeconds`. The comparison is constant time over equal-length buffers;
 * a malformed timestamp or signature is simply not koe's.
 */
export function verifyWebhook(
  secret: string,
  headers: HeaderSource,
  rawBody: string | Buffer,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): boolean {
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const given = Buffer.from(header(headers, SIGNATURE_HEADER));
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
