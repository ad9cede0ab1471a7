import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord, StoredMessage } from '../../fakes/discord/fake-discord.ts';
import {
  mirroredInquiry,
  ROOMY_MESSAGES,
  startWorldAndKoe,
  stopWorldAndKoe,
  type RunningDiscordKoe,
  type World,
} from './harness.ts';
import { maskedLinks } from '../../helpers/discord-markdown.ts';
import { waitFor } from '../../helpers/wait-for.ts';

// One koe and one fake Discord for the file; each test makes its own inquiries.
let w: World;
let k: RunningDiscordKoe;

beforeAll(async () => {
  ({ w, k } = await startWorldAndKoe(ROOMY_MESSAGES));
});
afterAll(async () => {
  await stopWorldAndKoe(w, k);
  // The client shut down cleanly: no gateway socket left open.
  expect(w.fake.connections).toBe(0);
});

const newInquiry = (subject: string, body = `${subject} body`): Promise<{ id: number; mirror: StoredMessage }> =>
  mirroredInquiry(w, k, { subject, body });

/** The interaction's single response (type 4 with flags 64 for an ephemeral answer). */
async function answerOf(rec: InteractionRecord) {
  const response = await waitFor(() => rec.responses[0], 5_000, `response to interaction ${rec.id}`);
  return response;
}

const textOf = async (rec: InteractionRecord) => {
  const r = await answerOf(rec);
  expect(r.type).toBe(4);
  expect(r.data?.flags).toBe(64);
  return String(r.data?.content);
};

const status = (id: number) =>
  k.koe.db.$client
    .prepare(
      `SELECT status, assignee_id AS assignee, reason_id AS reason, reason_source AS source FROM inquiries WHERE id = ?`,
    )
    .get(id) as any;
const statusField = (m: StoredMessage) => m.embeds[0].fields.find((f: any) => f.name === 'Status')?.value;

