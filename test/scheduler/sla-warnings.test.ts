import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry } from '../../src/core/inquiries/index.ts';
import { SYSTEM_ACTOR } from '../../src/core/inquiries/types.ts';
import { ALERTS, type SlaKoe, slaKoe } from '../helpers/sla-koe.ts';
import { manualClock, tempDir } from '../helpers/temp-db.ts';

// Monday 2026-12-07 10:00 in Tokyo, a working day (09:00–18:00). The first reply is due 2 business
// hours later, at 12:00, and warned at 75 %: 11:30. Resolution (2 business days) is due Wed 10:00.
const MON_10 = Date.parse('2026-12-07T10:00:00+09:00');
const at = (hhmm: string, day = '2026-12-07') => Date.parse(`${day}T${hhmm}:00+09:00`);

let open: SlaKoe[] = [];
let cleanup: (() => void) | undefined;
afterEach(async () => {
  for (const k of open) await k.close();
  open = [];
  cleanup?.();
  cleanup = undefined;
});

function setup() {
  const t = tempDir('koe-sla-');
  cleanup = t.cleanup;
  const path = join(t.dir, 'koe.db');
  const clock = manualClock(MON_10);
  const start = () => {
    const k = slaKoe(path, clock.now);
    k.worker.start();
    open.push(k);
    return k;
  };
  return { path, clock, start };
}

function inquire(k: SlaKoe, subject = '請求書の再発行') {
  const out = createInquiry(k.ctx, { source: 'web', subject, body: '先月分の請求書をもう一度ください。' });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
}

/** The events recorded under a once-only key, as `target:level`. */
function recorded(k: SlaKoe, inquiryId: number): string[] {
  return (
    k.db.$client
      .prepare('SELECT key FROM events WHERE inquiry_id = ? AND key IS NOT NULL ORDER BY id')
      .all(inquiryId) as Array<{ key: string }>
  ).map((r) => r.key.split(':').slice(2).join(':'));
}

