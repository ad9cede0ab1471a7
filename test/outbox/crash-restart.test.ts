import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, createInquiry } from '../../src/core/inquiries/index.ts';
import { deliveries, mirrors } from '../../src/storage/schema/index.ts';
import { startFakeChatServer } from '../fakes/fake-chat-server.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

let t: ReturnType<typeof tempDb>;
let chat: Awaited<ReturnType<typeof startFakeChatServer>>;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children) c.kill('SIGKILL');
  await chat.close();
  t.cleanup();
});

function startWorker(leaseMs: number): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/helpers/outbox-child.ts', t.path, chat.url, String(leaseMs)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  return child;
}

describe('the outbox across a crash', () => {
  it('delivers every row exactly once, in order per inquiry, when the worker is SIGKILLed mid-delivery', async () => {
    t = tempDb();
    chat = await startFakeChatServer();
    const ctx = coreContext(t.db, { routes: [{ name: 'team', platform: 'console', channel: 'C1' }] });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const out = createInquiry(ctx, { source: 'web', body: `question ${i}` });
      if (!out.ok) throw new Error(out.code);
      ids.push(out.inquiry.id);
      addMessage(ctx, { inquiryId: out.inquiry.id, direction: 'inbound', body: `follow-up ${i}` });
    }

    // First worker: the 12th post lands at the chat but its answer never comes; we kill the process then.
    chat.hangOnPost(12);
    const first = startWorker(800);
    await waitFor(
      () => chat.records.filter((r) => r.kind === 'post').length >= 12,
      15_000,
      'the 12th post at the chat',
    );
    first.kill('SIGKILL');
    await once(first, 'exit');
    chat.hangOnPost(null);

    // Still leased (800 ms) by the dead process: the attempt that hung, and with it the rest of its
    // batch (this sender is unpaced, so the worker took a channel's ready rows at once).
    const hungPost = chat.records.filter((r) => r.kind === 'post')[11]!;
    const stuck = t.db
      .select()
      .from(deliveries)
      .all()
      .filter((r) => r.status === 'in_flight');
    expect(stuck.map((r) => r.id)).toContain(hungPost.deliveryId);

    const second = startWorker(60_000);
    await waitFor(
      () =>
        t.db
          .select()
          .from(deliveries)
          .all()
          .every((r) => r.status === 'done'),
      20_000,
      'every delivery done by the second worker',
    );
    second.kill('SIGKILL');

    const posts = chat.records.filter((r) => r.kind === 'post');
    expect(posts.map((p) => p.inquiryId).sort((a, b) => a - b)).toEqual(ids);
    for (const id of ids) {
      const forInquiry = chat.records.filter((r) => r.inquiryId === id).map((r) => r.kind);
      expect(forInquiry).toEqual(['post', 'thread']);
    }
    expect(t.db.select().from(mirrors).all()).toHaveLength(ids.length);
    // Every interrupted row that had landed was found again, not re-posted.
    for (const row of stuck) {
      const landed = posts.find((p) => p.deliveryId === row.id);
      if (!landed) continue;
      const mirror = t.db
        .select()
        .from(mirrors)
        .all()
        .find((m) => m.inquiryId === landed.inquiryId)!;
      expect(mirror.messageRef).toBe(landed.ref);
    }
  }, 60_000);
});
