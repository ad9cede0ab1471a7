import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { ALERTS, type SlaKoe, slaKoe } from '../helpers/sla-koe.ts';
import { tempDir } from '../helpers/temp-db.ts';

/**
 * koe killed with SIGKILL between recording an SLA warning and delivering it: a child process
 * sweeps (the warning's event, its thread note and its alert line committed in one transaction),
 * then is killed before any delivery. A new koe on the same file sweeps at start and records
 * nothing again; its outbox delivers the note, the mirror update and the alert line once each.
 */

const MON_10 = Date.parse('2026-12-07T10:00:00+09:00');
const MON_1145 = Date.parse('2026-12-07T11:45:00+09:00');

let koe: SlaKoe | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.close();
  cleanup?.();
  koe = cleanup = undefined;
});

/** Runs the child until it printed its sweep, then kills it with SIGKILL; resolves with what it printed. */
async function sweepThenKill(path: string, nowMs: number): Promise<{ recorded: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sla-sweep-child.ts', path, String(nowMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += String(d);
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`sweep child exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return JSON.parse(line);
}

describe('an SLA warning across a kill -9', () => {
  it('is recorded by the killed process and delivered once by the next', async () => {
    const t = tempDir('koe-sla-crash-');
    cleanup = t.cleanup;
    const path = join(t.dir, 'koe.db');
    let now = MON_10;
    const before = slaKoe(path, () => now);
    before.worker.start();
    const created = createInquiry(before.ctx, { source: 'web', subject: '至急', body: 'ログインできません' });
    if (!created.ok) throw new Error(created.code);
    await before.worker.drain();
    await before.close();

    expect(await sweepThenKill(path, MON_1145)).toEqual({ recorded: 1 });

    now = MON_1145 + 60_000;
    koe = slaKoe(path, () => now);
    const pending = koe.db.$client
      .prepare(`SELECT kind, channel FROM deliveries WHERE status = 'pending' ORDER BY id`)
      .all();
    expect(pending).toEqual([
      { kind: 'thread', channel: 'C0SUPPORT' },
      { kind: 'alert', channel: ALERTS },
      { kind: 'update', channel: 'C0SUPPORT' },
    ]);
    koe.sweeper.start();
    koe.worker.start();
    await koe.worker.drain();
    expect(koe.sweeper.sweep()).toBe(0);
    const shown = koe.sender.shown.map((c) => c.kind).sort();
    expect(shown).toEqual(['alert', 'thread', 'update']);
    const events = koe.db.$client.prepare(`SELECT type FROM events WHERE key IS NOT NULL`).all();
    expect(events).toEqual([{ type: 'sla_due_soon' }]);
  });
});
