import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/storage/db.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.ts';
import { ledgerProblems, outboxState, shownInSlack } from '../helpers/delivery-ledger.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import { startKoeProcess, type KoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * koe killed with SIGKILL, for real: `node bin/koe.js start` as a child process against the fake
 * Slack, fed a burst of intake requests (inquiries, follow-ups, claims) by clients that retry what
 * was not acknowledged (same externalId), killed mid-burst while a chat.postMessage it made is held
 * unanswered by Slack (it landed; koe never heard), restarted on the same database, killed again
 * the same way, and restarted once more. Then:
 *
 * - every request that got a 2xx is stored, and retries created nothing twice;
 * - every inquiry is mirrored exactly once in every channel it is routed to, including the posts
 *   whose answers never came (koe looks them up by their metadata instead of posting again);
 * - every follow-up shows once in each mirror's thread, in order, and each mirror shows the
 *   inquiry's final status (its updates came after its post).
 */

const SOAK = process.env.KOE_SOAK === '1';
const INQUIRIES = SOAK ? 3_000 : 300;
const KILLS = SOAK ? 4 : 2;
const CONCURRENCY = 16;
const SUPPORT = 'C0SUPPORT';
const BUGS = 'C0BUGS';
const TOKEN = 'crash-test-intake-token-0123456789';

const YAML = `
locale: en
timezone: Asia/Tokyo
classifier: { enabled: false }
# The restarted koe takes over the killed one's attempt once its lease has run out.
delivery: { leaseMs: 1500 }
# The fake Slack does not enforce a pace here: deliver as fast as it answers.
slack: { paceMs: 0 }
destinations:
  - { name: support, platform: slack, channel: ${SUPPORT} }
  - { name: bugs, platform: slack, channel: ${BUGS}, reasons: [bug] }
`;

/** One client's work, each step idempotent so it can be retried after a crash. */
interface Job {
  externalId: string;
  reason: 'bug' | 'how_to';
  followUps: number;
  claim: boolean;
  /** Steps acknowledged so far: 0 = nothing, 1 = created, 1 + n = n follow-ups, then the claim. */
  done: number;
  inquiryId?: number;
}

const stepsOf = (job: Job) => 1 + job.followUps + (job.claim ? 1 : 0);

let fake: FakeSlack | undefined;
let koe: KoeProcess | undefined;
let db: Db | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.kill('SIGKILL');
  db?.$client.close();
  await fake?.close();
  cleanup?.();
  fake = koe = db = cleanup = undefined;
});

/**
 * Works through `queue` with a few concurrent clients until it is empty or koe stops answering
 * (a network error: the client puts its job back and stops). Resolves when every client stopped.
 */
