import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPLY_MAX } from '../../../src/core/actions.ts';
import { REPLY_ACTIONS, SEND_TO_CUSTOMER_SHORTCUT } from '../../../src/platforms/slack/listeners/replies.ts';
import { MANIFEST_PATH } from '../../../src/platforms/slack/manifest.ts';
import {
  confirmView,
  decodeViewState,
  REPLY_INPUT,
  REPLY_VIEWS,
  replyFormView,
} from '../../../src/platforms/slack/reply-modals.ts';
import { wordsFor } from '../../../src/platforms/words/index.ts';
import { deliveries, events, inquiries, messages } from '../../../src/storage/schema/index.ts';
import { modalProblems } from '../../fakes/slack/block-kit.ts';
import type { OpenedView } from '../../fakes/slack/fake-slack.ts';
import { messageShortcut, viewSubmission } from '../../fakes/slack/slack-requests.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import {
  ALICE,
  BOB,
  CUSTOMER,
  CUSTOMERS,
  DEFAULT_YAML,
  GUEST,
  intake,
  postInSource,
  RANDOM,
  type SlackKoe,
  SUPPORT,
  startSlackKoe,
} from './harness.ts';

/**
 * Replying to a customer from Slack, through the real Bolt app against the fake Slack: the mirror's
 * "Reply to customer" button and its modal, the "Send to customer" shortcut on a note and its
 * confirmation, Undo and Retry on a reply's line, and `/koe reply` / `@koe reply`. Every way is for
 * staff only, says where the reply goes before it is queued, and queues exactly one reply.
 */

const en = wordsFor('en');
const TRY_AGAIN =
  'koe could not confirm just now that you are a member of the team, so it did nothing. Try again in a moment.';
const NOT_STAFF = 'Only members of the team can do that in koe.';
/** A Slack Connect customer whose display name is markup. */
const HOSTILE = 'U0HOSTILE';
const HOSTILE_NAME = '<!here> *Boss* & <@U0ALICE>';

/** The undo window is long here, so a queued reply never leaves while a test looks at it. */
const YAML = `${DEFAULT_YAML}replies:\n  undoSeconds: 600\n`;