describe('SLA warnings through the sweep and the outbox', () => {
  it('warns at warnAt and at the breach, each once, with the thread note, the alert line and a mirror update', async () => {
    const { clock, start } = setup();
    const k = start();
    const id = inquire(k);
    await k.worker.drain();
    expect(k.sweeper.sweep()).toBe(0);

    clock.set(at('11:29'));
    expect(k.sweeper.sweep()).toBe(0);
    clock.set(at('11:30'));
    expect(k.sweeper.sweep()).toBe(1);
    expect(k.sweeper.sweep()).toBe(0);
    await k.worker.drain();

    const warned = k.sender.shown.filter((c) => c.kind !== 'post');
    expect(warned.map((c) => c.kind).sort()).toEqual(['alert', 'thread', 'update']);
    const note = warned.find((c) => c.kind === 'thread')!;
    expect(note.text).toContain('初回返信の期限（12/7（月）12:00）が近づいています');
    expect(note.text).toContain('まだ担当者がいません');
    expect(note.mention).toBeNull();
    expect(warned.find((c) => c.kind === 'update')!.text).toContain('⏰ 初回返信期限 12/7（月）12:00 · 期限間近');
    expect(warned.find((c) => c.kind === 'alert')!.text).toBe(
      `⏰ #${id} 初回返信期限間近（期限 12/7（月）12:00）／担当なし／請求書の再発行`,
    );

    // Claimed before the breach: the breach note names the assignee and carries the mention.
    expect(claim(k.ctx, { inquiryId: id, actor: { id: 'slack:U0SATO', name: '佐藤' } }).ok).toBe(true);
    await k.worker.drain();
    clock.set(at('12:01'));
    expect(k.sweeper.sweep()).toBe(1);
    await k.worker.drain();
    const breach = k.sender.shown.filter((c) => c.kind === 'thread').at(-1)!;
    expect(breach.text).toContain('初回返信の期限（12/7（月）12:00）を過ぎました');
    expect(breach.text).toContain('担当の 佐藤 さん');
    expect(breach.mention).toBe('slack:U0SATO');
    expect(k.sender.shown.filter((c) => c.kind === 'update').at(-1)!.text).toContain(
      '🚨 初回返信期限 12/7（月）12:00 · 期限超過',
    );
    expect(recorded(k, id)).toEqual(['first_response:due_soon', 'first_response:breached']);

    const alerts = k.sender.shown.filter((c) => c.kind === 'alert');
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.text).toContain('担当：佐藤 さん');
    expect(k.db.$client.prepare(`SELECT channel FROM deliveries WHERE kind = 'alert'`).all()).toEqual([
      { channel: ALERTS },
      { channel: ALERTS },
    ]);
  });

  it('gives no warning twice across a restart on the same file', async () => {
    const { clock, start } = setup();
    const first = start();
    const id = inquire(first);
    clock.set(at('11:45'));
    expect(first.sweeper.sweep()).toBe(1);
    await first.worker.drain();
    await first.close();
    open = open.filter((k) => k !== first);

    const second = start();
    second.sweeper.start(); // sweeps at start, as koe does
    expect(second.sweeper.sweep()).toBe(0);
    await second.worker.drain();
    expect(second.sender.shown).toEqual([]);

    clock.set(at('12:30'));
    expect(second.sweeper.sweep()).toBe(1);
    await second.worker.drain();
    const third = start();
    expect(third.sweeper.sweep()).toBe(0);
    expect(recorded(third, id)).toEqual(['first_response:due_soon', 'first_response:breached']);
    expect(second.sender.shown.filter((c) => c.kind === 'alert')).toHaveLength(1);
  });

  it('stops the first-response clock at the first reply, and keeps the resolution clock running', async () => {
    const { clock, start } = setup();
    const k = start();
    const id = inquire(k);
    await k.worker.drain();
    expect(k.sender.shown[0]!.text).toContain('🕒 初回返信期限 12/7（月）12:00 · 期限内');
    clock.set(at('11:00'));
    const replied = addMessage(k.ctx, {
      inquiryId: id,
      direction: 'outbound',
      body: '確認します',
      author: SYSTEM_ACTOR,
    });
    expect(replied.ok).toBe(true);
    clock.set(at('17:00'));
    expect(k.sweeper.sweep()).toBe(0);
    await k.worker.drain();
    expect(k.sender.shown.filter((c) => c.kind === 'update').at(-1)!.text).toContain(
      '🕒 解決期限 12/9（水）10:00 · 期限内',
    );

    clock.set(at('10:01', '2026-12-09'));
    expect(k.sweeper.sweep()).toBe(2);
    expect(recorded(k, id)).toEqual(['resolution:due_soon', 'resolution:breached']);
  });

  it('after downtime through the warning window, says only the breach (the skipped warning is recorded, silent)', async () => {
    const { clock, start } = setup();
    const k = start();
    const id = inquire(k);
    await k.worker.drain();
    clock.set(at('13:30'));
    expect(k.sweeper.sweep()).toBe(2);
    await k.worker.drain();
    const notes = k.sender.shown.filter((c) => c.kind === 'thread');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.text).toContain('を過ぎました');
    expect(k.sender.shown.filter((c) => c.kind === 'alert')).toHaveLength(1);
    expect(recorded(k, id)).toEqual(['first_response:due_soon', 'first_response:breached']);
  });

  it('warns about nothing once resolved', async () => {
    const { clock, start } = setup();
    const k = start();
    const id = inquire(k);
    k.db.$client.prepare(`UPDATE inquiries SET status = 'resolved', resolved_at = ? WHERE id = ?`).run(at('10:30'), id);
    clock.set(at('12:30', '2026-12-10'));
    expect(k.sweeper.sweep()).toBe(0);
    expect(recorded(k, id)).toEqual([]);
  });
});
