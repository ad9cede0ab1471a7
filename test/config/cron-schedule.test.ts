import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cronScheduleProblem } from '../../src/config/cron-schedule.ts';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { tempDir } from '../helpers/temp-db.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('digest schedules: exactly five cron fields', () => {
  it('takes five-field expressions', () => {
    for (const ok of ['0 9 * * *', '0 9 * * 1', '30 8 * * 1-5', '*/15 9-18 * * 1-5']) {
      expect(cronScheduleProblem(ok)).toBeNull();
    }
  });

  it('refuses six fields, saying a sixth would be seconds, and offers the five meant', () => {
    expect(cronScheduleProblem('0 9 * * 1-5 *')).toBe(
      '"0 9 * * 1-5 *" has six fields; koe takes five (minute hour day-of-month month weekday) because a sixth would be read as seconds; did you mean "0 9 * * 1-5"?',
    );
    // Seconds written first (Quartz style): the five after them.
    expect(cronScheduleProblem('0 30 8 * * 1-5')).toContain('did you mean "30 8 * * 1-5"?');
  });

  it('answers a clock time with the expression for it', () => {
    expect(cronScheduleProblem('9:00')).toBe(
      '"9:00" is a time, not a cron expression; for 09:00 every day write "0 9 * * *" (five fields: minute hour day-of-month month weekday)',
    );
    expect(cronScheduleProblem('18:30')).toContain('write "30 18 * * *"');
  });

  it('gives examples for anything else', () => {
    expect(cronScheduleProblem('every day')).toContain('e.g. "0 9 * * *" (09:00 every day)');
    expect(cronScheduleProblem('61 9 * * *')).toContain('is not a valid cron expression');
  });

  it('is how loadConfig reports a digest schedule, at its path', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.config.yaml'), 'digests:\n  - { platform: console, schedule: "0 9 * * 1-5 *" }\n');
    let error: unknown;
    try {
      loadConfig({ env: {}, cwd: t.dir, dotenv: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'digests[0].schedule: "0 9 * * 1-5 *" has six fields; koe takes five (minute hour day-of-month month weekday) because a sixth would be read as seconds; did you mean "0 9 * * 1-5"?',
    ]);
  });
});
