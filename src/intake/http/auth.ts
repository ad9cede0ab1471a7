import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in constant time. Both sides are hashed first
 * so that the comparison takes the same time whatever the presented length (timingSafeEqual itself
 * throws on unequal lengths, which would leak the length).
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

// The expected token's digest, kept for the token last asked about: intake checks every request
// against the same token, and hashing it each time was half the cost of the check.
let cached: { token: string; digest: Buffer } | null = null;

/** Whether an `Authorization` header carries the expected bearer token. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (cached?.token !== expected) cached = { token: expected, digest: sha256(expected) };
  // Still compare on a missing token, so a bad request costs the same as a wrong one.
  return timingSafeEqual(sha256(match?.[1] ?? ''), cached.digest) && match !== null;
}
