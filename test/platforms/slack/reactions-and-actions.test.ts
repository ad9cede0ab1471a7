import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../../src/platforms/slack/render.ts';
import { RECORD_SHORTCUT } from '../../../src/platforms/slack/listeners/shortcuts.ts';
import { interaction } from '../../fakes/slack/slack-requests.ts';
import { ALICE, BOB, CAROL, GUEST, mirroredInquiry, RANDOM, startSlackKoe, SUPPORT, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

describe('reactions, buttons, the reason select and the shortcut', () => {
  let k: SlackKoe;
  beforeAll(async () => {
    k = await startSlackKoe();
  });
  afterAll(async () => {
    await k.stop();
  });
  afterEach(() => {
    expect(k.fake.blockKitProblems).toEqual([]);
  });

  const mirror = (body: Record<string, unknown> = {}) => mirroredInquiry(k, body);
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();
  const react = (ts: string, user: string, reaction: string, type = 'reaction_added', eventId?: string) =>
    k.sendEvent(
      { type, user, reaction, item: { type: 'message', channel: SUPPORT, ts }, item_user: 'UKOEBOT' },
      { eventId },
    );
  const ephemeralsFor = (user: string) => k.fake.ephemerals.filter((e) => e.user === user);
  /** The mirror's latest chat.update, once there is one. */
  const latestUpdateOf = (ts: string) =>
    waitFor(() => k.fake.okCallsTo('chat.update').findLast((c) => c.params.ts === ts), 10_000, `an update of ${ts}`);

  it('records every reaction with who and when, and maps emoji to actions (raising_hand claims)', async () => {
    const { id, ts } = await mirror();
    expect((await react(ts, BOB, 'eyes')).response.status).toBe(200);
    expect((await react(ts, ALICE, 'raising_hand::skin-tone-3')).response.status).toBe(200);
    const d = await detail(id);
    expect(d.reactions.map((r: any) => [r.user.id, r.user.name, r.emoji, r.removedAt])).toEqual([
      [`slack:${BOB}`, 'Bob', 'eyes', null],
      [`slack:${ALICE}`, 'Alice', 'raising_hand', null],
    ]);
    expect(d.status).toBe('claimed');
    expect(d.assignee).toEqual({ id: `slack:${ALICE}`, name: 'Alice' });
    await k.drain();
    const update = await latestUpdateOf(ts);
    expect(JSON.stringify(update.params.blocks)).toContain(':raising_hand: 1');
  });

  it('looks a reacting user up once and keeps the name in user_directory', async () => {
    const { ts } = await mirror();
    const before = k.fake.callsTo('users.info').filter((c) => c.params.user === CAROL).length;
    await react(ts, CAROL, 'eyes');
    await react(ts, CAROL, 'bug');
    await react(ts, CAROL, 'eyes', 'reaction_removed');
    const after = k.fake.callsTo('users.info').filter((c) => c.params.user === CAROL).length;
    expect(after - before).toBeLessThanOrEqual(1);
    expect(after).toBe(1);
    const { userDirectory } = await import('../../../src/storage/schema/index.ts');
    const rows = k.koe.db.select().from(userDirectory).all();
    expect(rows.find((r) => r.userId === CAROL)).toMatchObject({ platform: 'slack', name: 'Carol' });
  });

  it('records a retried reaction event once', async () => {
    const { id, ts } = await mirror();
    const eventId = `EvRETRY${id}`;
    await react(ts, BOB, 'bulb', 'reaction_added', eventId);
    await react(ts, BOB, 'bulb', 'reaction_added', eventId);
    const d = await detail(id);
    expect(d.reactions).toHaveLength(1);
    expect(d.events.filter((e: any) => e.type === 'reacted' || e.type === 'reason_set')).toHaveLength(2);
    expect(d.reason).toBe('feature_request');
  });

  it('marks a removed reaction as removed', async () => {
    const { id, ts } = await mirror();
    await react(ts, CAROL, 'eyes');
    await react(ts, CAROL, 'eyes', 'reaction_removed');
    const [r] = (await detail(id)).reactions;
    expect(r.emoji).toBe('eyes');
    expect(r.removedAt).not.toBeNull();
  });

  it('tells the reactor privately when the mapped action is refused', async () => {
    const { id, ts } = await mirror();
    await k.command(`claim ${id}`, ALICE);
    await react(ts, BOB, 'raising_hand');
    const told = await waitFor(() => ephemeralsFor(BOB).find((e) => e.text.includes(`#${id}`)), 5_000, 'ephemeral');
    expect(told.channel).toBe(SUPPORT);
    expect(told.text).toContain(`is already claimed by <@${ALICE}>`);
    expect((await detail(id)).reactions.map((r: any) => r.user.id)).toContain(`slack:${BOB}`);
  });

  it('claims, resolves and reopens with the buttons, and updates the mirror each time', async () => {
    const { id, ts } = await mirror();
    const click = (action_id: string, userId = ALICE) =>
      k.click({
        userId,
        channel: SUPPORT,
        messageTs: ts,
        action: { type: 'button', action_id, value: String(id), text: { type: 'plain_text', text: 'x' } },
      });
    expect((await click(ACTION_IDS.claim)).status).toBe(200);
    expect((await detail(id)).assignee.id).toBe(`slack:${ALICE}`);
    expect((await click(ACTION_IDS.claim, BOB)).status).toBe(200);
    await waitFor(
      () => ephemeralsFor(BOB).find((e) => e.text.includes(`#${id} is already claimed`)),
      5_000,
      'refusal to Bob',
    );
    expect((await click(ACTION_IDS.resolve)).status).toBe(200);
    expect((await detail(id)).status).toBe('resolved');
    await k.drain();
    const resolved = await latestUpdateOf(ts);
    const buttons = resolved.params.blocks.find((b: any) => b.type === 'actions').elements.map((e: any) => e.action_id);
    expect(buttons).toContain(ACTION_IDS.reopen);
    expect((await click(ACTION_IDS.reopen)).status).toBe(200);
    expect((await detail(id)).status).toBe('claimed');
  });

  it('sets the reason from the select on the mirror', async () => {
    const { id, ts } = await mirror();
    const response = await k.click({
      userId: BOB,
      channel: SUPPORT,
      messageTs: ts,
      action: {
        type: 'static_select',
        action_id: ACTION_IDS.reason,
        selected_option: { text: { type: 'plain_text', text: 'Billing' }, value: 'billing' },
      },
    });
    expect(response.status).toBe(200);
    const d = await detail(id);
    expect([d.reason, d.reasonSource]).toEqual(['billing', 'human']);
  });

  it('ignores clicks from another organisation (shared channel)', async () => {
    const { id, ts } = await mirror();
    await k.click({
      userId: 'U0EXT',
      userTeamId: 'T0ACME',
      channel: SUPPORT,
      messageTs: ts,
      action: { type: 'button', action_id: ACTION_IDS.claim, value: String(id) },
    });
    expect((await detail(id)).status).toBe('open');
  });

  it('shows the full text as private pages when "show full text" is clicked', async () => {
    const { id, ts } = await mirror({ body: 'あ'.repeat(20_000) });
    await k.click({
      userId: CAROL,
      channel: SUPPORT,
      messageTs: ts,
      action: { type: 'button', action_id: ACTION_IDS.show, value: String(id) },
    });
    const pages = await waitFor(
      () => {
        const got = ephemeralsFor(CAROL).filter((e) => e.text.startsWith(`#${id} `));
        // Page texts read "#<id> <n>/<total>"; wait for the last one.
        return got.some((e) => /^#\d+ (\d+)\/\1$/.test(e.text)) ? got : null;
      },
      5_000,
      'all pages',
    );
    expect(pages.length).toBeGreaterThan(1);
    const body = pages
      .flatMap((p) => p.blocks)
      .filter((b: any) => b.type === 'section' && b.text.type === 'plain_text')
      .map((b: any) => b.text.text)
      .join('');
    expect(body.length).toBe(20_000);
    expect(body === 'あ'.repeat(20_000)).toBe(true);
  });

  it('turns any message into an inquiry with 🎫, with a permalink and who recorded it; once', async () => {
    const message = k.fake.addMessage(RANDOM, {
      user: GUEST,
      text: 'Hi, our invoice for <https://acme.example/inv/7|November> is wrong &amp; late',
    });
    const event = {
      type: 'reaction_added',
      user: BOB,
      reaction: 'ticket',
      item: { type: 'message', channel: RANDOM, ts: message.ts },
      item_user: GUEST,
    };
    expect((await k.sendEvent(event)).response.status).toBe(200);
    expect((await k.sendEvent({ ...event, user: CAROL })).response.status).toBe(200); // a second 🎫: same inquiry
    const items = (await (await k.api('/api/v1/inquiries?limit=100')).json()).items.filter(
      (i: any) => i.source === `slack:${RANDOM}`,
    );
    expect(items).toHaveLength(1);
    const d = await detail(items[0].id);
    expect(d.body).toBe('Hi, our invoice for November (https://acme.example/inv/7) is wrong & late');
    expect(d.url).toBe(`https://koe-test.slack.com/archives/${RANDOM}/p${message.ts.replace('.', '')}`);
    expect(d.customer).toMatchObject({ id: GUEST, name: 'Guest Customer' });
    expect(d.events[0]).toMatchObject({ type: 'created', actor: { id: `slack:${BOB}` } });
    expect(d.receivedAt).toBe(new Date(Math.round(Number(message.ts) * 1000)).toISOString());
    await waitFor(
      () => ephemeralsFor(BOB).find((e) => e.text === `Recorded as inquiry #${d.id}.`),
      5_000,
      'confirmation',
    );
    await waitFor(
      () => ephemeralsFor(CAROL).find((e) => e.text === `That message is already inquiry #${d.id}.`),
      5_000,
      'already',
    );
    await k.drain();
    expect(
      k.fake.okCallsTo('chat.postMessage').filter((c) => c.params.metadata?.event_payload?.inquiry_id === d.id),
    ).toHaveLength(1);
  });

  it('records a message with the "Record as customer inquiry" shortcut and answers through response_url', async () => {
    const message = k.fake.addMessage('D0DM', { user: GUEST, text: 'Can I get a refund?' });
    const responseUrl = k.fake.responseUrl();
    const response = await k.send(
      interaction({
        type: 'message_action',
        callback_id: RECORD_SHORTCUT,
        trigger_id: '1.2.3',
        message_ts: message.ts,
        response_url: responseUrl,
        message: { type: 'message', user: GUEST, ts: message.ts, text: message.text },
        user: { id: ALICE, name: 'alice', team_id: k.fake.teamId },
        channel: { id: 'D0DM', name: 'directmessage' },
        team: { id: k.fake.teamId, domain: 'koe-test' },
        token: 'legacy',
        action_ts: '1.2',
      }),
    );
    expect(response.status).toBe(200);
    const answer = await waitFor(
      () => k.fake.responses.find((r) => r.path === new URL(responseUrl).pathname),
      5_000,
      'shortcut answer',
    );
    const id = Number(/#(\d+)/.exec(answer.body.text)?.[1]);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', text: `Recorded as inquiry #${id}.` });
    const d = await detail(id);
    expect(d).toMatchObject({
      source: 'slack:D0DM',
      externalId: message.ts,
      body: 'Can I get a refund?',
      reason: 'billing',
    });
    expect(d.events[0].actor.id).toBe(`slack:${ALICE}`);
  });
});
