import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../../src/platforms/slack/render.ts';
import { RECORD_SHORTCUT } from '../../../src/platforms/slack/listeners/shortcuts.ts';
import { interaction, slashCommand } from '../../fakes/slack/slack-requests.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import {
  ALICE,
  CUSTOMER,
  CUSTOMERS,
  GUEST,
  mirroredInquiry,
  postInSource,
  RANDOM,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';

/**
 * Who counts as staff on Slack, decided one way at every entry point (slash commands, @koe, buttons,
 * the select, the shortcut, reactions), and failing closed: when Slack cannot describe a user, the
 * request's own workspace and what koe stored about them decide, and when that is not enough koe
 * refuses (asking to try again) or has Slack deliver the event again. Never does not knowing make
 * someone staff.
 */

const TRY_AGAIN =
  'koe could not confirm just now that you are a member of the team, so it did nothing. Try again in a moment.';
const NOT_STAFF = 'Only members of the team can do that in koe.';

describe('the Slack staff check', () => {
  let k: SlackKoe;
  let seq = 0;
  beforeAll(async () => {
    k = await startSlackKoe();
  });
  afterAll(async () => {
    await k.stop();
  });
  afterEach(() => {
    k.fake.endOutage();
    expect(k.fake.blockKitProblems).toEqual([]);
  });

  /** A person koe has never looked up: a full member of the staff workspace unless `flags` say otherwise. */
  const newPerson = (flags: Record<string, unknown> = {}) => {
    const id = `U0NEW${++seq}`;
    k.fake.addUser({ id, name: `new${seq}`, profile: { display_name: `New ${seq}` }, ...flags });
    return id;
  };
  /** users.info answers 503 until the test ends. */
  const slackCannotDescribeUsers = () => k.fake.startOutage([{ kind: 'http', status: 503 }], ['users.info']);
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();
  const said = async (response: Response) => {
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; blocks: any[] };
    return { text: body.blocks.map((b) => b.text?.text ?? '').join('\n'), raw: JSON.stringify(body) };
  };
  const react = (ts: string, user: string, reaction: string, eventId?: string) =>
    k.sendEvent(
      { type: 'reaction_added', user, reaction, item: { type: 'message', channel: SUPPORT, ts } },
      { eventId },
    );
  const click = (o: { userId: string; ts: string; id: number; userTeamId?: string; actionId?: string }) =>
    k.click({
      userId: o.userId,
      channel: SUPPORT,
      messageTs: o.ts,
      ...(o.userTeamId && { userTeamId: o.userTeamId }),
      action: { type: 'button', action_id: o.actionId ?? ACTION_IDS.claim, value: String(o.id) },
    });
  const ephemeralTo = (user: string, text: string) =>
    waitFor(() => k.fake.ephemerals.find((e) => e.user === user && e.text === text), 5_000, `"${text}" to ${user}`);

  describe('reactions', () => {
    it('ignores a Slack Connect user’s ✅ and 🙋 on a mirror: nothing resolved, claimed or recorded', async () => {
      const { id, ts } = await mirroredInquiry(k);
      expect((await react(ts, CUSTOMER, 'white_check_mark')).response.status).toBe(200);
      expect((await react(ts, CUSTOMER, 'raising_hand')).response.status).toBe(200);
      expect((await react(ts, GUEST, 'white_check_mark')).response.status).toBe(200);
      const d = await detail(id);
      expect([d.status, d.assignee, d.reactions]).toEqual(['open', null, []]);
      // A member's reaction still works.
      await react(ts, ALICE, 'white_check_mark');
      expect((await detail(id)).status).toBe('resolved');
    });

    it('answers 500 (so Slack retries) while it cannot tell who reacted, and acts on the retry once it can', async () => {
      const { id, ts } = await mirroredInquiry(k);
      const member = newPerson();
      slackCannotDescribeUsers();
      const eventId = `EvSTAFF${id}`;
      expect((await react(ts, member, 'white_check_mark', eventId)).response.status).toBe(500);
      expect((await detail(id)).status).toBe('open');
      k.fake.endOutage();
      const retry = await k.sendEvent(
        {
          type: 'reaction_added',
          user: member,
          reaction: 'white_check_mark',
          item: { type: 'message', channel: SUPPORT, ts },
        },
        { eventId, sign: { retryNum: 1, retryReason: 'http_error' } },
      );
      expect(retry.response.status).toBe(200);
      expect((await detail(id)).status).toBe('resolved');
    });

    it('records no 🎫 by a Slack Connect user, nor by a guest it cannot tell while users.info fails', async () => {
      const message = k.fake.addMessage(RANDOM, { user: CUSTOMER, text: 'please open a ticket for me' });
      const ticket = (user: string) => ({
        type: 'reaction_added',
        user,
        reaction: 'ticket',
        item: { type: 'message', channel: RANDOM, ts: message.ts },
      });
      expect((await k.sendEvent(ticket(CUSTOMER))).response.status).toBe(200);
      const guest = newPerson({ is_restricted: true });
      slackCannotDescribeUsers();
      expect((await k.sendEvent(ticket(guest))).response.status).toBe(500);
      const list = (await (await k.api('/api/v1/inquiries?limit=200')).json()).items as Array<{ externalId: string }>;
      expect(list.filter((i) => i.externalId === message.ts)).toEqual([]);
    });
  });

  describe('/koe', () => {
    it('refuses a guest’s /koe show while users.info answers 5xx, with the try-again sentence, revealing nothing', async () => {
      const { id } = await mirroredInquiry(k, { subject: 'Secret refund for ACME', body: 'card ending 4242' });
      const guest = newPerson({ is_restricted: true });
      slackCannotDescribeUsers();
      const answer = await said(await k.command(`show ${id}`, guest));
      expect(answer.text).toBe(TRY_AGAIN);
      expect(answer.raw).not.toMatch(/Secret refund|4242|ACME/);
      // The same with a workspace of its own in the payload: an outsider, said as such.
      const connect = await said(
        await k.send(
          slashCommand({
            text: `show ${id}`,
            userId: 'U0EXTERNAL',
            teamId: 'T0ACME',
            responseUrl: k.fake.responseUrl(),
          }),
        ),
      );
      expect(connect.text).toBe(NOT_STAFF);
      expect(connect.raw).not.toMatch(/Secret refund|4242/);
    });

    it('still runs a member’s command while users.info fails, from what koe stored about them, even after a restart', async () => {
      const { id } = await mirroredInquiry(k);
      const member = newPerson();
      expect((await said(await k.command('mine', member))).text).toBe('You hold no inquiries.');
      await k.restart(); // nothing in memory: only the stored directory knows them
      slackCannotDescribeUsers();
      expect((await said(await k.command(`claim ${id}`, member))).text).toBe(`You claimed #${id}.`);
      expect((await detail(id)).assignee).toEqual({ id: `slack:${member}`, name: `New ${seq}` });
      // Someone koe stored as a guest stays a guest while Slack does not answer.
      k.fake.endOutage();
      const guest = newPerson({ is_restricted: true });
      expect((await said(await k.command('mine', guest))).text).toBe(NOT_STAFF);
      await k.restart();
      slackCannotDescribeUsers();
      expect((await said(await k.command(`resolve ${id}`, guest))).text).toBe(NOT_STAFF);
      expect((await detail(id)).status).toBe('claimed');
    });

    it('asks a member koe never looked up to try again while users.info fails (it cannot tell them from a guest)', async () => {
      const { id } = await mirroredInquiry(k);
      slackCannotDescribeUsers();
      expect((await said(await k.command(`claim ${id}`, newPerson()))).text).toBe(TRY_AGAIN);
      expect((await detail(id)).status).toBe('open');
    });

    it('does not take @koe commands from a guest while users.info fails, and says to try again', async () => {
      const { id, ts } = await mirroredInquiry(k);
      const guest = newPerson({ is_restricted: true });
      slackCannotDescribeUsers();
      const mention = await k.sendEvent({
        type: 'app_mention',
        user: guest,
        text: `<@${k.fake.botUserId}> resolve`,
        channel: SUPPORT,
        ts: `${Math.floor(Date.now() / 1000)}.000900`,
        thread_ts: ts,
      });
      expect(mention.response.status).toBe(200);
      await ephemeralTo(guest, TRY_AGAIN);
      expect((await detail(id)).status).toBe('open');
    });
  });

  describe('buttons, the select and the shortcut', () => {
    it('refuses a guest’s click, though the guest is in the staff workspace', async () => {
      const { id, ts } = await mirroredInquiry(k);
      expect((await click({ userId: GUEST, ts, id })).status).toBe(200);
      await ephemeralTo(GUEST, NOT_STAFF);
      expect((await detail(id)).status).toBe('open');
    });

    it('refuses a click by someone it cannot tell while users.info fails, and one from another workspace', async () => {
      const { id, ts } = await mirroredInquiry(k);
      const unknown = newPerson();
      slackCannotDescribeUsers();
      await click({ userId: unknown, ts, id, actionId: ACTION_IDS.resolve });
      await ephemeralTo(unknown, TRY_AGAIN);
      await click({ userId: ALICE, ts, id, userTeamId: 'T0ACME' });
      await ephemeralTo(ALICE, NOT_STAFF);
      const select = await k.click({
        userId: unknown,
        channel: SUPPORT,
        messageTs: ts,
        action: { type: 'static_select', action_id: ACTION_IDS.reason, selected_option: { value: 'billing' } },
      });
      expect(select.status).toBe(200);
      await waitFor(
        () => k.fake.ephemerals.filter((e) => e.user === unknown && e.text === TRY_AGAIN).length === 2,
        5_000,
        'the select refused too',
      );
      const d = await detail(id);
      expect([d.status, d.reason]).toEqual(['open', 'how_to']);
    });

    it('answers the shortcut with the try-again sentence and records nothing while it cannot tell who used it', async () => {
      const unknown = newPerson();
      const message = k.fake.addMessage(CUSTOMERS, { user: CUSTOMER, text: 'record me' });
      slackCannotDescribeUsers();
      const responseUrl = k.fake.responseUrl();
      const response = await k.send(
        interaction({
          type: 'message_action',
          callback_id: RECORD_SHORTCUT,
          trigger_id: '1.2.3',
          message_ts: message.ts,
          response_url: responseUrl,
          message: { type: 'message', user: CUSTOMER, ts: message.ts, text: message.text },
          user: { id: unknown, name: 'unknown', team_id: k.fake.teamId },
          channel: { id: CUSTOMERS, name: 'customers' },
          team: { id: k.fake.teamId, domain: 'koe-test' },
        }),
      );
      expect(response.status).toBe(200);
      const answer = await waitFor(
        () => k.fake.responses.find((r) => r.path === new URL(responseUrl).pathname),
        5_000,
        'the shortcut answer',
      );
      expect(answer.body.text).toBe(TRY_AGAIN);
      const list = (await (await k.api('/api/v1/inquiries?limit=200')).json()).items as Array<{ externalId: string }>;
      expect(list.filter((i) => i.externalId === message.ts)).toEqual([]);
    });
  });

  it('takes in a known customer’s post from what koe stored while users.info fails', async () => {
    const customer = newPerson({ team_id: 'T0ACME', is_stranger: true });
    const first = await postInSource(k, customer, 'first question');
    await k.restart();
    slackCannotDescribeUsers();
    await postInSource(k, customer, 'second question', { eventId: `EvLATER${seq}` });
    const list = (await (await k.api('/api/v1/inquiries?limit=200')).json()).items as Array<{
      id: number;
      externalId: string;
    }>;
    const inquiry = list.find((i) => i.externalId === first.ts)!;
    // Taken in as the customer's (it joined their inquiry), not refused for want of a profile.
    expect((await detail(inquiry.id)).messages.map((m: any) => [m.direction, m.body])).toEqual([
      ['inbound', 'second question'],
    ]);
  });
});