describe('Slack: replying to a customer', () => {
  let k: SlackKoe;
  let seq = 0;
  beforeAll(async () => {
    k = await startSlackKoe({ yaml: YAML });
    k.fake.addUser({
      id: HOSTILE,
      name: 'hostile',
      team_id: 'T0ACME',
      is_stranger: true,
      profile: { display_name: HOSTILE_NAME },
    });
  });
  afterAll(async () => {
    await k.stop();
  });
  afterEach(() => {
    k.fake.endOutage();
    expect(k.fake.blockKitProblems).toEqual([]);
  });

  /** The mirror of inquiry `id` in #support. */
  const mirrorOf = (id: number) =>
    waitFor(
      () =>
        k.fake
          .okCallsTo('chat.postMessage')
          .find(
            (c) =>
              c.params.channel === SUPPORT &&
              !c.params.thread_ts &&
              c.params.metadata?.event_payload?.inquiry_id === id,
          ),
      10_000,
      'the mirror',
    );
  /**
   * A new customer's post in #customers (which has a way back), mirrored into #support. Each is a
   * new Slack Connect customer: a second post by the same one within minutes joins their inquiry.
   */
  async function sourceInquiry(customer?: string) {
    const author = customer ?? `U0CUST${++seq}`;
    if (!customer)
      k.fake.addUser({
        id: author,
        name: `cust${seq}`,
        team_id: 'T0ACME',
        is_stranger: true,
        profile: { display_name: 'Acme Customer' },
      });
    const stored = await postInSource(k, author, `Question ${++seq}: the app will not open`);
    const id = await waitFor(
      () => k.koe.db.select().from(inquiries).where(eq(inquiries.externalId, stored.ts)).get()?.id,
      10_000,
      'the inquiry',
    );
    const mirror = await mirrorOf(id);
    return { id, ts: mirror.response!.ts as string, customerTs: stored.ts, blocks: mirror.params.blocks as any[] };
  }
  const repliesOf = (id: number) =>
    k.koe.db
      .select()
      .from(messages)
      .where(and(eq(messages.inquiryId, id), isNotNull(messages.replyState)))
      .all();
  const replyRows = (id: number) =>
    k.koe.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.inquiryId, id), eq(deliveries.kind, 'reply')))
      .all();
  /** What koe posted in the customers' channel: a reply reaching a customer. */
  const postsToCustomers = () =>
    k.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === CUSTOMERS);
  const ephemeralTo = (user: string, text: string) =>
    waitFor(() => k.fake.ephemerals.find((e) => e.user === user && e.text === text), 5_000, `"${text}" to ${user}`);
  const clickReply = (o: { userId: string; ts: string; value: string; userTeamId?: string }) =>
    k.click({
      userId: o.userId,
      channel: SUPPORT,
      messageTs: o.ts,
      ...(o.userTeamId && { userTeamId: o.userTeamId }),
      action: { type: 'button', action_id: REPLY_ACTIONS.open, value: o.value },
    });
  /** Clicks "Reply to customer" as `userId` and returns the modal koe opened. */
  async function openForm(userId: string, inquiry: { id: number; ts: string }): Promise<OpenedView> {
    const before = k.fake.views.length;
    expect((await clickReply({ userId, ts: inquiry.ts, value: String(inquiry.id) })).status).toBe(200);
    return waitFor(() => k.fake.views[before], 5_000, 'the reply form');
  }
  /** Submits a modal as `userId` with `text` in the reply field; resolves with Slack's view of koe's answer. */
  async function submit(view: Record<string, any>, userId: string, text?: string, userTeamId?: string) {
    const values: Record<string, Record<string, { type: string; value: string | null }>> = text === undefined
      ? {}
      : { [REPLY_INPUT.block]: { [REPLY_INPUT.action]: { type: 'plain_text_input', value: text } } };
    const response = await k.send(viewSubmission({ teamId: k.fake.teamId, userId, userTeamId, view, values }));
    expect(response.status).toBe(200);
    const raw = await response.text();
    return raw === '' ? null : (JSON.parse(raw) as Record<string, any>);
  }
  /** The button with `actionId` in a message koe posted or edited, as drawn. */
  const buttonIn = (blocks: any[] | undefined, actionId: string) =>
    (blocks ?? [])
      .flatMap((b: any) => (b.type === 'actions' ? b.elements : []))
      .find((e: any) => e.action_id === actionId);
  const contextText = (view: OpenedView['view']) =>
    view.blocks
      .filter((b: any) => b.type === 'context')
      .flatMap((b: any) => b.elements.map((e: any) => e.text))
      .join('\n');

  describe('the "Reply to customer" button and its form', () => {
    it('opens an empty form within the modal limits that says where the reply goes, the name escaped', async () => {
      const inquiry = await sourceInquiry(HOSTILE);
      const { view, triggerId } = await openForm(ALICE, inquiry);
      const click = k.fake.callsTo('views.open').at(-1)!;
      expect(click.params.trigger_id).toBe(triggerId);

      expect(modalProblems(view)).toEqual([]);
      expect(view.title.text.length).toBeLessThanOrEqual(24);
      expect(view.submit.text.length).toBeLessThanOrEqual(24);
      expect(view.close.text.length).toBeLessThanOrEqual(24);
      expect([view.title.text, view.submit.text, view.close.text]).toEqual([
        en.replies.replyToCustomer,
        en.replies.submit,
        en.replies.cancel,
      ]);
      expect(view.private_metadata.length).toBeLessThanOrEqual(3000);
      expect(decodeViewState(view.private_metadata)).toMatchObject({ inquiryId: inquiry.id });
      expect(view.callback_id).toBe(REPLY_VIEWS.form);

      const inputs = view.blocks.filter((b: any) => b.type === 'input');
      expect(inputs).toHaveLength(1);
      expect(inputs[0].element).toMatchObject({ type: 'plain_text_input', multiline: true, max_length: REPLY_MAX });
      expect(inputs[0].element.initial_value).toBeUndefined();

      // Where: the customer by name, in their thread in the source channel (a channel link).
      const where = contextText(view);
      expect(where).toContain(`<#${CUSTOMERS}>`);
      expect(where).toContain('&lt;!here&gt;');
      expect(where).not.toMatch(/<!here>|<@U0ALICE>|\*Boss\*/);
      expect(repliesOf(inquiry.id)).toEqual([]);
    });

    it('says privately to press the button again when Slack would not open the form (an expired trigger)', async () => {
      const inquiry = await sourceInquiry();
      k.fake.fail('views.open', { kind: 'error', error: 'expired_trigger_id' });
      expect((await clickReply({ userId: BOB, ts: inquiry.ts, value: String(inquiry.id) })).status).toBe(200);
      await ephemeralTo(BOB, en.replies.formFailed(en.replies.replyToCustomer));
      expect(repliesOf(inquiry.id)).toEqual([]);
    });

    it('queues exactly one reply on submit, closes the form, and tells the sender what was queued and where', async () => {
      const inquiry = await sourceInquiry();
      // The button as the mirror draws it carries what this side reads.
      expect(buttonIn(inquiry.blocks, REPLY_ACTIONS.open)).toMatchObject({ value: String(inquiry.id) });
      const { view } = await openForm(ALICE, inquiry);
      const answer = await submit(view, ALICE, 'We have fixed it. <Sorry> & thanks!\nHanako');
      expect(answer).toBeNull(); // an empty 200 closes the modal

      const replies = repliesOf(inquiry.id);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({
        direction: 'outbound',
        body: 'We have fixed it. <Sorry> & thanks!\nHanako',
        authorId: `slack:${ALICE}`,
        replyState: 'queued',
      });
      const rows = replyRows(inquiry.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ destination: `reply:slack:${CUSTOMERS}`, status: 'pending' });

      const told = await waitFor(
        () =>
          k.fake.ephemerals.find(
            (e) => e.user === ALICE && String(e.text).startsWith(`Reply to #${inquiry.id} queued`),
          ),
        5_000,
        'the confirmation',
      );
      expect(told.channel).toBe(SUPPORT);
      expect(told.text).toContain(`Acme Customer, in their thread in <#${CUSTOMERS}>`);
      expect(postsToCustomers()).toEqual([]);
    });

    it('refuses a blank reply on its field and queues nothing', async () => {
      const inquiry = await sourceInquiry();
      const { view } = await openForm(BOB, inquiry);
      for (const blank of ['   \n\t ', '']) {
        const answer = await submit(view, BOB, blank);
        expect(answer).toEqual({ response_action: 'errors', errors: { [REPLY_INPUT.block]: en.replies.blank } });
      }
      expect(repliesOf(inquiry.id)).toEqual([]);
      expect(replyRows(inquiry.id)).toEqual([]);
    });

    it('says privately that there is no way back instead of opening a form, and refuses such a submission', async () => {
      const created = await intake(k, { reason: 'how_to' }); // an API source without a reply webhook
      const webMirror = await mirrorOf(created.id);
      const web = { id: created.id as number, ts: webMirror.response!.ts as string };
      expect(buttonIn(webMirror.params.blocks, REPLY_ACTIONS.open)).toBeUndefined();
      const before = k.fake.views.length;
      await clickReply({ userId: ALICE, ts: web.ts, value: String(web.id) });
      const told = await waitFor(
        () =>
          k.fake.ephemerals.find(
            (e) => e.user === ALICE && String(e.text).startsWith(`koe cannot send a reply to #${web.id}`),
          ),
        5_000,
        'the no-way-back sentence',
      );
      expect(told.channel).toBe(SUPPORT);
      expect(k.fake.views.length).toBe(before);

      // A form opened earlier (or crafted) for that inquiry: the sentence appears on its field.
      const answer = await submit(
        { type: 'modal', callback_id: REPLY_VIEWS.form, private_metadata: `${web.id}|${SUPPORT}|`, blocks: [] },
        ALICE,
        'hello',
      );
      expect(answer?.response_action).toBe('errors');
      expect(answer?.errors[REPLY_INPUT.block]).toMatch(new RegExp(`^koe cannot send a reply to #${web.id}`));
      expect(repliesOf(web.id)).toEqual([]);
    });

    it('refuses a guest, a member of another workspace and someone it cannot tell, and queues nothing', async () => {
      const inquiry = await sourceInquiry();
      const before = k.fake.views.length;
      await clickReply({ userId: GUEST, ts: inquiry.ts, value: String(inquiry.id) });
      await ephemeralTo(GUEST, NOT_STAFF);
      expect(k.fake.views.length).toBe(before);

      const { view } = await openForm(ALICE, inquiry);
      expect((await submit(view, GUEST, 'from a guest'))?.errors).toEqual({ [REPLY_INPUT.block]: NOT_STAFF });
      expect((await submit(view, ALICE, 'from Acme', 'T0ACME'))?.errors).toEqual({ [REPLY_INPUT.block]: NOT_STAFF });

      const stranger = `U0NEWREPLY${++seq}`;
      k.fake.addUser({ id: stranger, name: 'new', profile: { display_name: 'New' } });
      k.fake.startOutage([{ kind: 'http', status: 503 }], ['users.info']);
      expect((await submit(view, stranger, 'who am I'))?.errors).toEqual({ [REPLY_INPUT.block]: TRY_AGAIN });
      await clickReply({ userId: stranger, ts: inquiry.ts, value: String(inquiry.id) });
      await ephemeralTo(stranger, TRY_AGAIN);
      expect(k.fake.views.length).toBe(before + 1);
      expect(repliesOf(inquiry.id)).toEqual([]);
      expect(replyRows(inquiry.id)).toEqual([]);
    });
  });

  describe('"Send to customer" on a note', () => {
    const shortcut = (userId: string, channel: string, message: Record<string, unknown> & { ts: string }) => {
      const responseUrl = k.fake.responseUrl();
      const request = messageShortcut({
        teamId: k.fake.teamId,
        callbackId: SEND_TO_CUSTOMER_SHORTCUT,
        userId,
        channel,
        message,
        responseUrl,
      });
      return { responseUrl, sent: k.send(request) };
    };
    const answerAt = (responseUrl: string) =>
      waitFor(
        () => k.fake.responses.find((r) => r.path === new URL(responseUrl).pathname),
        5_000,
        'the shortcut answer',
      );

    it('confirms the note as the customer will get it, and where, and queues it only on submit', async () => {
      const inquiry = await sourceInquiry();
      const note = k.fake.addMessage(SUPPORT, {
        user: BOB,
        text: 'Fixed &lt;today&gt; &amp; tested by <@U0CAROL|carol>. *Thanks*',
        thread_ts: inquiry.ts,
      });
      const before = k.fake.views.length;
      const { sent } = shortcut(ALICE, SUPPORT, { user: BOB, ts: note.ts, thread_ts: inquiry.ts, text: note.text });
      expect((await sent).status).toBe(200);
      const { view } = await waitFor(() => k.fake.views[before], 5_000, 'the confirmation');

      expect(modalProblems(view)).toEqual([]);
      expect(view.callback_id).toBe(REPLY_VIEWS.confirm);
      expect(view.title.text).toBe(en.replies.sendToCustomer);
      const expected = 'Fixed <today> & tested by @carol. *Thanks*';
      const shown = view.blocks.filter((b: any) => b.type === 'section' && b.text.type === 'plain_text');
      expect(shown.map((b: any) => b.text)).toEqual([{ type: 'plain_text', text: expected, emoji: false }]);
      expect(contextText(view)).toContain(`<#${CUSTOMERS}>`);
      expect(repliesOf(inquiry.id)).toEqual([]); // nothing yet

      expect(await submit(view, ALICE)).toBeNull();
      const replies = repliesOf(inquiry.id);
      expect(replies.map((r) => [r.body, r.replyState, r.authorId])).toEqual([[expected, 'queued', `slack:${ALICE}`]]);
      expect(replyRows(inquiry.id)).toHaveLength(1);
      const told = await waitFor(
        () =>
          k.fake.ephemerals.find(
            (e) => e.user === ALICE && String(e.text).startsWith(`Reply to #${inquiry.id} queued`),
          ),
        5_000,
        'the confirmation',
      );
      expect([told.channel, told.thread_ts]).toEqual([SUPPORT, inquiry.ts]);
      expect(postsToCustomers()).toEqual([]);
    });

    it('refuses, privately, a message outside a mirror’s thread, koe’s own posts and the customer’s message', async () => {
      const inquiry = await sourceInquiry();
      const elsewhere = k.fake.addMessage(RANDOM, { user: BOB, text: 'lunch?' });
      const koeLine = k.fake.addMessage(SUPPORT, {
        user: k.fake.botUserId,
        bot_id: k.fake.botId,
        text: 'line',
        thread_ts: inquiry.ts,
      });
      const connect = k.fake.addMessage(SUPPORT, { user: CUSTOMER, text: 'send me', thread_ts: inquiry.ts });
      const inSource = await postInSource(k, CUSTOMER, 'a customer post');
      const before = k.fake.views.length;
      const cases: Array<[string, Record<string, unknown> & { ts: string }, string]> = [
        [RANDOM, { user: BOB, ts: elsewhere.ts, text: 'lunch?' }, en.replies.notInMirrorThread],
        [CUSTOMERS, { user: CUSTOMER, ts: inSource.ts, text: 'a customer post' }, en.replies.notInMirrorThread],
        [
          SUPPORT,
          { user: k.fake.botUserId, bot_id: k.fake.botId, ts: inquiry.ts, text: 'mirror' },
          en.replies.koesOwnPost,
        ],
        [
          SUPPORT,
          { user: k.fake.botUserId, bot_id: k.fake.botId, ts: koeLine.ts, thread_ts: inquiry.ts, text: 'line' },
          en.replies.koesOwnPost,
        ],
        [
          SUPPORT,
          { user: CUSTOMER, ts: connect.ts, thread_ts: inquiry.ts, text: 'send me' },
          en.replies.customersMessage,
        ],
      ];
      for (const [channel, message, sentence] of cases) {
        const { responseUrl, sent } = shortcut(ALICE, channel, message);
        expect((await sent).status).toBe(200);
        expect((await answerAt(responseUrl)).body).toMatchObject({ response_type: 'ephemeral', text: sentence });
      }
      const { responseUrl, sent } = shortcut(GUEST, SUPPORT, {
        user: BOB,
        ts: connect.ts,
        thread_ts: inquiry.ts,
        text: 'x',
      });
      await sent;
      expect((await answerAt(responseUrl)).body.text).toBe(NOT_STAFF);
      expect(k.fake.views.length).toBe(before);
      expect(repliesOf(inquiry.id)).toEqual([]);
    });
  });

  describe('`/koe reply`, `@koe reply`, and Undo', () => {
    const mention = (text: string, threadTs: string, user = BOB) =>
      k.sendEvent({
        type: 'app_mention',
        user,
        text: `<@${k.fake.botUserId}> ${text}`,
        channel: SUPPORT,
        ts: `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`,
        thread_ts: threadTs,
      });

    it('`/koe reply` says what was queued and where; Undo in the window leaves it undone and sends nothing', async () => {
      const inquiry = await sourceInquiry();
      const response = await k.command(`reply ${inquiry.id} Thanks &amp; see you`, ALICE);
      const said = (await response.json()) as { text: string };
      expect(said.text).toMatch(
        new RegExp(
          `^Reply to #${inquiry.id} queued for Acme Customer, in their thread in <#${CUSTOMERS}>\\. It leaves at `,
        ),
      );
      const [reply] = repliesOf(inquiry.id);
      expect([reply!.body, reply!.replyState]).toEqual(['Thanks & see you', 'queued']);

      // The reply's line in the mirror's thread, with its Undo as drawn.
      const line = await waitFor(
        () =>
          k.fake
            .okCallsTo('chat.postMessage')
            .find(
              (c) =>
                c.params.channel === SUPPORT &&
                c.params.thread_ts === inquiry.ts &&
                buttonIn(c.params.blocks, REPLY_ACTIONS.undo),
            ),
        10_000,
        'the reply line with Undo',
      );
      const button = buttonIn(line.params.blocks, REPLY_ACTIONS.undo);
      expect(button.value).toBe(`${inquiry.id}:${reply!.id}`);
      const undo = () =>
        k.click({
          userId: BOB,
          channel: SUPPORT,
          messageTs: line.response!.ts,
          threadTs: inquiry.ts,
          action: { type: 'button', action_id: button.action_id, value: button.value },
        });
      expect((await undo()).status).toBe(200);
      const told = await ephemeralTo(BOB, en.replies.undone(inquiry.id));
      expect([told.channel, told.thread_ts]).toEqual([SUPPORT, inquiry.ts]);
      expect(repliesOf(inquiry.id)[0]!.replyState).toBe('undone');
      expect(replyRows(inquiry.id).map((r) => r.status)).toEqual(['cancelled']);
      // Everything else koe had to deliver for it (the thread line and its edit) went out first.
      await waitFor(
        () =>
          k.koe.db
            .select()
            .from(deliveries)
            .where(eq(deliveries.inquiryId, inquiry.id))
            .all()
            .every((r) => r.status === 'done' || r.status === 'cancelled'),
        10_000,
        'the outbox to settle',
      );
      expect(postsToCustomers()).toEqual([]);

      await undo();
      await waitFor(
        () =>
          k.fake.ephemerals.find(
            (e) => e.user === BOB && String(e.text).startsWith(`The reply to #${inquiry.id} can no longer be undone`),
          ),
        5_000,
        'too late',
      );
    });

    it('`@koe reply <text>` in a mirror’s thread queues for that inquiry; with its own number too, but not another', async () => {
      const inquiry = await sourceInquiry();
      expect((await mention('reply Thanks &lt;3', inquiry.ts)).response.status).toBe(200);
      await waitFor(() => repliesOf(inquiry.id).length === 1, 5_000, 'the first reply');
      expect((await mention(`reply ${inquiry.id} Second one`, inquiry.ts)).response.status).toBe(200);
      await waitFor(() => repliesOf(inquiry.id).length === 2, 5_000, 'the second reply');
      expect(repliesOf(inquiry.id).map((r) => [r.body, r.authorId, r.replyState])).toEqual([
        ['Thanks <3', `slack:${BOB}`, 'queued'],
        ['Second one', `slack:${BOB}`, 'queued'],
      ]);
      const told = await waitFor(
        () =>
          k.fake.ephemerals.find((e) => e.user === BOB && String(e.text).startsWith(`Reply to #${inquiry.id} queued`)),
        5_000,
        'the answer',
      );
      expect(told.thread_ts).toBe(inquiry.ts);

      const other = await sourceInquiry();
      await mention(`reply ${other.id} 3 apples`, inquiry.ts);
      await ephemeralTo(BOB, en.replies.otherInquiryInThread({ thread: inquiry.id, given: other.id }));
      expect(repliesOf(other.id)).toEqual([]);
      expect(repliesOf(inquiry.id)).toHaveLength(2);

      await mention('reply not staff', inquiry.ts, GUEST);
      expect(repliesOf(inquiry.id)).toHaveLength(2);
    });
  });
});