describe('/koe on Discord', () => {
  it('gives a claim to exactly one of two members claiming at once, and edits the mirror', async () => {
    const { id, mirror } = await newInquiry('Two claimers');
    const a = w.fake.slash(w.inquiries.id, w.alice, 'koe', 'claim', { id });
    const b = w.fake.slash(w.inquiries.id, w.bob, 'koe', 'claim', { id });
    const answers = [await textOf(a), await textOf(b)];
    const winners = answers.filter((t) => t === `You claimed #${id}.`);
    expect(winners).toHaveLength(1);
    const loser = answers.find((t) => t !== `You claimed #${id}.`)!;
    const winner = answers[0] === winners[0] ? w.alice : w.bob;
    expect(loser).toBe(
      `#${id} is already claimed by <@${winner.user.id}> — ask them or use \`/koe assign ${id} @you\`.`,
    );
    expect(status(id)).toMatchObject({ status: 'claimed', assignee: `discord:${winner.user.id}` });
    // Answered once each (the fake, like Discord, refuses an answer that comes after 3 s), and
    // edited in place: claimed by the winner, Claim disabled.
    expect([a.responses.length, b.responses.length]).toEqual([1, 1]);
    await waitFor(() => statusField(mirror) === `Claimed · <@${winner.user.id}>`, 8_000, 'edited mirror');
    expect(mirror.components[0].components[0].disabled).toBe(true);
    expect(w.fake.messagesIn(w.inquiries.id).filter((m) => m.embeds[0]?.title?.startsWith(`#${id} `))).toHaveLength(1);
  });

  it('runs the lifecycle subcommands through the core, with the same words as Slack', async () => {
    const { id } = await newInquiry('Lifecycle');
    const say = (sub: string, opts: Record<string, any> = {}, who = w.alice) =>
      textOf(w.fake.slash(w.inquiries.id, who, 'koe', sub, opts));
    expect(await say('unclaim', { id })).toBe(`Nobody has claimed #${id}. \`/koe claim ${id}\` takes it.`);
    expect(await say('assign', { id, user: w.bob })).toBe(`#${id} is now assigned to <@${w.bob.user.id}>.`);
    expect(status(id)).toMatchObject({ status: 'claimed', assignee: `discord:${w.bob.user.id}` });
    expect(await say('reason', { id, reason: 'billing' })).toBe(`#${id}'s reason is now "Billing".`);
    expect(status(id)).toMatchObject({ reason: 'billing', source: 'human' });
    expect(await say('reason', { id, reason: 'nope' })).toMatch(/^There is no reason "nope"\. Valid reasons: `how_to`/);
    expect(await say('note', { id, text: 'Called the customer' })).toBe(`Internal note added to #${id}.`);
    expect(await say('resolve', { id, note: 'Refunded' })).toBe(`#${id} is resolved.`);
    expect(await say('resolve', { id })).toBe(
      `#${id} is already resolved. If it still needs work, \`/koe reopen ${id}\` brings it back.`,
    );
    expect(await say('reopen', { id })).toBe(`#${id} is open again.`);
    expect(await say('claim', { id: 999_999 })).toBe('There is no inquiry #999999. `/koe open` lists the open ones.');
    expect(await say('claim')).toBe('Which inquiry? `/koe claim [id]` (e.g. `/koe claim 12`)');
    const shown = await say('show', { id });
    expect(shown).toContain(`**#${id} Lifecycle**`);
    expect(shown).toContain('Lifecycle body');
    expect(shown).toContain('Called the customer');
    expect(await say('mine', {}, w.bob)).toContain(`• #${id} [Billing] Lifecycle`);
    expect(await say('stats', { period: '7d' })).toMatch(/^\*\*Last 7 days\*\*\nReceived \d+ · resolved \d+/);
    expect(await say('help')).toContain('`/koe assign <id> <@user>`');
  });

  it('takes the inquiry from the mirror thread when the id is left out', async () => {
    const { id } = await newInquiry('Thread claim');
    await k.api(`/api/v1/inquiries/${id}/messages`, {
      method: 'POST',
      json: { direction: 'inbound', body: 'more info' },
    });
    const mirrorRow = await waitFor(
      () =>
        k.koe.db.$client
          .prepare(`SELECT thread_ref FROM mirrors WHERE inquiry_id = ? AND destination = 'team'`)
          .get(id) as any,
    );
    const thread = await waitFor(() => w.fake.channel(mirrorRow.thread_ref), 8_000, 'thread');
    expect(await textOf(w.fake.slash(thread.id, w.alice, 'koe', 'claim'))).toBe(`You claimed #${id}.`);
  });

  it('refuses people who are not staff, clearly', async () => {
    const rec = w.fake.slash(w.help.id, w.carol, 'koe', 'open');
    expect(await textOf(rec)).toBe(
      `Only members of the team can do that in koe (it needs the <@&${w.staffRole}> role).`,
    );
    // Staff in the community server (role holders) may.
    expect(await textOf(w.fake.slash(w.help.id, w.alice, 'koe', 'help'))).toContain('How to use koe');
  });

  it('autocompletes inquiry ids (unresolved ones) and reason ids', async () => {
    const { id } = await newInquiry('Autocomplete me please');
    const ids = w.fake.slash(w.inquiries.id, w.alice, 'koe', 'claim', { id: String(id) }, 'id');
    const r = await answerOf(ids);
    expect(r.type).toBe(8);
    expect(r.data!.choices).toContainEqual({ name: `#${id} Autocomplete me please`, value: id });
    expect(r.data!.choices.length).toBeLessThanOrEqual(25);
    const reasons = await answerOf(
      w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reason', { id, reason: 'bill' }, 'reason'),
    );
    expect(reasons.data!.choices).toEqual([{ name: 'Billing (billing)', value: 'billing' }]);
  });

  it('shows what a customer wrote as written in /koe show and /koe open: no masked link, no mention', async () => {
    const PHISH = '[https://bank.example/login](https://evil.example/phish)';
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: {
        source: 'web',
        subject: `${PHISH} <@${w.bob.user.id}>`,
        body: `${PHISH}\n*urgent*\n# Heading <@${w.bob.user.id}>`,
        customer: { name: PHISH, email: '__x__@example.com' },
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await k.api(`/api/v1/inquiries/${id}/messages`, {
      method: 'POST',
      json: { direction: 'inbound', body: PHISH, author: { name: PHISH } },
    });
    const say = (sub: string, opts: Record<string, any> = {}) =>
      textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', sub, opts));
    const shown = await say('show', { id });
    expect(shown).toContain('evil.example/phish');
    expect(maskedLinks(shown)).toEqual([]);
    expect(shown).not.toContain(`<@${w.bob.user.id}>`);
    expect(shown).not.toMatch(/^\*\*urgent\*\*$/m);
    const open = await say('open');
    expect(open).toContain(`#${id} `);
    expect(maskedLinks(open)).toEqual([]);
  });

  it('shows the link in /koe show as an address that cannot close its <…>', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', subject: 'Link', body: 'see link', url: 'https://ok.example/>[x](https://evil.example)' },
    });
    const { id } = (await res.json()) as { id: number };
    const shown = await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'show', { id }));
    expect(shown).toContain('<https://ok.example/%3E%5Bx%5D%28https://evil.example%29>');
    expect(maskedLinks(shown)).toEqual([]);
  });

  it('handles a re-delivered interaction once', async () => {
    const { id } = await newInquiry('Redelivered');
    const rec = w.fake.slash(w.inquiries.id, w.alice, 'koe', 'claim', { id });
    await textOf(rec);
    // The same INTERACTION_CREATE again (as after a resume): koe must not answer or act twice.
    const before = w.fake.requestsTo('POST', new RegExp(`^/interactions/${rec.id}/`)).length;
    w.fake.redispatch('INTERACTION_CREATE', rec.payload);
    // A later interaction is answered, so the re-delivery before it has been seen and skipped.
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'help'));
    const events = k.koe.db.$client
      .prepare(`SELECT count(*) AS n FROM events WHERE inquiry_id = ? AND type = 'claimed'`)
      .get(id) as any;
    expect(events.n).toBe(1);
    expect(w.fake.requestsTo('POST', new RegExp(`^/interactions/${rec.id}/`)).length).toBe(before);
  });
});

