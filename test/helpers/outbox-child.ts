// A worker process for the crash test: delivers the outbox of a SQLite file to the fake chat server
// over HTTP, until killed.
import { silentLogger } from '../../src/lib/logger.ts';
import { createOutboxWorker } from '../../src/outbox/worker.ts';
import type { Sender } from '../../src/platforms/types.ts';
import { openDb } from '../../src/storage/db.ts';

const [dbPath, chatUrl, leaseMs] = process.argv.slice(2);

async function call(path: string, body: unknown): Promise<{ ref: string }> {
  const res = await fetch(`${chatUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`chat answered ${res.status}`);
  return (await res.json()) as { ref: string };
}

const sender: Sender = {
  platform: 'console',
  paceMs: () => 0,
  postInquiry: async ({ deliveryId, view }) => {
    const { ref } = await call('/post', { deliveryId, inquiryId: view.inquiry.id });
    return { messageRef: ref, threadRef: ref };
  },
  updateInquiry: async ({ deliveryId, view }) => {
    await call('/update', { deliveryId, inquiryId: view.inquiry.id });
  },
  postToThread: async ({ deliveryId, view }) => {
    const { ref } = await call('/thread', { deliveryId, inquiryId: view.inquiry.id });
    return { messageRef: ref };
  },
  postDigest: async () => {
    throw new Error('no digests here');
  },
  findDelivered: async ({ deliveryId }) => {
    const res = await fetch(`${chatUrl}/find?deliveryId=${deliveryId}`);
    if (res.status === 404) return null;
    const { ref } = (await res.json()) as { ref: string };
    return { messageRef: ref, threadRef: ref };
  },
};

const worker = createOutboxWorker({
  db: openDb(dbPath!),
  senders: { console: sender },
  log: silentLogger(),
  pollMs: 20,
  leaseMs: Number(leaseMs),
  backoff: { baseMs: 10, capMs: 50 },
});
worker.start();
process.stdout.write('started\n');
