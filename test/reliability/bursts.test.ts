import { describe, expect, it, type TestContext } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/fake-slack.ts';
import { ledgerProblems, outboxState, shownInSlack } from '../helpers/delivery-ledger.ts';
import { addPeople, intake, startSlackKoe, type SlackKoe } from '../platforms/slack/harness.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Bursts against Slack's per-channel pace. The fake Slack enforces it (a chat.postMessage to a
 * channel less than a second after the last one it accepted there is answered 429 with
 * Retry-After): a burst routed to one channel is delivered completely, each inquiry once, with only
 * a handful of 429s, never faster than the floor the pace sets; and a burst in one channel does not
 * hold up another (shown by holding the burst's first post until the other channel has posted).
 * How close to the floor a run gets depends on the machine: reported, not asserted.
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
    `delivers ${n} inquiries to one channel once each, with a handful of 429s, at the 1/s floor or slower, without holding up another channel`,
    async (test) => {
      const { k, fake } = await start(test);
      // The burst channel's first post is held by Slack until the other channel has posted: so the
      // other channel provably does not wait behind the burst, on any machine.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      fake.fail('chat.postMessage', { kind: 'held', until: held });
      let burst: Array<{ id: number }>;
      let others: Array<{ id: number }>;
      try {
        burst = await Promise.all(
          Array.from({ length: n }, (_, i) => intake(k, { source: 'burst', subject: `burst ${i}` })),
        );
        const heldPost = await waitFor(
          () => fake.callsTo('chat.postMessage').find((c) => c.params.channel === BURST),
          5_000,
          "the burst channel's first post",
        );
        // Something for the other channel, sent while the burst channel's post is in flight.
        others = await Promise.all(
          Array.from({ length: SOAK ? 20 : 2 }, (_, i) => intake(k, { source: 'web', subject: `elsewhere ${i}` })),
        );
        await waitFor(() => acceptedPosts(fake, OTHER).length > 0, 10_000, "the other channel's first post");
        // …while the burst's post was still unanswered, and koe still waiting for it (not given up
        // on it after its call timeout, which would free the channel too).
        expect(heldPost.response).toBeNull();
        expect(
          k.koe.db.$client
            .prepare(`SELECT status, last_error AS lastError FROM deliveries WHERE channel = ? ORDER BY id LIMIT 1`)
            .get(BURST),
        ).toEqual({ status: 'in_flight', lastError: null });
        expect(fake.callsTo('chat.postMessage').filter((c) => c.params.channel === BURST)).toHaveLength(1);
      } finally {
        release();
      }

      await waitFor(
        () => acceptedPosts(fake, OTHER).length === others.length,
        10_000 + others.length * 2_000,
        'the other channel',
      );
      await waitFor(() => outboxState(k.koe.db.$client).unfinished === 0, n * 2_000 + 10_000, 'the burst');
      const posts = acceptedPosts(fake, BURST);
      expect(posts).toHaveLength(n);
      expect(new Set(posts.map((p) => p.params.metadata.event_payload.inquiry_id))).toEqual(
        new Set(burst.map((b) => b.id)),
      );
      // The floor: one post per second after the first (the fake refuses anything faster). How
      // close to the floor koe gets is a matter of speed, reported, not asserted.
      const floorMs = (n - 1) * 1_000;
      const tookMs = posts.at(-1)!.at - posts[0]!.at;
      expect(tookMs).toBeGreaterThanOrEqual(floorMs * 0.95);
      report(
        `burst: ${n} posts in ${tookMs} ms (floor ${floorMs} ms), ${fake.rateLimitedCount('chat.postMessage')} × 429`,
      );
      // koe waits its second after each answer, so a slow machine only spaces posts further apart.
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
      expect(tookMs).toBeGreaterThanOrEqual((m - 1) * 1_000 * 0.95); // the fake's floor; no upper bound on speed
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
