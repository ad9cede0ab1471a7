import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ALICE,
  CUSTOMER,
  CUSTOMERS,
  GUEST,
  messageEvent,
  OTHER_BOT,
  postInSource,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

describe('Slack channels as intake', () => {
  let k: SlackKoe;
  beforeEach(async () => {
    k = await startSlackKoe();
  });
  afterEach(async () => {
    expect(k.fake.blockKitProblems).toEqual([]);
    await k.stop();
  });

  /** A message posted in the fake channel, then delivered to koe as Slack would (message event). */
  const post = (user: string, text: string, extra: Parameters<typeof postInSource>[3] = {}) =>
    postInSource(k, user, text, extra);
  const inquiries = async () =>
    (await (await k.api('/api/v1/inquiries?limit=100')).json()).items.filter(
      (i: any) => i.source === `slack:${CUSTOMERS}`,
    );
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();

  it('turns a customer top-level message into one inquiry, even when the event is retried, and mirrors it', async () => {
    const stored = await post(CUSTOMER, 'Our invoices show the wrong tax rate', { eventId: 'EvCUST1' });
    await k.sendEvent(messageEvent(CUSTOMERS, CUSTOMER, stored), {
      eventId: 'EvCUST1',
      sign: { retryNum: 1, retryReason: 'http_timeout' },
    });
    // Same message again under another event id (e.g. Slack re-sent it): idempotent on the message ts.
    await k.sendEvent(messageEvent(CUSTOMERS, CUSTOMER, stored));
    const list = await inquiries();
    expect(list).toHaveLength(1);
    const d = await detail(list[0].id);
    expect(d).toMatchObject({
      externalId: stored.ts,
      body: 'Our invoices show the wrong tax rate',
      customer: { id: CUSTOMER, name: 'Acme Customer' },
      url: `https://koe-test.slack.com/archives/${CUSTOMERS}/p${stored.ts.replace('.', '')}`,
    });
    await k.drain();
    const mirror = k.fake
      .okCallsTo('chat.postMessage')
      .filter((c) => c.params.metadata?.event_payload?.inquiry_id === d.id);
    expect(mirror.map((m) => m.params.channel)).toEqual([SUPPORT]);
    expect(JSON.stringify(mirror[0]!.params.blocks)).toContain(`<@${CUSTOMER}>`);
  });

  it('joins top-level messages from the same customer within the window into one inquiry', async () => {
    await post(GUEST, 'Hello');
    await post(GUEST, 'I cannot find the export button');
    const list = await inquiries();
    expect(list).toHaveLength(1);
    const d = await detail(list[0].id);
    expect(d.body).toBe('Hello');
    expect(d.messages.map((m: any) => [m.direction, m.body])).toEqual([['inbound', 'I cannot find the export button']]);
  });

  it('takes in the same joined message once, however often Slack sends it', async () => {
    await post(GUEST, 'Hello');
    const second = await post(GUEST, 'I cannot find the export button');
    // Slack re-sends it under a new event id: it already joined the inquiry, nothing is added.
    const { response } = await k.sendEvent(messageEvent(CUSTOMERS, GUEST, second));
    expect(response.status).toBe(200); // handled, not failed (a failure would make Slack retry it)
    const [inquiry] = await inquiries();
    expect((await detail(inquiry.id)).messages.map((m: any) => m.body)).toEqual(['I cannot find the export button']);
  });

  it('reads back on start what was posted while koe was away: customers become inquiries, staff posts do not, nothing twice', async () => {
    const first = await post(CUSTOMER, 'Our invoices show the wrong tax rate');
    // Posted while koe misses them: Slack gave up retrying the events.
    const guestQuestion = k.fake.addMessage(CUSTOMERS, { user: GUEST, text: 'I cannot log in' });
    k.fake.addMessage(CUSTOMERS, { user: ALICE, text: '(team: someone look at the login issue?)' });
    const guestMore = k.fake.addMessage(CUSTOMERS, { user: GUEST, text: 'It says my password expired' });
    await k.restart();

    const list = await waitFor(
      async () => ((await inquiries()).length === 2 ? inquiries() : null),
      5_000,
      'inquiries read back',
    );
    const byExternal = new Map(list.map((i: any) => [i.externalId, i]));
    expect([...byExternal.keys()].sort()).toEqual([first.ts, guestQuestion.ts].sort());
    const guest = await detail((byExternal.get(guestQuestion.ts) as any).id);
    expect(guest).toMatchObject({
      body: 'I cannot log in',
      customer: { id: GUEST },
      receivedAt: new Date(Number(guestQuestion.ts) * 1000).toISOString(),
    });
    expect(guest.messages.map((m: any) => [m.direction, m.body])).toEqual([['inbound', guestMore.text]]);

    await k.restart(); // read back again from the newest: nothing new, nothing twice
    expect((await inquiries()).length).toBe(2);
    expect((await detail(guest.id)).messages).toHaveLength(1);
  });

  it('starts even when a source channel cannot be read back, and reads it soon after from where koe had left off', async () => {
    await post(CUSTOMER, 'Our invoices show the wrong tax rate');
    const missed = k.fake.addMessage(CUSTOMERS, { user: GUEST, text: 'I cannot log in' });
    k.fake.fail('conversations.history', { kind: 'rate_limited', retryAfterSec: 1 });
    await k.restart({ options: { slack: { paceMs: 0, readBackRetry: { delaysMs: [300] } } } }); // starts all the same
    expect((await inquiries()).map((i: any) => i.externalId)).not.toContain(missed.ts);
    // A live message moves the channel's cursor past the missed one meanwhile…
    k.fake.addUser({ id: 'U0LIVE', name: 'live', is_restricted: true, profile: { display_name: 'Another Guest' } });
    const live = await post('U0LIVE', 'Hi, quick question about plans');
    // …and the retry still reads from where koe had left off.
    await waitFor(
      async () => ((await inquiries()).some((i: any) => i.externalId === missed.ts) ? true : null),
      5_000,
      'the missed post read back',
    );
    expect((await inquiries()).filter((i: any) => i.externalId === live.ts)).toHaveLength(1);
  });

  it('records thread replies: customer follow-ups inbound, staff replies outbound with first-response time', async () => {
    const top = await post(CUSTOMER, 'Is the API down?');
    const [inquiry] = await inquiries();
    await post(CUSTOMER, 'It returns 502 for us', { thread_ts: top.ts });
    const reply = await post(ALICE, 'Looking into it now', { thread_ts: top.ts });
    // The same reply delivered again under a new event id adds nothing (the message ts is its key).
    await k.sendEvent(messageEvent(CUSTOMERS, ALICE, reply, { thread_ts: top.ts }));
    const d = await detail(inquiry.id);
    expect(d.messages.map((m: any) => [m.direction, m.author?.id, m.body])).toEqual([
      ['inbound', `slack:${CUSTOMER}`, 'It returns 502 for us'],
      ['outbound', `slack:${ALICE}`, 'Looking into it now'],
    ]);
    expect(d.firstResponseAt).toBe(new Date(Math.round(Number(reply.ts) * 1000)).toISOString());
    // Both went into the mirror's thread.
    await k.drain();
    const mirrorTs = (
      await waitFor(
        () =>
          k.fake
            .okCallsTo('chat.postMessage')
            .find((c) => c.params.metadata?.event_payload?.inquiry_id === inquiry.id && !c.params.thread_ts),
        5_000,
        'mirror',
      )
    ).response!.ts;
    await waitFor(() => k.fake.replies(SUPPORT, mirrorTs).length === 2, 5_000, 'two thread posts');
  });

  it('ignores staff top-level posts, other bots, koe itself, edits and channels that are not sources', async () => {
    await post(ALICE, 'Maintenance tonight at 22:00');
    await post(OTHER_BOT, 'Deploy finished', { bot_id: 'B0OTHER' });
    await post(k.fake.botUserId, 'koe talking', { bot_id: k.fake.botId });
    await post(CUSTOMER, 'edited text', { subtype: 'message_changed' });
    const elsewhere = k.fake.addMessage('C0ELSEWHERE', { user: CUSTOMER, text: 'not a source' });
    await k.sendEvent(messageEvent('C0ELSEWHERE', CUSTOMER, elsewhere));
    expect(await inquiries()).toEqual([]);
    expect((await (await k.api('/api/v1/inquiries?limit=100')).json()).items).toEqual([]);
  });

  it('opens a separate inquiry once the join window has passed', async () => {
    await k.restart({
      yaml: `locale: en\ndestinations:\n  - name: support\n    platform: slack\n    channel: ${SUPPORT}\nsources:\n  - platform: slack\n    channel: ${CUSTOMERS}\n    joinWindowMinutes: 0\n`,
    });
    await post(GUEST, 'First question');
    await post(GUEST, 'Unrelated second question');
    expect(await inquiries()).toHaveLength(2);
  });
});
