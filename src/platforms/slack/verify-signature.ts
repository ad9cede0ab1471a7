import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from our clock, either way: 5 minutes. */
export const MAX_SKEW_MS = 5 * 60_000;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' };

/** `v0=<hex>` for a raw body: HMAC-SHA256 over `v0:{timestamp}:{body}` with the signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Checks Slack's request signature. Unlike Bolt's own check (which only refuses *old* timestamps),
 * a timestamp too far in the future is refused as well: the absolute difference must be ≤ 5 min.
 * The comparison is constant-time over equal-length buffers.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  nowMs: number;
  maxSkewMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const skewMs = Math.abs(input.nowMs - Number(timestamp) * 1000);
  if (skewMs > (input.maxSkewMs ?? MAX_SKEW_MS)) return { ok: false, reason: 'stale_timestamp' };
  const expected = Buffer.from(signSlackRequest(input.signingSecret, timestamp, input.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
