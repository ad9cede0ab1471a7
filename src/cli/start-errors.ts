import { databaseWritable, portProblem } from '../checks/local.ts';
import type { Config } from '../config/load-config.ts';
import { problemSentence } from '../lib/check.ts';
import { PlatformRefusedError } from '../platforms/start-errors.ts';

/**
 * The one sentence for an error at start a person can fix (a port in use, a database koe cannot
 * write, a platform refusing its token), or null for anything else, which keeps its stack.
 */
export function startErrorSentence(error: unknown, config: Config): string | null {
  if (error instanceof PlatformRefusedError) return error.message;
  const e = error as NodeJS.ErrnoException & { syscall?: string };
  if (e?.syscall === 'listen' || e?.code === 'EADDRINUSE') {
    return problemSentence(portProblem(config.port, config.host, e));
  }
  if (e?.code === 'SQLITE_CANTOPEN' || ((e?.code === 'EACCES' || e?.code === 'EROFS') && e.syscall !== 'listen')) {
    const check = databaseWritable(config.databasePath);
    return check.ok
      ? `cannot open the database at ${config.databasePath} (${e.code}): set DATABASE_URL to a file in a directory koe can write, e.g. DATABASE_URL=./data/koe.db`
      : problemSentence(check);
  }
  return null;
}
