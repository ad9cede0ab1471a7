import { formatTime } from './time-format.ts';

/** pino's numeric levels, as the word a person reads. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

// Fields every line has, or that are shown in their own place: not repeated among the key fields.
const SHOWN = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'err']);

/** A field's value as `key=value`: bare when it is one plain word, JSON (quoted) otherwise. */
function field(key: string, value: unknown): string {
  if (typeof value === 'string' && /^[^\s"=]+$/.test(value)) return `${key}=${value}`;
  return `${key}=${JSON.stringify(value)}`;
}

/**
 * One human-readable log line from one of pino's JSON records: `09:14:03 INFO  koe is listening
 * port=3000 …`, the time in koe's timezone. An error shows its message; its stack only when
 * `stacks` is on (LOG_LEVEL=debug or trace), indented under the line.
 */
export function prettyLogLine(record: Record<string, unknown>, timeZone: string, stacks: boolean): string {
  const time = formatTime(Number(record.time ?? Date.now()), timeZone, 'en');
  const level = (LEVELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined)
    .map(([key, value]) => field(key, value));
  const err = record.err as { message?: string; stack?: string } | undefined;
  if (err?.message) fields.push(field('err', err.message));
  const line = [time, level, String(record.msg ?? ''), ...fields].join(' ').trimEnd();
  if (!stacks || !err?.stack) return `${line}\n`;
  const stack = err.stack.split('\n').slice(1).join('\n');
  return stack ? `${line}\n${stack}\n` : `${line}\n`;
}
