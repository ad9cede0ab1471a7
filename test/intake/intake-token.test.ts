import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.ts';
import { resolveIntakeToken } from '../../src/intake/http/intake-token.ts';
import { tempDir } from '../helpers/temp-db.ts';

/** Where the intake token comes from: KOE_INTAKE_TOKEN, else the file beside the database, else a new one. */
describe('resolveIntakeToken', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  const tokenFile = () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return join(t.dir, 'data', 'intake-token');
  };

  it('takes the configured token and touches no file', () => {
    const file = tokenFile();
    const resolved = resolveIntakeToken(new Secret('configured-Token'), file);
    expect(resolved.token.reveal()).toBe('configured-Token');
    expect(resolved).not.toHaveProperty('generatedFile');
    expect(resolved).not.toHaveProperty('storedFile');
    expect(existsSync(file)).toBe(false);
  });

  it('generates a 32-character base64url token on first start, in a new 0600 file, and says it generated it', () => {
    const file = tokenFile();
    const resolved = resolveIntakeToken(undefined, file);
    expect(resolved.token.reveal()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(resolved.generatedFile).toBe(file);
    expect(resolved.storedFile).toBeUndefined();
    expect(readFileSync(file, 'utf8')).toBe(`${resolved.token.reveal()}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reuses the stored token on the next start (trimmed), and says it read it rather than generated it', () => {
    const file = tokenFile();
    const first = resolveIntakeToken(undefined, file).token.reveal();
    const again = resolveIntakeToken(undefined, file);
    expect(again.token.reveal()).toBe(first);
    expect(again.storedFile).toBe(file);
    expect(again.generatedFile).toBeUndefined();
  });

  it('generates a new token when the file holds only whitespace', () => {
    const file = tokenFile();
    resolveIntakeToken(undefined, file);
    writeFileSync(file, '  \n');
    const resolved = resolveIntakeToken(undefined, file);
    expect(resolved.token.reveal()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(resolved.generatedFile).toBe(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(resolved.token.reveal());
  });

  it('gives two fresh installations different tokens', () => {
    const a = resolveIntakeToken(undefined, tokenFile()).token.reveal();
    const b = resolveIntakeToken(undefined, tokenFile()).token.reveal();
    expect(a).not.toBe(b);
  });
});
