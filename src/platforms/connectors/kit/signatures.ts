import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The comparisons every connector's verification ends in. Constant time over equal-length buffers,
 * and false for anything missing or malformed: verification fails closed.
 */

/** Whether `given` is the HMAC of `parts` under `key`, as the tool encodes it. */
export function hmacMatches(
  algorithm: 'sha1' | 'sha256',
  key: string,
  parts: ReadonlyArray<string | Buffer>,
  given: string,
  encoding: 'hex' | 'base64',
): boolean {
  if (!key || !given) return false;
  const hmac = createHmac(algorithm, key);
  for (const part of parts) hmac.update(part);
  return sameBytes(hmac.digest(encoding), given);
}

/** Whether two secrets are equal, without telling by timing how much of one matched. */
export function sameBytes(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
