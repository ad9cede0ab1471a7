import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/platforms/slack/render.ts';
import type { InteractionRecord, StoredMessage } from '../fakes/discord/fake-discord.ts';
import { blockAction, slashCommand } from '../fakes/slack/slack-requests.ts';
import { startBothKoe, SLACK_CHANNEL, type BothKoe } from '../helpers/both-platforms.ts';
import { ledgerProblems, outboxState, shownInDiscord, shownInSlack } from '../helpers/delivery-ledger.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import { collectUnhandledRejections } from '../helpers/unhandled-rejections.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Races between people acting on one inquiry at the same instant from every place koe takes
 * actions from: the intake API, `/koe` on Slack, the mirror's buttons on Slack, and the mirror's
 * buttons on Discord. One of a hundred claims wins and exactly one `claimed` event is written;
 * every loser is told who has it; claims racing resolves, unclaims and reopens leave status,
 * assignee, event log and both mirrors agreeing.
 */

let b: BothKoe;
const rejections = collectUnhandledRejections();

beforeAll(async () => {
  // A hundred answers at once on a shared machine can take longer than Discord's 3 s; these runs are
  // about races, so the fake accepts a late answer instead of refusing it (speed is for benchmarks).
  b = await startBothKoe({ discord: { interactionWindowMs: 10 * 60_000 } });
  for (let i = 0; i < 60; i++)
    b.slack.addUser({ id: `U0AGENT${i}`, name: `agent${i}`, profile: { display_name: `Agent ${i}` } });
});
afterAll(async () => {
  await b?.stop();
});

const sqlite = () => b.koe.db.$client;
const slackUser = (i: number) => `U0AGENT${i}`;
const discordPeople = Array.from({ length: 60 }, (_, i) => i);

/** An inquiry with its mirrors in both places. */
async function mirrored(subject: string): Promise<{ id: number; slackTs: string; discordMessage: StoredMessage }> {
  const res = await b.api('/api/v1/inquiries', { source: 'web', subject, body: `${subject}: please help` });
  const { id } = (await res.json()) as { id: number };
  const post = await waitFor(
    () =>
      b.slack
        .okCallsTo('chat.postMessage')
        .find((c) => c.params.metadata?.event_payload?.inquiry_id === id && !c.params.thread_ts),
    8_000,
    `Slack mirror of #${id}`,
  );
  const discordMessage = await waitFor(
    () => b.world.fake.messagesIn(b.world.inquiries.id).find((m) => m.embeds[0]?.title === `#${id} ${subject}`),
    8_000,
    `Discord mirror of #${id}`,
  );
  await waitFor(
    () => sqlite().prepare(`SELECT count(*) AS n FROM mirrors WHERE inquiry_id = ?`).get(id) as { n: number },
    8_000,
    'mirror rows',
  );
  await waitFor(
    () => (sqlite().prepare(`SELECT count(*) AS n FROM mirrors WHERE inquiry_id = ?`).get(id) as { n: number }).n === 2,
    8_000,
    'both mirror rows',
  );
  return { id, slackTs: post.response!.ts, discordMessage };
}

type Verb = 'claim' | 'resolve' | 'unclaim' | 'reopen';

/** One action, through one path, by one person; resolves with what that person was told, if anything. */
function act(
  path: 'api' | 'slash' | 'button' | 'discord',
  verb: Verb,
  who: number,
  target: { id: number; slackTs: string; discordMessage: StoredMessage },
) {
  switch (path) {
    case 'api':
      return b
        .api(`/api/v1/inquiries/${target.id}/${verb}`, { actor: { id: `api:agent${who}`, name: `API agent ${who}` } })
        .then(async (r) => ({ path, who, status: r.status, text: await r.text() }));
    case 'slash':
      return b
        .slackSend(
          slashCommand({
            text: `${verb} ${target.id}`,
            userId: slackUser(who),
            teamId: b.slack.teamId,
            channelId: SLACK_CHANNEL,
            responseUrl: b.slack.responseUrl(),
          }),
        )
        .then(async (r) => ({ path, who, status: r.status, text: await r.text() }));
    case 'button':
      return b
        .slackSend(
          blockAction({
            teamId: b.slack.teamId,
            userId: slackUser(30 + who),
            channel: SLACK_CHANNEL,
            messageTs: target.slackTs,
            action: { action_id: ACTION_IDS[verb], value: String(target.id), type: 'button' },
            responseUrl: b.slack.responseUrl(),
          }),
        )
        .then(async (r) => ({ path, who, status: r.status, text: await r.text() }));
    case 'discord': {
      const rec: InteractionRecord = b.world.fake.click(
        target.discordMessage,
        { user: discordUsers[who]! },
        `koe:${verb}:${target.id}`,
      );
      return waitFor(() => rec.responses[0], 8_000, `Discord answer to ${rec.id}`).then((r) => ({
        path,
        who,
        status: 200,
        text: String(r.data?.content),
        rec,
      }));
    }
  }
}

let discordUsers: Array<ReturnType<BothKoe['world']['fake']['user']>> = [];

