import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildWorld,
  startDiscordKoe,
  worldYaml,
  type RunningDiscordKoe,
  type World,
} from '../platforms/discord/harness.ts';
import {
  ALICE,
  BUGS,
  intake,
  SIGNING_SECRET,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from '../platforms/slack/harness.ts';
import { ledgerProblems, outboxState, shownInDiscord, shownInSlack } from '../helpers/delivery-ledger.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import { runCli } from '../helpers/run-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Chat platform outages. While Slack (or Discord) answers 503, drops connections, or lands a post
 * and loses the answer, koe keeps everything queued; when the platform recovers, everything is
 * delivered exactly once and in order per inquiry. Rows that run out of attempts are dead-lettered,
 * and `koe deliveries retry --all` (the real CLI, a separate process) gets them delivered, still once.
 */

const SOAK = process.env.KOE_SOAK === '1';

let slack: SlackKoe | undefined;
let discord: { w: World; k: RunningDiscordKoe } | undefined;
afterEach(async () => {
  if (slack) expect(slack.fake.blockKitProblems).toEqual([]);
  await slack?.stop();
  if (discord) {
    await discord.k.stop();
    await discord.w.fake.close();
  }
  slack = discord = undefined;
});

const yamlWith = (delivery: string) => `
locale: en
timezone: Asia/Tokyo
classifier: { enabled: false }
delivery: ${delivery}
destinations:
  - { name: support, platform: slack, channel: ${SUPPORT} }
  - { name: bugs, platform: slack, channel: ${BUGS}, reasons: [bug] }
`;

const SLACK_DESTINATIONS = [
  { name: 'support', channel: SUPPORT },
  { name: 'bugs', channel: BUGS },
];

async function settled(sqlite: Parameters<typeof outboxState>[0], timeoutMs: number): Promise<void> {
  await waitFor(
    () => {
      const s = outboxState(sqlite);
      return s.unfinished === 0 || s.dead.length > 0;
    },
    timeoutMs,
    'the outbox to settle',
  );
  expect(outboxState(sqlite).dead).toEqual([]);
}

describe('a Slack outage', () => {
  it(
    'keeps everything queued while Slack fails, then delivers each mirror, update and thread message exactly once, in order',
    async () => {
      slack = await startSlackKoe({ yaml: yamlWith('{ maxAttempts: 100 }') });
      const k = slack;
      const before = await Promise.all([
        intake(k, { reason: 'bug' }),
        intake(k, { reason: 'how_to' }),
        intake(k, { reason: 'billing' }),
      ]);
      await k.drain();
      // Alice has used koe before, so koe knows she is staff while Slack cannot describe her.
      expect((await k.command('mine', ALICE)).status).toBe(200);

      // Slack goes down: 503s, posts that land but whose answer is lost, calls that hang until the
      // connection is cut. Look-ups (conversations.history / .replies) fail the same way.
      k.fake.startOutage([
        { kind: 'http', status: 503 },
        { kind: 'lost_answer' },
        { kind: 'http', status: 502 },
        { kind: 'hang' },
        { kind: 'lost_answer' },
      ]);
      const outageStartedAt = k.fake.calls.length;
      const during = [];
      for (let i = 0; i < (SOAK ? 60 : 8); i++)
        during.push(await intake(k, { reason: i % 2 === 0 ? 'bug' : 'how_to', subject: `during ${i}` }));
      for (const inquiry of [...before, ...during.slice(0, 4)]) {
        for (let n = 1; n <= 3; n++) {
          expect(
            (
              await k.api(`/api/v1/inquiries/${inquiry.id}/messages`, {
                direction: 'inbound',
                body: `follow-up ${n} to #${inquiry.id}`,
              })
            ).status,
          ).toBe(201);
        }
      }
      expect((await k.command(`claim ${before[0].id}`, ALICE)).status).toBe(200);
      expect(
        (
          await k.api(`/api/v1/inquiries/${before[1].id}/resolve`, {
            actor: { id: 'ops' },
            note: 'fixed in the outage',
          })
        ).status,
      ).toBe(200);
      expect((await k.command(`claim ${during[1].id}`, ALICE)).status).toBe(200);
      // Let it fail for a while: many failed calls, among them posts that landed.
      // In the fast variant a hung call is cut off (the connection drops) instead of waiting for koe's
      // 10 s call timeout; the soak variant lets calls time out for real.
      await waitFor(
        () => {
          if (!SOAK) k.fake.releaseHung();
          // Soak: about a dozen of them wait out the 10 s timeout (every fifth call hangs).
          return k.fake.calls.length - outageStartedAt >= (SOAK ? 60 : 25);
        },
        SOAK ? 240_000 : 20_000,
        'calls failing during the outage',
      );
      const landedUnanswered = k.fake.calls
        .slice(outageStartedAt)
        .filter((c) => c.method === 'chat.postMessage' && c.response?.ok && c.status !== 200);
      k.fake.endOutage();

      await settled(k.koe.db.$client, SOAK ? 120_000 : 20_000);
      const problems = ledgerProblems(
        shownInSlack(k.fake, k.koe.db.$client, [SUPPORT, BUGS]),
        k.koe.db.$client,
        SLACK_DESTINATIONS,
      );
      expect(problems).toEqual([]);
      expect(inquiryInvariantProblems(k.koe.db.$client, k.koe.config.destinations)).toEqual([]);
      for (const claimed of [before[0], during[1]])
        expect((await (await k.api(`/api/v1/inquiries/${claimed.id}`)).json()).assignee?.id).toBe(`slack:${ALICE}`);
      // The hard case happened and was handled by looking the posts up, not by posting again.
      expect(landedUnanswered.length).toBeGreaterThan(0);
      expect(
        k.fake.okCallsTo('conversations.history').length + k.fake.okCallsTo('conversations.replies').length,
      ).toBeGreaterThan(0);
    },
    SOAK ? 600_000 : 60_000,
  );

  it('dead-letters deliveries after delivery.maxAttempts, and `koe deliveries retry --all` gets each delivered once by the running koe', async () => {
    slack = await startSlackKoe({ yaml: yamlWith('{ maxAttempts: 2 }') });
    const k = slack;
    // Every first attempt lands but loses its answer; the look-up before the second attempt fails:
    // after two attempts each post is dead, though it is in the channel.
    k.fake.startOutage([{ kind: 'lost_answer' }], ['chat.postMessage']);
    k.fake.fail('conversations.history', { kind: 'http', status: 503 }, 1_000);
    const created = [];
    for (let i = 0; i < 4; i++)
      created.push(await intake(k, { reason: i < 2 ? 'bug' : 'how_to', subject: `doomed ${i}` }));
    await waitFor(
      () => outboxState(k.koe.db.$client).dead.length === 6,
      15_000,
      'six dead posts (two bugs in two channels, two in one)',
    );
    // Follow-ups queued meanwhile wait behind their dead posts.
    for (const inquiry of created)
      await k.api(`/api/v1/inquiries/${inquiry.id}/messages`, {
        direction: 'inbound',
        body: `still waiting on #${inquiry.id}`,
      });
    expect(k.fake.topLevel(SUPPORT)).toHaveLength(4); // they did land

    // Slack recovers; the operator lists and retries from another process, against the same database.
    k.fake.endOutage();
    k.fake.clearFaults('conversations.history');
    const env = {
      DATABASE_URL: join(k.dir, 'koe.db'),
      KOE_CONFIG: join(k.dir, 'koe.config.yaml'),
      SLACK_BOT_TOKEN: k.fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    };
    const list = await runCli(['deliveries', 'list'], { cwd: k.dir, env });
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(6);
    const retry = await runCli(['deliveries', 'retry', '--all'], { cwd: k.dir, env });
    expect(retry.stdout).toContain('requeued 6 dead deliveries');

    await settled(k.koe.db.$client, 20_000);
    expect(
      ledgerProblems(shownInSlack(k.fake, k.koe.db.$client, [SUPPORT, BUGS]), k.koe.db.$client, SLACK_DESTINATIONS),
    ).toEqual([]);
    expect(inquiryInvariantProblems(k.koe.db.$client, k.koe.config.destinations)).toEqual([]);
  }, 60_000);
});

describe('a Discord outage', () => {
  it(
    'keeps everything queued while Discord answers 5xx or loses answers, then delivers each mirror and thread message exactly once, in order',
    async () => {
      // A roomy message bucket and no pacing: this is about the outage, not Discord's 5 per 5 s.
      const w = await buildWorld({ messageBucket: { limit: 1_000, windowMs: 5_000 } });
      const k2 = await startDiscordKoe(
        w,
        worldYaml(w, 'delivery: { maxAttempts: 100 }').replace('paceMs: 100', 'paceMs: 0'),
      );
      discord = { w, k: k2 };

      const ask = (body: Record<string, unknown>) =>
        k2.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', ...body } }).then((r) => r.json());
      const first = await ask({ body: 'Before the outage', reason: 'bug' });
      await waitFor(() => w.fake.messagesIn(w.bugs.id).length === 1, 8_000, 'first mirror');

      // Discord goes down for message posts (discord.js itself retries a 5xx three times per attempt),
      // and a few posts land but answer 500.
      const posts = /^\/channels\/\d+\/messages$/;
      const outageFailures = SOAK ? 200 : 30;
      w.fake.failNext('POST', posts, 503, 0, '503: Service Unavailable', outageFailures);
      w.fake.loseAnswerToNextPost(posts, 500, 3);
      const during = [];
      for (let i = 0; i < (SOAK ? 30 : 5); i++)
        during.push(await ask({ body: `During the outage ${i}`, reason: i % 2 ? 'bug' : 'how_to' }));
      for (const inquiry of [first, ...during.slice(0, 3)]) {
        for (let n = 1; n <= 2; n++) {
          await k2.api(`/api/v1/inquiries/${inquiry.id}/messages`, {
            method: 'POST',
            json: { direction: 'inbound', body: `follow-up ${n}` },
          });
        }
      }
      await k2.api(`/api/v1/inquiries/${first.id}/claim`, {
        method: 'POST',
        json: { actor: { id: 'ops', name: 'Ops' } },
      });
      await waitFor(
        () => w.fake.requestsTo('POST', posts).filter((r) => r.status === 503).length >= outageFailures,
        30_000,
        'the outage to pass',
      );

      await waitFor(
        () => {
          const s = outboxState(k2.koe.db.$client);
          return s.unfinished === 0 || s.dead.length > 0;
        },
        SOAK ? 120_000 : 20_000,
        'the outbox to settle',
      );
      expect(outboxState(k2.koe.db.$client).dead).toEqual([]);
      const destinations = [
        { name: 'team', channel: w.inquiries.id },
        { name: 'bugs', channel: w.bugs.id },
      ];
      expect(
        ledgerProblems(
          shownInDiscord(w.fake, k2.koe.db.$client, [w.inquiries.id, w.bugs.id]),
          k2.koe.db.$client,
          destinations,
        ),
      ).toEqual([]);
      expect(inquiryInvariantProblems(k2.koe.db.$client, k2.koe.config.destinations)).toEqual([]);
    },
    SOAK ? 600_000 : 90_000,
  );
});
