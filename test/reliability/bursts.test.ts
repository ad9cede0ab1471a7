import { describe, expect, it, type TestContext } from 'vitest';
import { startFakeSlack, waitFor, type FakeSlack } from '../fakes/slack/fake-slack.ts';
import { ledgerProblems, outboxState, shownInSlack } from '../helpers/delivery-ledger.ts';
import { addPeople, intake, startSlackKoe, type SlackKoe } from '../platforms/slack/harness.ts';

/**
 * Bursts against Slack's per-channel pace. The fake Slack enforces it (a chat.postMessage to a
 * channel less than a second after the last one it accepted there is answered 429 with
 * Retry-After): a burst routed to one channel is delivered completely, each inquiry once, with only
 * a handful of 429s, in close to the floor the pace sets; and a burst in one channel does not hold
 * up another.
 */

const SOAK = process.env.KOE_SOAK === '1';
const report = (line: string) => (SOAK || process.env.KOE_TEST_STATS) && console.info(line);
const BURST = 'C0BURST';
const OTHER = 'C0OTHER';

const yaml = (extra = '') => `
locale: en
timezone: Asia/Tokyo
classifier: { enabled: false }
destinations:
  - { name: burst, platform: slack, channel: ${BURST}, sources: [burst] }
  - { name: other, platform: slack, channel: ${OTHER}, sources: [web] }
${extra}`;

/** A fake Slack enforcing the pace, and koe against it; both stopped when the (concurrent) test ends. */
async function start(test: TestContext, extraYaml = ''): Promise<{ k: SlackKoe; fake: FakeSlack }> {
  const fake = await startFakeSlack({ channelPace: { minGapMs: 1_000 } });
  addPeople(fake);
  // Production pacing: the harness's test default (paceMs 0) is replaced by koe's own (1 s per channel).
  const k = await startSlackKoe({ fake, yaml: yaml(extraYaml), options: { slack: {} } });
  test.onTestFinished(async () => {
    await k.stop();
    await fake.close();
  });
  return { k, fake };
}

/** When each inquiry's mirror was accepted in `channel`, in order. */
const acceptedPosts = (fake: FakeSlack, channel: string) =>
  fake.okCallsTo('chat.postMessage').filter((c) => c.params.channel === channel && !c.params.thread_ts);

describe.concurrent('a burst under Slack’s per-channel pace', () => {
  const n = SOAK ? 60 : 8;

  it(
    `delivers ${n} inquiries to one channel once each, with a handful of 429s, near the 1/s floor, without holding up another channel`,
    async (test) => {
      const { k, fake } = await start(test);
      const t0 = Date.now();
      const burst = await Promise.all(
        Array.from({ length: n }, (_, i) => intake(k, { source: 'burst', subject: `burst ${i}` })),
      );
      // Something for the other channel, sent after the whole burst is queued.
      const others = await Promise.all(
        Array.from({ length: SOAK ? 20 : 2 }, (_, i) => intake(k, { source: 'web', subject: `elsewhere ${i}` })),
      );

      // The other channel runs at its own pace: its first mirror lands within about a second, and the
      // rest one per second, while the burst channel is still far from done.
      await waitFor(
        () => acceptedPosts(fake, OTHER).length === others.length,
        5_000 + others.length * 1_500,
        'the other channel',
      );
      const otherDoneAt = acceptedPosts(fake, OTHER).at(-1)!.at;
      expect(acceptedPosts(fake, OTHER)[0]!.at - t0).toBeLessThan(1_500);
      if (n > others.length + 3) expect(acceptedPosts(fake, BURST).length).toBeLessThan(n);

      await waitFor(() => outboxState(k.koe.db.$client).unfinished === 0, n * 2_000 + 10_000, 'the burst');
      const posts = acceptedPosts(fake, BURST);
      expect(posts).toHaveLength(n);
      expect(new Set(posts.map((p) => p.params.metadata.event_payload.inquiry_id))).toEqual(
        new Set(burst.map((b) => b.id)),
      );
      // Floor: one post per second after the first. Close to it: within 1.5× plus a second.
      const floorMs = (n - 1) * 1_000;
      const tookMs = posts.at(-1)!.at - posts[0]!.at;
      expect(tookMs).toBeGreaterThanOrEqual(floorMs * 0.95);
      expect(tookMs).toBeLessThanOrEqual(floorMs * 1.5 + 1_000);
      expect(otherDoneAt).toBeLessThan(posts.at(-1)!.at); // the other channel was not queued behind the burst
      // …nor paced with it: the two channels posted side by side, not one message a second between them.
      const closest = Math.min(...acceptedPosts(fake, OTHER).flatMap((o) => posts.map((p) => Math.abs(o.at - p.at))));
      expect(closest).toBeLessThan(500);
      report(
        `burst: ${n} posts in ${tookMs} ms (floor ${floorMs} ms), ${fake.rateLimitedCount('chat.postMessage')} × 429, other channel done after ${otherDoneAt - t0} ms`,
      );
      expect(fake.rateLimitedCount('chat.postMessage')).toBeLessThanOrEqual(2);
      expect(outboxState(k.koe.db.$client).dead).toEqual([]);
      const problems = ledgerProblems(shownInSlack(fake, k.koe.db.$client, [BURST, OTHER]), k.koe.db.$client, [
        { name: 'burst', channel: BURST },
        { name: 'other', channel: OTHER },
      ]);
      expect(problems).toEqual([]);
      expect(fake.blockKitProblems).toEqual([]);
    },
    SOAK ? 300_000 : 40_000,
  );

  const m = SOAK ? 30 : 5;
  it(
    `when koe is set to post faster than Slack allows, waits out each 429 and still delivers ${m} inquiries once each`,
    async (test) => {
      // slack.paceMs 200: koe would post five times a second; Slack answers 429 with Retry-After: 1.
      const { k, fake } = await start(test, 'slack: { paceMs: 200 }');
      const burst = await Promise.all(
        Array.from({ length: m }, (_, i) => intake(k, { source: 'burst', subject: `too fast ${i}` })),
      );
      await waitFor(() => outboxState(k.koe.db.$client).unfinished === 0, m * 3_000 + 10_000, 'the burst');
      const posts = acceptedPosts(fake, BURST);
      expect(posts).toHaveLength(m);
      expect(new Set(posts.map((p) => p.params.metadata.event_payload.inquiry_id))).toEqual(
        new Set(burst.map((b) => b.id)),
      );
      // Each 429 paused the channel for Retry-After: at most about one 429 per post, never a storm.
      const tookMs = posts.at(-1)!.at - posts[0]!.at;
      report(`too fast: ${m} posts in ${tookMs} ms, ${fake.rateLimitedCount('chat.postMessage')} × 429`);
      expect(fake.rateLimitedCount('chat.postMessage')).toBeLessThanOrEqual(m);
      expect(tookMs).toBeLessThanOrEqual((m - 1) * 1_000 * 1.5 + 1_000);
      // A 429 is not a failed attempt: every row went through on its first counted attempt.
      const attempts = k.koe.db.$client
        .prepare(`SELECT DISTINCT attempts FROM deliveries WHERE channel = ?`)
        .all(BURST) as Array<{ attempts: number }>;
      expect(attempts).toEqual([{ attempts: 1 }]);
      expect(outboxState(k.koe.db.$client).dead).toEqual([]);
    },
    SOAK ? 300_000 : 40_000,
  );
});
