import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
      delaysMs: [10, 10, 10],
    });
    await sleep(150);
    expect(tries).toEqual(['A@100', 'B@200', 'B@200', 'B@200']);
    const errors = lines.filter((l) => l.level === 50 || l.level === 'error');
    expect(errors.map((l) => l.channel)).toEqual(['B']);
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
      delaysMs: [30],
    });
    retries.stop();
    await sleep(80);
    expect(tries).toBe(0);
  });
});