describe('mirror buttons and the reason select', () => {
  it('claim, resolve and reopen through the buttons, and set the reason through the select', async () => {
    const { id, mirror } = await newInquiry('Buttons');
    expect(await textOf(w.fake.click(mirror, w.alice, `koe:claim:${id}`))).toBe(`You claimed #${id}.`);
    expect(await textOf(w.fake.click(mirror, w.bob, `koe:claim:${id}`))).toContain(
      `already claimed by <@${w.alice.user.id}>`,
    );
    expect(await textOf(w.fake.select(mirror, w.bob, `koe:reason:${id}`, ['bug']))).toBe(
      `#${id}'s reason is now "Bug / outage".`,
    );
    expect(status(id)).toMatchObject({ reason: 'bug', source: 'human' });
    // The new reason routes it to #bugs as well.
    await waitFor(
      () => w.fake.messagesIn(w.bugs.id).find((m) => m.embeds[0]?.title === `#${id} Buttons`),
      8_000,
      'mirror in #bugs',
    );
    expect(await textOf(w.fake.click(mirror, w.bob, `koe:resolve:${id}`))).toBe(`#${id} is resolved.`);
    await waitFor(() => mirror.components[0]?.components[0]?.custom_id === `koe:reopen:${id}`, 8_000, 'Reopen button');
    const menu = mirror.components[1].components[0];
    expect(menu.options.find((o: any) => o.default)?.value).toBe('bug');
    expect(statusField(mirror)).toBe(`Resolved · <@${w.alice.user.id}>`);
    expect(await textOf(w.fake.click(mirror, w.alice, `koe:reopen:${id}`))).toBe(`#${id} is open again.`);
    expect(status(id).status).toBe('claimed');
  });
});

describe('"Record as customer inquiry"', () => {
  it('turns a message into an inquiry from its author, linked back to it, once', async () => {
    const target = w.fake.say(w.bugs.id, w.carol.user, 'Customer on the phone: export to CSV fails');
    const first = await textOf(w.fake.messageCommand('Record as customer inquiry', target, w.alice));
    const match = /^Recorded as inquiry #(\d+)\. (https:\/\/discord\.com\/channels\/\S+)$/.exec(first);
    expect(match).not.toBeNull();
    expect(match![2]).toBe(`https://discord.com/channels/${w.team.id}/${w.bugs.id}/${target.id}`);
    const row = k.koe.db.$client
      .prepare(`SELECT source, external_id, body, url FROM inquiries WHERE id = ?`)
      .get(Number(match![1])) as any;
    expect(row).toEqual({
      source: `discord:${w.bugs.id}`,
      external_id: target.id,
      body: target.content,
      url: match![2],
    });
    const recorder = k.koe.db.$client
      .prepare(`SELECT actor_id FROM events WHERE inquiry_id = ? AND type = 'created'`)
      .get(Number(match![1])) as any;
    expect(recorder.actor_id).toBe(`discord:${w.alice.user.id}`);
    expect(await textOf(w.fake.messageCommand('Record as customer inquiry', target, w.bob))).toBe(
      `That message is already inquiry #${match![1]}.`,
    );
  });
});
