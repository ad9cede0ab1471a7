import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type KoeProcess, startKoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { loadReadmeVerifier, type Receiver, startReceiver } from '../helpers/webhook-receiver.ts';

/**
 * A reply webhook across a kill -9: the receiver takes the first request and never answers it (it
 * landed; koe never heard), koe is killed with SIGKILL and started again on the same database. A
 * webhook cannot be asked what it got, so the restarted koe sends again, with the same X-Koe-Delivery,
 * and the receiver, keeping the ids it accepted as the README asks, acts once. The reply ends sent.
 */

const TOKEN = 'webhook-crash-intake-token-0123456789';
const SECRET = 'whsec-crash-0123456789abcdef0123456789';

/** A response's JSON, for reading without casting. */
const json = (res: Response): Promise<any> => res.json();

let koe: KoeProcess | undefined;
let receiver: Receiver | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.kill('SIGKILL');
  await receiver?.close();
  cleanup?.();
  koe = receiver = cleanup = undefined;
});

describe('reply webhooks across a kill -9', () => {
  it('the reply whose answer was lost is sent again with the same delivery id, acted on once, and ends sent', async () => {
    const verifyKoe = await loadReadmeVerifier();
    const actedOn: string[] = [];
    receiver = await startReceiver((request) => {
      const id = String(request.headers['x-koe-delivery']);
      if (!verifyKoe(SECRET, request.headers, request.raw)) return { status: 401 };
      if (actedOn.includes(id)) return { status: 200 }; // seen: answer 2xx, do nothing twice
      actedOn.push(id);
      return { status: 200, hang: true }; // the first one: taken, but the answer never leaves
    });
    const t = tempDir();
    cleanup = t.cleanup;
    // The restarted koe takes over the killed one's attempt once its lease has run out.
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      `locale: en\nclassifier: { enabled: false }\ndelivery: { leaseMs: 1500 }\nreplies:\n  undoSeconds: 0\n  webhooks:\n    - { source: web, url: "${receiver.url}" }\n`,
    );
    const env = {
      DATABASE_URL: join(t.dir, 'koe.db'),
      KOE_INTAKE_TOKEN: TOKEN,
      KOE_WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'info',
    };

    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    const created = await koe.api('/api/v1/inquiries', { source: 'web', externalId: 'form-7', body: '届きません' });
    const inquiryId = (await json(created)).id as number;
    const queued = await koe.api(`/api/v1/inquiries/${inquiryId}/replies`, {
      body: '再送しました。body-marker-7',
      author: { id: 'api:sato', name: 'Sato' },
    });
    expect(queued.status).toBe(202);
    const replyId = (await json(queued)).reply.id as number;
    await waitFor(() => receiver!.requests.length === 1, 15_000, 'the first attempt to reach the receiver');
    const firstLog = koe.output();
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');

    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    const restarted = koe;
    const sent = await waitFor(
      async () => {
        const got = await json(await restarted.api(`/api/v1/inquiries/${inquiryId}/replies/${replyId}`));
        return got.reply.state === 'sent' && got;
      },
      20_000,
      'the reply to be sent after the restart',
    );
    expect(sent.delivery.state).toBe('delivered');
    expect(receiver.requests).toHaveLength(2);
    const [first, second] = receiver.requests.map((q) => q.headers['x-koe-delivery']);
    expect(second).toBe(first);
    expect(actedOn).toEqual([first]);
    const inquiry = await json(await restarted.api(`/api/v1/inquiries/${inquiryId}`));
    expect(inquiry.firstResponseAt).toBe(sent.reply.sentAt);

    // The console destination prints the thread (the reply's line in it) on stdout too: only the JSON
    // log lines are logs.
    const output = firstLog + restarted.output();
    const logs = output.split('\n').filter((line) => line.startsWith('{'));
    expect(logs.length).toBeGreaterThan(0);
    expect(output).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain('body-marker-7');
  });
});
