import { describe, expect, it } from 'vitest';
import type { KnownNames, KnownUser, UserStanding } from '../../../src/core/ports/known-names.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import { createUserDirectory, MAX_PROFILES, STANDING_MAX_AGE_MS } from '../../../src/platforms/slack/user-directory.ts';
import type { WebClient } from '../../../src/platforms/slack/web-client.ts';

/**
 * The Slack user directory: what koe remembers of where a user stands is used while Slack does not
 * answer, but only for a day, and memory holds a bounded number of profiles however many people
 * koe meets. Time is an injected clock.
 */

const HOUR = 3_600_000;

/** An in-memory KnownNames, as the SQLite one behaves. */
function memoryNames(): KnownNames {
  const rows = new Map<string, KnownUser>();
  return {
    get: (platform, userId) => rows.get(`${platform}:${userId}`),
    put: (platform, userId, name, nowMs, standing: UserStanding | null = null) =>
      void rows.set(`${platform}:${userId}`, { name, fetchedAtMs: nowMs, standing }),
  };
}

/** A users.info that answers from `people` while `up`, and fails (as in an outage) otherwise; counts calls. */
function fakeSlack(people: Record<string, Record<string, unknown>>) {
  const state = { up: true, calls: 0 };
  const web = {
    users: {
      info: async ({ user }: { user: string }) => {
        state.calls += 1;
        if (!state.up) throw new Error('An HTTP protocol error occurred: statusCode = 503');
        return { ok: true, user: { id: user, name: user, team_id: 'T0KOE', ...people[user] } };
      },
    },
  } as unknown as WebClient;
  return { web, state };
}

function setup(people: Record<string, Record<string, unknown>> = {}) {
  const clock = { now: 1_700_000_000_000 };
  const names = memoryNames();
  const slack = fakeSlack(people);
  const directory = () => createUserDirectory({ web: slack.web, names, log: silentLogger(), now: () => clock.now });
  return { clock, names, slack, directory };
}

describe('a stored standing has a maximum age', () => {
  it('stands in for Slack for a day after the last answer, then counts as unknown (from the database)', async () => {
    const { clock, slack, directory } = setup({ U0ALICE: { real_name: 'Alice' } });
    await directory().lookup('U0ALICE');
    slack.state.up = false;

    // A restarted koe: nothing in memory, the stored directory only.
    clock.now += STANDING_MAX_AGE_MS - 1;
    const fresh = directory();
    expect(await fresh.lookup('U0ALICE', { timeoutMs: 1_000 })).toBeNull();
    expect(fresh.lastKnown('U0ALICE')).toMatchObject({ teamId: 'T0KOE', isGuest: false, isStranger: false });

    clock.now += 1;
    expect(directory().lastKnown('U0ALICE')).toBeNull();
  });

  it('ages what is in memory the same way', async () => {
    const { clock, slack, directory } = setup({ U0BOB: {} });
    const d = directory();
    await d.lookup('U0BOB');
    slack.state.up = false;
    clock.now += STANDING_MAX_AGE_MS - 1;
    expect(d.lastKnown('U0BOB')).not.toBeNull();
    clock.now += 1;
    expect(d.lastKnown('U0BOB')).toBeNull();
  });

  it('takes what users.info answers after that, so a member who became a guest is a guest', async () => {
    const people: Record<string, Record<string, unknown>> = { U0CAROL: {} };
    const { clock, slack, directory } = setup(people);
    const d = directory();
    await d.lookup('U0CAROL');
    expect(d.lastKnown('U0CAROL')?.isGuest).toBe(false);

    clock.now += STANDING_MAX_AGE_MS + HOUR;
    people.U0CAROL = { is_restricted: true };
    expect((await d.lookup('U0CAROL'))?.isGuest).toBe(true);
    slack.state.up = false;
    expect(d.lastKnown('U0CAROL')?.isGuest).toBe(true);
    expect(directory().lastKnown('U0CAROL')?.isGuest).toBe(true); // and the database says so too
  });

  it('forgets a user who left: deleted as Slack last said, unknown once that is a day old', async () => {
    const { clock, slack, directory } = setup({ U0GONE: { deleted: true } });
    const d = directory();
    await d.lookup('U0GONE');
    slack.state.up = false;
    expect(d.lastKnown('U0GONE')?.deleted).toBe(true);
    clock.now += STANDING_MAX_AGE_MS;
    expect(d.lastKnown('U0GONE')).toBeNull();
  });
});

describe('profiles in memory are capped', () => {
  it(`keeps at most ${MAX_PROFILES}: past that the one looked up longest ago is asked of Slack again`, async () => {
    const { slack, directory } = setup();
    const d = directory();
    await d.lookup('U0FIRST');
    await d.lookup('U0SECOND');
    await d.lookup('U0FIRST'); // from memory; and now the newest
    expect(slack.state.calls).toBe(2);

    for (let i = 0; i < MAX_PROFILES - 1; i++) await d.lookup(`U${i}`);
    const before = slack.state.calls;
    await d.lookup('U0FIRST'); // still among the newest MAX_PROFILES
    expect(slack.state.calls).toBe(before);
    await d.lookup('U0SECOND'); // the oldest, forgotten to make room
    expect(slack.state.calls).toBe(before + 1);
  });

  it('still knows a forgotten user’s standing from the database while Slack does not answer', async () => {
    const { slack, directory } = setup({ U0FIRST: { real_name: 'First' } });
    const d = directory();
    await d.lookup('U0FIRST');
    for (let i = 0; i < MAX_PROFILES; i++) await d.lookup(`U${i}`);
    slack.state.up = false;
    expect(d.lastKnown('U0FIRST')).toMatchObject({ name: 'First', teamId: 'T0KOE' });
  });
});
