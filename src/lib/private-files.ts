import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from './logger.ts';

/**
 * Files only their owner may read: koe's database (customer data) and the intake token. The mode is
 * set by koe, not left to the umask: files 0600, the directory holding them 0700. Files found looser
 * (an older koe, a copy, a restore) are tightened, with one warning naming each.
 */

export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

/** Where the warnings go; nothing is logged without one (the command-line tools). */
export type ModeLog = Pick<Logger, 'warn'> | undefined;

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

function statOrNull(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Sets `path` to `mode` if it exists and lets anyone but its owner in (a group or other bit set).
 * A file koe cannot change (another owner) is named in a warning and left as it is.
 */
export function tighten(path: string, mode: number, log: ModeLog, hint?: string): void {
  const stat = statOrNull(path);
  if (!stat || (stat.mode & 0o077) === 0) return;
  try {
    chmodSync(path, mode);
  } catch (error) {
    log?.warn(
      { path, mode: octal(stat.mode), err: (error as Error).message },
      'files: other local users can read this, and koe could not change its mode',
    );
    return;
  }
  log?.warn(
    { path, was: octal(stat.mode), now: octal(mode) },
    `files: tightened the mode of a file other local users could read${hint ? `; ${hint}` : ''}`,
  );
}

/**
 * Creates the directory `dir` (and its parents) 0700. An existing directory is tightened only when
 * it holds nothing but `own` files (koe's own directory, left looser by an older koe): a directory
 * shared with other things (the working directory, /tmp) keeps its mode, with a warning.
 */
export function privateDir(dir: string, own: (name: string) => boolean, log: ModeLog): void {
  const stat = statOrNull(dir);
  if (!stat) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    return;
  }
  if ((stat.mode & 0o077) === 0) return;
  if (readdirSync(dir).every(own)) tighten(dir, PRIVATE_DIR, log);
  else
    log?.warn(
      { path: dir, mode: octal(stat.mode) },
      'files: the directory of koe’s files is open to other local users; koe leaves its mode alone because it holds other files too (its own files are 0600)',
    );
}

/** Creates `path` empty and 0600 if it does not exist (never readable by others, not even empty). */
export function createPrivate(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    fchmodSync(fd, PRIVATE_FILE); // whatever the umask took away from 0600
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `text` to `path` as a new 0600 file that replaces the old one in one rename, so that
 * nobody who could open the old file (looser, or opened before) ever reads the new text.
 */
export function writePrivate(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', PRIVATE_FILE);
  try {
    fchmodSync(fd, PRIVATE_FILE);
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
