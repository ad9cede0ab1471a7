import { readFileSync } from 'node:fs';

/** koe's version, from its package.json (the one place it is written). */
export function koeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
