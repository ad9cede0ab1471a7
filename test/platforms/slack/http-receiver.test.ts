import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import type { App } from '@slack/bolt';
import type { InboundLedger } from '../../../src/core/ports/inbound-ledger.ts';
import { createLogger, silentLogger } from '../../../src/lib/logger.ts';
import { SlackDispatcher } from '../../../src/platforms/slack/receiver.ts';
import { inboundEvents } from '../../../src/storage/schema/index.ts';
import { eventCallback } from '../../fakes/slack/slack-requests.ts';
import {
  ALICE,
  inboundEventKeys,
  messageEvent,
  mirroredInquiry,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** A promise the test settles itself: what a held fake answer waits for. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('Slack HTTP receiver (POST /slack/events)', () => {
  let k: SlackKoe;
  // What koe logged (debug and up), so a test can wait for what koe is doing instead of for time.
  let logLines: Array<Record<string, any>>;
  beforeEach(async () => {
    logLines = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(l));
        done();
      },
    });
    k = await startSlackKoe({ log: createLogger('debug', sink) });
  });
  afterEach(async () => {
    await k.stop();
  });

  const mirror = () => mirroredInquiry(k);
  const reaction = (ts: string, reaction = 'raising_hand') => ({
    type: 'reaction_added',
    user: ALICE,
    reaction,
    item: { type: 'message', channel: SUPPORT, ts },
    item_user: 'UKOEBOT',
  });
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();

  it('answers the url_verification challenge', async () => {
    const response = await k.send({
      contentType: 'application/json',
      body: JSON.stringify({ token: 't', challenge: 'c-123', type: 'url_verification' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses a forged signature with 401 and does nothing', async () => {
    const { id, ts } = await mirror();
    const { request } = eventCallback(reaction(ts), { teamId: k.fake.teamId });
    const forged = `v0=${createHmac('sha256', 'not-the-secret')
      .update(`v0:${Math.floor(Date.now() / 1000)}:${request.body}`)
      .digest('hex')}`;
    expect((await k.send(request, { signature: forged })).status).toBe(401);
    expect((await k.send(request, { signature: 'v0=' })).status).toBe(401);
    const challenge = {
      contentType: 'application/json',
      body: JSON.stringify({ challenge: 'x', type: 'url_verification' }),
    };
    expect((await k.send(challenge, { secret: 'wrong' })).status).toBe(401);
    const claimed = await k.command(`claim ${id}`, ALICE).then((r) => r.status);
    expect(claimed).toBe(200); // the same path works when signed properly
    const d = await detail(id);
    expect(d.reactions).toEqual([]);
    expect(d.events.filter((e: any) => e.type === 'reacted')).toEqual([]);
  });

  it.each([
    ['six minutes old', -360],
    ['six minutes in the future', +360],
  ])('refuses a correctly signed request whose timestamp is %s with 401', async (_label, offsetSec) => {
    const { id, ts } = await mirror();
    const { request } = eventCallback(reaction(ts), { teamId: k.fake.teamId });
    const response = await k.send(request, { timestamp: Math.floor(Date.now() / 1000) + offsetSec });
    expect(response.status).toBe(401);
    expect((await detail(id)).reactions).toEqual([]);
    expect(k.koe.db.select().from(inboundEvents).all()).toEqual([]);
  });

  it('records a reaction once when Slack retries the event, even after a restart', async () => {
    const { id, ts } = await mirror();
    const { request, eventId } = eventCallback(reaction(ts, 'eyes'), { teamId: k.fake.teamId });
    expect((await k.send(request)).status).toBe(200);
    expect((await k.send(request, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await k.restart();
    expect((await k.send(request, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    const d = await detail(id);
    expect(d.reactions.map((r: any) => [r.user.id, r.emoji])).toEqual([[`slack:${ALICE}`, 'eyes']]);
    expect(d.events.filter((e: any) => e.type === 'reacted')).toHaveLength(1);
    expect(inboundEventKeys(k)).toEqual([`slack:${eventId}`]);
  });

  it('does not replay a retried reaction_added after the reaction was removed (dedupe by event_id)', async () => {
    const { id, ts } = await mirror();
    const added = eventCallback(reaction(ts, 'eyes'), { teamId: k.fake.teamId });
    expect((await k.send(added.request)).status).toBe(200);
    expect((await k.sendEvent({ ...reaction(ts, 'eyes'), type: 'reaction_removed' })).response.status).toBe(200);
    await k.restart();
    // Slack retries the first delivery (its ack was lost in transit): it must not bring the reaction back.
    expect((await k.send(added.request, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    const d = await detail(id);
    expect(d.reactions).toHaveLength(1);
    expect(d.reactions[0].removedAt).not.toBeNull();
  });

  it('stores the event id before answering, so an acknowledged event is recorded', async () => {
    const { ts } = await mirror();
    const { eventId, response } = await k.sendEvent(reaction(ts, 'eyes'));
    expect(response.status).toBe(200);
    // No waiting: by the time Slack has its 200, the key is committed.
    expect(inboundEventKeys(k)).toContain(`slack:${eventId}`);
  });

  it('handles a retry that arrives while the first delivery is still running only once', async () => {
    const { id, ts } = await mirror();
    const slack = gate();
    k.fake.fail('users.info', { kind: 'held', until: slack.promise }); // the first delivery waits on Slack
    const { request } = eventCallback(
      { ...reaction(ts, 'raising_hand'), user: 'U0NEWSTAFF' },
      { teamId: k.fake.teamId },
    );
    k.fake.addUser({ id: 'U0NEWSTAFF', name: 'newstaff' });
    try {
      const first = k.send(request);
      // Mid-flight, by condition: koe has asked Slack who U0NEWSTAFF is, and has no answer yet.
      const lookup = await waitFor(
        () => k.fake.callsTo('users.info').find((c) => c.params.user === 'U0NEWSTAFF'),
        5_000,
        'the first delivery asking users.info',
      );
      const retry = k.send(request, { retryNum: 1, retryReason: 'http_timeout' });
      await waitFor(
        () => logLines.some((l) => l.msg === 'slack: retry of an event still in progress; waiting for it'),
        5_000,
        'the retry to find the first delivery still running',
      );
      expect(lookup.response).toBeNull(); // still held: the retry really came while the first was running
      slack.open();
      const [a, b] = await Promise.all([first, retry]);
      expect([a.status, b.status]).toEqual([200, 200]);
    } finally {
      slack.open();
    }
    const d = await detail(id);
    expect(d.events.filter((e: any) => e.type === 'reacted')).toHaveLength(1);
    expect(d.events.filter((e: any) => e.type === 'claimed')).toHaveLength(1);
    expect(d.assignee.id).toBe('slack:U0NEWSTAFF');
  });

  it('answers 500 when handling fails, so Slack retries, and the retry is handled', async () => {
    // A customer message whose author cannot be looked up: koe will not guess staff or customer.
    k.fake.addUser({ id: 'U0NEWCUST', name: 'newcust', team_id: 'T0ACME', is_stranger: true });
    k.fake.fail('users.info', { kind: 'http', status: 503 });
    const message = k.fake.addMessage('C0CUSTOMERS', { user: 'U0NEWCUST', text: 'Hello, is anyone there?' });
    const { request } = eventCallback(messageEvent('C0CUSTOMERS', 'U0NEWCUST', message), { teamId: k.fake.teamId });
    expect((await k.send(request)).status).toBe(500);
    expect(k.koe.db.select().from(inboundEvents).all()).toEqual([]);
    expect((await k.send(request, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
    const list = await (await k.api('/api/v1/inquiries?limit=50')).json();
    expect(list.items.filter((i: any) => i.source === 'slack:C0CUSTOMERS')).toHaveLength(1);
  });

  it('acknowledges slow work before it finishes, and finishes it after the ack', async () => {
    // 🎫 on a message makes koe fetch it from Slack; Slack holds that answer until the test lets go.
    const message = k.fake.addMessage('C0RANDOM', { user: ALICE, text: 'A customer emailed me: the export is broken' });
    const slack = gate();
    k.fake.fail('conversations.history', { kind: 'held', until: slack.promise });
    const handled = (eventId: string) => inboundEventKeys(k).includes(`slack:${eventId}`);
    let eventId: string;
    try {
      // Ordering, not time: the 200 comes back while Slack's answer is still held, so the work
      // cannot have finished (were the ack waiting for it, this would never resolve).
      const sent = await k.sendEvent({
        type: 'reaction_added',
        user: ALICE,
        reaction: 'ticket',
        item: { type: 'message', channel: 'C0RANDOM', ts: message.ts },
        item_user: ALICE,
      });
      eventId = sent.eventId;
      expect(sent.response.status).toBe(200);
      expect(handled(eventId)).toBe(false);
    } finally {
      slack.open();
    }
    // The work goes on after the ack: the inquiry appears, and only then is the event recorded as handled.
    await waitFor(() => handled(eventId), 5_000, 'event recorded');
    const items = (await (await k.api('/api/v1/inquiries?limit=50')).json()).items;
    expect(items.filter((i: any) => i.source === 'slack:C0RANDOM' && i.externalId === message.ts)).toHaveLength(1);
  });

  it('refuses an unparseable but signed body with 400', async () => {
    expect((await k.send({ contentType: 'application/json', body: '{not json' })).status).toBe(400);
  });
});

describe('the ack deadline (fake clock)', () => {
  // Slack's documented limit for answering an event; a literal here, not src's own constant.
  const SLACK_ACK_LIMIT_MS = 3_000;

  it('answers an event whose handling never ends before Slack’s 3 seconds are up, and not at once', async () => {
    vi.useFakeTimers();
    try {
      const keys = new Set<string>();
      const ledger: InboundLedger = {
        has: (key) => keys.has(key),
        claim: (key) => !keys.has(key) && Boolean(keys.add(key)),
        release: (key) => void keys.delete(key),
        prune: () => 0,
      };
      const dispatcher = new SlackDispatcher({ ledger, log: silentLogger(), now: () => Date.now() });
      dispatcher.attach({ processEvent: () => new Promise<void>(() => {}) } as unknown as App);
      dispatcher.ready();
      let answer: unknown;
      void dispatcher
        .dispatch({ type: 'event_callback', event_id: 'Ev1', event: { type: 'reaction_added' } }, {})
        .then((a) => (answer = a));
      await vi.advanceTimersByTimeAsync(0);
      expect(answer).toBeUndefined(); // it waits for the work first, so the event is recorded before the ack
      await vi.advanceTimersByTimeAsync(SLACK_ACK_LIMIT_MS - 1);
      expect(answer).toEqual({ kind: 'ack' });
      expect(keys.size).toBe(0); // acknowledged, not recorded: the work has not finished
    } finally {
      vi.useRealTimers();
    }
  });
});