async function drive(
  target: KoeProcess,
  queue: Job[],
  acked: { created: Map<string, number>; messages: Set<string> },
): Promise<void> {
  async function step(job: Job): Promise<void> {
    if (job.done === 0) {
      const res = await target.api('/api/v1/inquiries', {
        source: 'web',
        externalId: job.externalId,
        customer: { id: `cust-${job.externalId}`, name: 'Burst Customer' },
        subject: `Burst ${job.externalId}`,
        body: `Question ${job.externalId}: the export is empty 😢`,
        reason: job.reason,
      });
      expect([200, 201]).toContain(res.status);
      const id = ((await res.json()) as { id: number }).id;
      if (acked.created.has(job.externalId)) expect(id).toBe(acked.created.get(job.externalId)); // a retry found the same inquiry
      acked.created.set(job.externalId, id);
      job.inquiryId = id;
    } else if (job.done <= job.followUps) {
      const externalId = `${job.externalId}-f${job.done}`;
      const res = await target.api(`/api/v1/inquiries/${job.inquiryId}/messages`, {
        direction: 'inbound',
        body: `Follow-up ${job.done} to ${job.externalId}`,
        externalId,
      });
      expect([200, 201]).toContain(res.status);
      await res.body?.cancel();
      acked.messages.add(externalId);
    } else {
      const res = await target.api(`/api/v1/inquiries/${job.inquiryId}/claim`, {
        actor: { id: 'agent-1', name: 'Agent One' },
      });
      // 409 already_yours: the claim of an earlier try went through, only its answer was lost.
      expect([200, 409]).toContain(res.status);
      await res.body?.cancel();
    }
    job.done += 1;
  }
  async function client(): Promise<void> {
    for (;;) {
      const job = queue.shift();
      if (!job) return;
      try {
        while (job.done < stepsOf(job)) await step(job);
      } catch (error) {
        if (!(error instanceof TypeError)) throw error; // fetch failed: koe is gone
        queue.unshift(job);
        return;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
}

describe('koe killed with SIGKILL mid-burst and mid-delivery', () => {
  it(
    `loses no acknowledged inquiry and posts no mirror twice across ${KILLS} kills (${INQUIRIES} inquiries)`,
    async () => {
      fake = await startFakeSlack();
      const t = tempDir('koe-crash-');
      cleanup = t.cleanup;
      writeFileSync(join(t.dir, 'koe.config.yaml'), YAML);
      const env = {
        DATABASE_URL: join(t.dir, 'koe.db'),
        KOE_INTAKE_TOKEN: TOKEN,
        SLACK_BOT_TOKEN: fake.botToken,
        SLACK_SIGNING_SECRET: 'crash-test-signing-secret',
        SLACK_API_URL: fake.apiUrl,
        LOG_LEVEL: 'info',
      };
      const jobs: Job[] = Array.from({ length: INQUIRIES }, (_, i) => ({
        externalId: `burst-${i}`,
        reason: i % 3 === 0 ? 'bug' : 'how_to',
        followUps: i % 4 === 0 ? 2 : i % 5 === 0 ? 1 : 0,
        claim: i % 6 === 0,
        done: 0,
      }));
      const queue = [...jobs];
      const acked = { created: new Map<string, number>(), messages: new Set<string>() };
      const startedAt = Date.now();

      for (let run = 0; run < KILLS; run++) {
        koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
        const target = koe;
        const burst = drive(target, queue, acked);
        // Let the burst and the deliveries get going, then have Slack hold the next post: it lands,
        // but koe never hears back. Kill koe while that post is in flight and the burst still runs.
        // The kill comes once about a quarter of the remaining requests are acknowledged, so the burst
        // is still far from done whatever the machine's speed.
        const remaining = () => jobs.reduce((n, j) => n + stepsOf(j) - j.done, 0);
        const target25 = remaining() - Math.floor(remaining() / 4);
        const postsBefore = fake.okCallsTo('chat.postMessage').length;
        await waitFor(
          () => remaining() <= target25 && fake!.okCallsTo('chat.postMessage').length - postsBefore >= 5,
          30_000,
          'burst and deliveries under way',
        );
        fake.fail('chat.postMessage', { kind: 'hang' });
        await waitFor(() => fake!.hungCount() === 1, 10_000, 'a post held in flight');
        expect(remaining()).toBeGreaterThan(0); // still mid-burst
        const exit = await target.kill('SIGKILL');
        expect(exit.signal).toBe('SIGKILL');
        await burst;
        fake.releaseHung();
        fake.clearFaults();
      }

      // The last run: the rest of the burst (clients retry what was not acknowledged), then delivery.
      koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
      await drive(koe, queue, acked);
      expect(queue).toEqual([]);
      db = openDb(join(t.dir, 'koe.db'));
      const sqlite = db.$client;
      await waitFor(
        () => {
          const s = outboxState(sqlite);
          return s.unfinished === 0 || s.dead.length > 0;
        },
        SOAK ? 600_000 : 40_000,
        'every delivery done',
      );
      expect(outboxState(sqlite).dead).toEqual([]);

      // Every acknowledged request is stored, once.
      const stored = new Map(
        (sqlite.prepare(`SELECT external_id AS e, id FROM inquiries`).all() as Array<{ e: string; id: number }>).map(
          (r) => [r.e, r.id],
        ),
      );
      expect(stored.size).toBe(INQUIRIES);
      for (const [externalId, id] of acked.created) expect(stored.get(externalId)).toBe(id);
      const messages = new Set(
        (sqlite.prepare(`SELECT external_id AS e FROM messages`).all() as Array<{ e: string }>).map((r) => r.e),
      );
      for (const externalId of acked.messages) expect(messages.has(externalId)).toBe(true);
      expect(messages.size).toBe(jobs.reduce((n, j) => n + j.followUps, 0));
      const claimed = (
        sqlite.prepare(`SELECT count(*) AS n FROM inquiries WHERE status = 'claimed'`).get() as { n: number }
      ).n;
      expect(claimed).toBe(jobs.filter((j) => j.claim).length);

      // Mirrored once per routed channel, threads complete and in order, final status shown.
      const destinations = [
        { name: 'support', channel: SUPPORT },
        { name: 'bugs', channel: BUGS },
      ];
      expect(ledgerProblems(shownInSlack(fake, sqlite, [SUPPORT, BUGS]), sqlite, destinations)).toEqual([]);
      expect(
        inquiryInvariantProblems(
          sqlite,
          destinations.map((d) => ({
            ...d,
            platform: 'slack' as const,
            reasons: d.name === 'bugs' ? ['bug'] : undefined,
          })),
        ),
      ).toEqual([]);
      // The held posts were looked up by their metadata (history for a mirror, replies for a thread
      // message), not posted again.
      expect(
        fake.okCallsTo('conversations.history').length + fake.okCallsTo('conversations.replies').length,
      ).toBeGreaterThanOrEqual(KILLS);
      expect(fake.blockKitProblems).toEqual([]);

      const exit = await koe.kill('SIGTERM');
      expect(exit.code).toBe(0);
      koe = undefined;
      if (SOAK || process.env.KOE_TEST_STATS)
        console.info(
          `crash test: ${INQUIRIES} inquiries, ${KILLS} kills, ${fake.okCallsTo('chat.postMessage').length} posts, ${Date.now() - startedAt} ms`,
        );
    },
    SOAK ? 900_000 : 120_000,
  );
});