describe('racing on one inquiry from the API, Slack and Discord at once', () => {
  it('gives one of 100 simultaneous claims the inquiry, writes one claimed event, and tells every loser who has it', async () => {
    discordUsers = discordPeople.map((i) => b.world.fake.user(`racer${i}`));
    const target = await mirrored('Hundred claimers');
    const paths = ['api', 'slash', 'button', 'discord'] as const;
    const attempts = Array.from({ length: 100 }, (_, i) => act(paths[i % 4]!, 'claim', Math.floor(i / 4), target));
    const answers = await Promise.all(attempts);

    const claimed = sqlite()
      .prepare(`SELECT actor_id AS actor FROM events WHERE inquiry_id = ? AND type = 'claimed'`)
      .all(target.id) as Array<{ actor: string }>;
    expect(claimed).toHaveLength(1);
    const winner = claimed[0]!.actor;
    const inquiry = sqlite()
      .prepare(`SELECT status, assignee_id AS assignee FROM inquiries WHERE id = ?`)
      .get(target.id);
    expect(inquiry).toEqual({ status: 'claimed', assignee: winner });

    // Who each answer says won, by path.
    const idOf = (a: (typeof answers)[number]) =>
      a.path === 'api'
        ? `api:agent${a.who}`
        : a.path === 'slash'
          ? `slack:${slackUser(a.who)}`
          : a.path === 'button'
            ? `slack:${slackUser(30 + a.who)}`
            : `discord:${discordUsers[a.who]!.id}`;
    for (const a of answers) {
      const won = idOf(a) === winner;
      expect(a.status, `${a.path} ${a.who}`).toBe(a.path === 'api' && !won ? 409 : 200);
      if (a.path === 'api' && !won) expect(JSON.parse(a.text)).toMatchObject({ error: 'already_claimed' });
      if (a.path === 'slash') expect(a.text).toContain(won ? `You claimed #${target.id}.` : `is already claimed by`);
      if (a.path === 'discord') expect(a.text).toContain(won ? `You claimed #${target.id}.` : `is already claimed by`);
    }
    // Discord: each interaction answered exactly once.
    for (const a of answers.filter((x) => x.path === 'discord')) {
      const rec = (a as { rec: InteractionRecord }).rec;
      expect(rec.responses).toHaveLength(1);
    }
    // Slack buttons: a success says nothing; each loser gets a private refusal naming the holder.
    const buttonLosers = answers
      .filter((a) => a.path === 'button' && idOf(a) !== winner)
      .map((a) => slackUser(30 + a.who));
    await waitFor(
      () =>
        buttonLosers.every((u) =>
          b.slack.ephemerals.some((e) => e.user === u && String(e.text).includes('already claimed')),
        ),
      8_000,
      'refusals to the button losers',
    );
    const buttonWinner = answers.find((a) => a.path === 'button' && idOf(a) === winner);
    if (buttonWinner) expect(b.slack.ephemerals.filter((e) => `slack:${e.user}` === winner)).toEqual([]);

    await waitFor(() => outboxState(sqlite()).unfinished === 0, 10_000, 'mirror updates');
    expect(ledgerProblems(shownInSlack(b.slack, sqlite(), [SLACK_CHANNEL]), sqlite(), b.destinations.slack)).toEqual(
      [],
    );
    expect(
      ledgerProblems(shownInDiscord(b.world.fake, sqlite(), [b.world.inquiries.id]), sqlite(), b.destinations.discord),
    ).toEqual([]);
    expect(inquiryInvariantProblems(sqlite(), b.koe.config.destinations)).toEqual([]);
    expect(rejections).toEqual([]);
  }, 60_000);

  it('leaves status, assignee, events and both mirrors agreeing when claims race resolves, unclaims and reopens', async () => {
    const targets = [];
    for (let i = 0; i < 4; i++) targets.push(await mirrored(`Tug of war ${i}`));
    const paths = ['api', 'slash', 'button', 'discord'] as const;
    const verbs: Verb[] = ['claim', 'resolve', 'claim', 'unclaim', 'resolve', 'reopen', 'claim'];
    const all = [];
    for (const [t, target] of targets.entries()) {
      for (let i = 0; i < 28; i++)
        all.push(act(paths[(i + t) % 4]!, verbs[i % verbs.length]!, (i + t * 7) % 30, target));
    }
    const answers = await Promise.all(all);
    for (const a of answers) expect(a.status, `${a.path}: ${a.text.slice(0, 200)}`).toBeLessThan(500);

    await waitFor(() => outboxState(sqlite()).unfinished === 0, 15_000, 'mirror updates');
    expect(outboxState(sqlite()).dead).toEqual([]);
    // The event log replays to the stored status and assignee; resolved_at matches the status.
    expect(inquiryInvariantProblems(sqlite(), b.koe.config.destinations)).toEqual([]);
    for (const target of targets) {
      const counts = Object.fromEntries(
        (
          sqlite()
            .prepare(`SELECT type, count(*) AS n FROM events WHERE inquiry_id = ? GROUP BY type`)
            .all(target.id) as Array<{ type: string; n: number }>
        ).map((r) => [r.type, r.n]),
      );
      // Resolves and reopens alternate: never two resolves without a reopen between them.
      expect((counts.resolved ?? 0) - (counts.reopened ?? 0)).toBeGreaterThanOrEqual(0);
      expect((counts.resolved ?? 0) - (counts.reopened ?? 0)).toBeLessThanOrEqual(1);
    }
    // Both mirrors show each inquiry's final status.
    expect(ledgerProblems(shownInSlack(b.slack, sqlite(), [SLACK_CHANNEL]), sqlite(), b.destinations.slack)).toEqual(
      [],
    );
    expect(
      ledgerProblems(shownInDiscord(b.world.fake, sqlite(), [b.world.inquiries.id]), sqlite(), b.destinations.discord),
    ).toEqual([]);
    expect(b.slack.blockKitProblems).toEqual([]);
    expect(rejections).toEqual([]);
  }, 60_000);
});
