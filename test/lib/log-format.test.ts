import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';

/** A destination that says it is a terminal, or not, as the test decides. */
function sink(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (d) => (text += String(d)));
  return { stream, text: () => text };
}

const at = Date.parse('2026-11-23T00:05:30Z'); // 09:05:30 in Tokyo

describe('log lines', () => {
  it('are readable on a terminal: time in the configured zone, level word, message, key fields', () => {
    const out = sink(true);
    const log = createLogger('info', out.stream, { timezone: 'Asia/Tokyo' });
    log.info({ time: at, port: 3000, database: '/srv/koe data/koe.db' }, 'koe is listening');
    expect(out.text()).toBe('09:05:30 INFO  koe is listening port=3000 database="/srv/koe data/koe.db"\n');
  });

  it('are JSON when stdout is not a terminal, or with LOG_FORMAT=json on one', () => {
    for (const [isTTY, format] of [
      [false, 'auto'],
      [true, 'json'],
    ] as const) {
      const out = sink(isTTY);
      createLogger('info', out.stream, { format, timezone: 'Asia/Tokyo' }).info({ port: 3000 }, 'koe is listening');
      expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: 'koe is listening', port: 3000 });
    }
  });

  it('show an error by its message, and its stack only at debug', () => {
    const error = new Error('boom');
    const info = sink(true);
    createLogger('info', info.stream, { timezone: 'UTC' }).error({ err: error }, 'it failed');
    expect(info.text()).toMatch(/^\d\d:\d\d:\d\d ERROR it failed err=boom\n$/);
    const debug = sink(true);
    createLogger('debug', debug.stream, { timezone: 'UTC' }).error({ err: error }, 'it failed');
    expect(debug.text()).toContain('\n    at ');
  });

  it('still redact tokens in pretty lines', () => {
    const out = sink(false);
    createLogger('info', out.stream, { format: 'pretty' }).info({ token: 'xoxb-secret' }, 'called');
    expect(out.text()).toContain('token=[redacted]');
    expect(out.text()).not.toContain('xoxb-secret');
  });
});
