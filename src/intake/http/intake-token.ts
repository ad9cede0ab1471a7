import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Secret } from '../../config/secret.ts';

/**
 * The intake API's bearer token: KOE_INTAKE_TOKEN when set; otherwise one generated on first start
 * and kept in a 0600 file beside the database, so a fresh clone is authenticated from its first
 * request without anyone choosing a weak token. The token itself is never logged.
 */
export function resolveIntakeToken(
  configured: Secret | undefined,
  tokenFile: string,
): { token: Secret; generatedFile?: string } {
  if (configured) return { token: configured };
  if (existsSync(tokenFile)) {
    const stored = readFileSync(tokenFile, 'utf8').trim();
    if (stored) return { token: new Secret(stored), generatedFile: tokenFile };
  }
  mkdirSync(dirname(tokenFile), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  return { token: new Secret(token), generatedFile: tokenFile };
}
