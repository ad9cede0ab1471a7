import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Secret } from '../../config/secret.ts';
import { type ModeLog, PRIVATE_DIR, PRIVATE_FILE, tighten, writePrivate } from '../../lib/private-files.ts';

/**
 * The intake API's bearer token: KOE_INTAKE_TOKEN when set; otherwise one generated on first start
 * and kept in a 0600 file beside the database, so a fresh clone is authenticated from its first
 * request without anyone choosing a weak token. The token itself is never logged.
 *
 * A token file found readable by other local users is tightened to 0600 and named in a warning
 * (the token in it may have been read: delete the file and restart for a new one). A new token is
 * written as a new 0600 file that replaces any old one, never into a file others could open.
 * `generatedFile` is set only when this call generated the token; `storedFile` when it read one.
 */
export function resolveIntakeToken(
  configured: Secret | undefined,
  tokenFile: string,
  log?: ModeLog,
): { token: Secret; generatedFile?: string; storedFile?: string } {
  if (configured) return { token: configured };
  tighten(
    tokenFile,
    PRIVATE_FILE,
    log,
    'the intake token in it may have been read: delete it and restart koe for a new one',
  );
  if (existsSync(tokenFile)) {
    const stored = readFileSync(tokenFile, 'utf8').trim();
    // Reused, not generated: the start log says which, so a restart does not read as a new token.
    if (stored) return { token: new Secret(stored), storedFile: tokenFile };
  }
  mkdirSync(dirname(tokenFile), { recursive: true, mode: PRIVATE_DIR });
  const token = randomBytes(24).toString('base64url');
  writePrivate(tokenFile, `${token}\n`);
  return { token: new Secret(token), generatedFile: tokenFile };
}
