import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file name koe writes into its own data directory so git never picks up what is in it. */
export const GIT_IGNORE = '.gitignore';

/**
 * Writes a `.gitignore` of `*` into `dir` when the directory is koe's alone (every file in it is
 * one of `own`): the database holds customer data and `intake-token` the API's secret, and a data
 * directory inside a clone (`./data`, or wherever DATABASE_URL points) must not be committed. A
 * directory shared with other files (the project root) is left alone: ignoring everything there
 * would hide the project's own files.
 */
export function ignoreInGit(dir: string, own: (name: string) => boolean): void {
  const path = join(dir, GIT_IGNORE);
  if (existsSync(path) || !readdirSync(dir).every(own)) return;
  writeFileSync(path, '# koe: the database and intake token in this directory stay out of git\n*\n', { mode: 0o600 });
}
