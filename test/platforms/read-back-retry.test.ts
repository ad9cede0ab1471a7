import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/lib/logger.ts';
import { retryReadBack } from '../../src/platforms/read-back-retry.ts';

function recordingLog() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: createLogger('debug', sink), lines };
}

// Fake timers: the test moves the clock itself, so what it proves does not depend on how fast the
// machine gets round to the retries.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retrying a read-back', () => {
  it('tries each unread channel at every delay from the cursor taken at start, stops trying the ones that succeed, and gives up with an error', async () => {
    const { log, lines } = recordingLog();
    const tries: string[] = [];
    retryReadBack({
      unread: [
        { channel: 'A', after: '100' },
        { channel: 'B', after: '200' },
      ],
      read: async ({ channel, after }) => {
        tries.push(`${channel}@${after}`);
        return channel === 'A'; // A reads on its first retry, B never
      },
      log,
      platform: 'slack',
      delaysMs: [1_000, 5_000, 15_000],
    });
    const errors = () => lines.filter((l) => l.level === 50 || l.level === 'error');

    await vi.advanceTimersByTimeAsync(999);
    expect(tries).toEqual([]); // nothing before the first delay
    await vi.advanceTimersByTimeAsync(1);
    expect(tries).toEqual(['A@100', 'B@200']);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(tries).toHaveLength(2); // the second round waits its own delay, counted from the first
    await vi.advanceTimersByTimeAsync(1);
    expect(tries).toEqual(['A@100', 'B@200', 'B@200']);
    expect(errors()).toEqual([]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(tries).toEqual(['A@100', 'B@200', 'B@200', 'B@200']);
    expect(errors().map((l) => l.channel)).toEqual(['B']);
    // Given up: no more tries, however long it waits.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(tries).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops trying when stopped', async () => {
    const { log } = recordingLog();
    let tries = 0;
    const retries = retryReadBack({
      unread: [{ channel: 'A', after: '1' }],
      read: async () => {
        tries++;
        return false;
      },
      log,
      platform: 'discord',
      delaysMs: [30, 30],
    });
    await vi.advanceTimersByTimeAsync(30);
    expect(tries).toBe(1);
    retries.stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(tries).toBe(1);
  });

  it('does not try at all when stopped before the first delay', async () => {
    const { log, lines } = recordingLog();
    let tries = 0;
    const retries = retryReadBack({
      unread: [{ channel: 'A', after: '1' }],
      read: async () => {
        tries++;
        return false;
      },
      log,
      platform: 'discord',
      delaysMs: [30],
    });
    retries.stop();
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(tries).toBe(0);
    expect(lines.filter((l) => l.level === 50)).toEqual([]);
  });
});