describe('Slack: Retry on a failed reply', () => {
  let k: SlackKoe;
  let hook: Server;
  let accept = false;
  const received: string[] = [];
  beforeAll(async () => {
    // The customer's side of an API source: refuses (404) until told to accept.
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(body);
        res.writeHead(accept ? 200 : 404).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/koe`;
    k = await startSlackKoe({
      yaml: `${DEFAULT_YAML}replies:\n  undoSeconds: 0\n  webhooks:\n    - source: web\n      url: ${url}\n`,
      env: { KOE_WEBHOOK_SECRET: 'test-webhook-secret-0123456789abcdef' },
    });
  });
  afterAll(async () => {
    await k.stop();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('requeues the failed reply and says so; a reply that has not failed is not retried', async () => {
    const inquiry = await intake(k, { reason: 'how_to' });
    await k.drain();
    const mirror = await waitFor(
      () =>
        k.fake
          .okCallsTo('chat.postMessage')
          .find(
            (c) =>
              c.params.channel === SUPPORT &&
              !c.params.thread_ts &&
              c.params.metadata?.event_payload?.inquiry_id === inquiry.id,
          ),
      10_000,
      'the mirror',
    );
    await k.command(`reply ${inquiry.id} Your refund is on its way`, ALICE);
    const failed = await waitFor(
      () =>
        k.koe.db
          .select()
          .from(messages)
          .where(and(eq(messages.inquiryId, inquiry.id), eq(messages.replyState, 'failed')))
          .get(),
      10_000,
      'the reply to fail',
    );
    const outcomes = () =>
      k.koe.db
        .select()
        .from(events)
        .where(eq(events.inquiryId, inquiry.id))
        .all()
        .filter((e) => ['reply_failed', 'reply_sent', 'reply_retried'].includes(e.type))
        .map((e) => e.type);
    expect(outcomes()).toEqual(['reply_failed']);

    accept = true;
    // The reply's line in the mirror's thread, edited to show the failure with Retry, as drawn.
    const retryIn = (blocks: any[] | undefined) =>
      (blocks ?? [])
        .flatMap((b: any) => (b.type === 'actions' ? b.elements : []))
        .find((e: any) => e.action_id === REPLY_ACTIONS.retry);
    const edit = await waitFor(
      () => k.fake.okCallsTo('chat.update').find((c) => c.params.channel === SUPPORT && retryIn(c.params.blocks)),
      10_000,
      'the failed line with Retry',
    );
    const button = retryIn(edit.params.blocks);
    expect(button.value).toBe(`${inquiry.id}:${failed.id}`);
    const retry = () =>
      k.click({
        userId: ALICE,
        channel: SUPPORT,
        messageTs: edit.params.ts,
        threadTs: mirror.response!.ts,
        action: { type: 'button', action_id: button.action_id, value: button.value },
      });
    expect((await retry()).status).toBe(200);
    await waitFor(
      () => k.fake.ephemerals.find((e) => e.user === ALICE && e.text === wordsFor('en').replies.retried(inquiry.id)),
      5_000,
      'retried',
    );
    // Requeued and attempted again: the receiver took it this time.
    await waitFor(() => outcomes().length === 3, 10_000, 'the retried attempt');
    expect(outcomes()).toEqual(['reply_failed', 'reply_retried', 'reply_sent']);
    expect(received).toHaveLength(2);
    expect(k.koe.db.select().from(messages).where(eq(messages.id, failed.id)).get()!.replyState).toBe('sent');
    await retry();
    await waitFor(
      () =>
        k.fake.ephemerals.find(
          (e) => e.user === ALICE && String(e.text).includes('has not failed, so there is nothing to retry'),
        ),
      5_000,
      'not failed',
    );
    expect(received).toHaveLength(2);
  });
});

describe('the reply modals, drawn', () => {
  it('answers the buttons and the shortcut the renderer and the manifest name', () => {
    expect(REPLY_ACTIONS).toEqual({ open: 'koe_reply_open', undo: 'koe_reply_undo', retry: 'koe_reply_retry' });
    expect(SEND_TO_CUSTOMER_SHORTCUT).toBe('koe_send_to_customer');
    const manifest = parse(readFileSync(MANIFEST_PATH, 'utf8'));
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: 'message', callback_id: SEND_TO_CUSTOMER_SHORTCUT }),
    );
  });

  it('stay within the modal limits in both locales, with a full-length note of quotes and newlines', () => {
    const text = '"\\\n'.repeat(REPLY_MAX / 4).slice(0, REPLY_MAX - 1);
    const where = 'x'.repeat(400);
    for (const locale of ['en', 'ja'] as const) {
      const state = { inquiryId: 123_456_789, channel: 'C0123456789', threadTs: '1700000000.123456' };
      const inquiry = { id: 123_456_789, subject: '*'.repeat(5_000) };
      const form = replyFormView(locale, { where, inquiry, state });
      const confirm = confirmView(locale, { where, inquiry, state: { ...state, text } });
      expect(modalProblems(form)).toEqual([]);
      expect(modalProblems(confirm)).toEqual([]);
      expect(confirm.private_metadata!.length).toBeLessThanOrEqual(3000);
      expect(decodeViewState(confirm.private_metadata)).toEqual({ ...state, text });
      expect(decodeViewState(form.private_metadata)).toEqual(state);
    }
    expect(decodeViewState('12|C1|1.2|extra')).toBeNull();
    expect(decodeViewState('0||')).toBeNull();
    expect(decodeViewState('abc')).toBeNull();
  });
});
