import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in constant time. Both sides are hashed first
 * so that the comparison takes the same time whatever the presented length (timingSafeEqual itself
 * throws on unequal lengths, which would leak the length).
 */
export function secretsEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Whether an `Authorization` header carries the expected bearer token. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  // Still compare on a missing token, so a bad request costs the same as a wrong one.
  return secretsEqual(match?.[1] ?? '', expected) && match !== null;
}
