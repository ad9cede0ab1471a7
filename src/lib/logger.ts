import { pino, type Logger } from 'pino';
import { prettyLogLine } from './log-lines.ts';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object: belt and braces beside `Secret`, for
 * tokens that arrive inside SDK errors or request headers.
 */
const REDACT = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'signingSecret',
  '*.signingSecret',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'config.slack',
  'config.discord',
];

export interface LoggerOptions {
  /** `pretty` lines, `json` lines, or `auto`: pretty when the destination is a terminal (default). */
  format?: 'auto' | 'pretty' | 'json';
  /** The zone pretty lines show the time in (koe's configured timezone). */
  timezone?: string;
}

/**
 * The destination for pretty lines: pino still builds (and redacts) the JSON record, and each one
 * is reformatted here. A small formatter rather than pino-pretty, which runs as a worker-thread
 * transport and brings its own dependencies: a start that prints a handful of lines does not need a
 * second thread, and the format is koe's own (time in the configured zone, level word, key fields).
 */
function prettyDestination(out: NodeJS.WritableStream, timeZone: string, stacks: boolean) {
  return {
    write(json: string) {
      out.write(prettyLogLine(JSON.parse(json) as Record<string, unknown>, timeZone, stacks));
    },
  };
}

/** The process logger: JSON lines (or pretty ones for a person at a terminal), secrets redacted. */
export function createLogger(level: string, destination?: NodeJS.WritableStream, options: LoggerOptions = {}): Logger {
  const out = destination ?? process.stdout;
  const format = options.format ?? 'auto';
  const pretty = format === 'pretty' || (format === 'auto' && (out as { isTTY?: boolean }).isTTY === true);
  const stacks = level === 'debug' || level === 'trace';
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'koe' } },
    pretty ? prettyDestination(out, options.timezone ?? 'UTC', stacks) : out,
  );
}

/** A logger that drops everything, for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
