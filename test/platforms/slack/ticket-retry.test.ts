import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/lib/logger.ts';
import { eventCallback } from '../../fakes/slack/slack-requests.ts';
import { ALICE, RANDOM, SUPPORT, startSlackKoe, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const STILL_RUNNING = 'slack: retry of an event still in progress; waiting for it';

/**
 * 🎫 on a message reads it from Slack (conversations.history), records it, and tells the person who
 * reacted (an ephemeral). Re-running that is not harmless further down: a retry handled beside the
 * first delivery would read the message again and tell them a second time ("already recorded").
 */
describe('a 🎫 reaction that Slack retries while koe is still handling it', () => {
  let k: SlackKoe | undefined;
  let letSlackAnswer = () => {};
  afterEach(async () => {
    letSlackAnswer();
    await k?.stop();
    k = undefined;
  });

  it.each([
    ['HTTP', 'X-Slack-Retry-Num'],
    ['Socket Mode', 'retry_attempt'],
  ])('over %s (%s): reads the message once, records one inquiry, and says so once', async (mode) => {
    const socket = mode === 'Socket Mode';
    // What koe logged, so the test can wait for what koe is doing rather than for time to pass.
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line).msg);
        done();
      },
    });
    k = await startSlackKoe({
      log: createLogger('debug', sink),
      ...(socket && { env: { SLACK_APP_TOKEN: 'xapp-fake-app-token', SLACK_SIGNING_SECRET: '' } }),
    });
    const koe = k;
    if (socket) await waitFor(() => koe.fake.socketCount() === 1, 5_000, 'the Socket Mode connection');

    const message = koe.fake.addMessage(RANDOM, { user: ALICE, text: 'A customer emailed me: the export is broken' });
    const { request } = eventCallback(
      {
        type: 'reaction_added',
        user: ALICE,
        reaction: 'ticket',
        item: { type: 'message', channel: RANDOM, ts: message.ts },
      },
      { teamId: koe.fake.teamId },
    );
    const deliver = (retryNum?: number) =>
      socket
        ? koe.fake.sendEnvelope({
            type: 'events_api',
            payload: JSON.parse(request.body),
            ...(retryNum && { retry_attempt: retryNum, retry_reason: 'timeout' }),
          })
        : koe.send(request, retryNum ? { retryNum, retryReason: 'http_timeout' } : {}).then((r) => {
            expect(r.status).toBe(200);
          });
    const history = () => koe.fake.callsTo('conversations.history').filter((c) => c.params.channel === RANDOM);

    // Slack holds its answer to the first read until the retry has reached koe.
    const slackMayAnswer = new Promise<void>((r) => (letSlackAnswer = r));
    koe.fake.fail('conversations.history', { kind: 'held', until: slackMayAnswer });
    const first = deliver();
    await waitFor(() => history().length === 1, 5_000, 'the first delivery reading the message');
    const retry = deliver(1);
    // The retry has reached koe: it either waits for the first delivery, or (wrongly) reads the message itself.
    await waitFor(() => logged.includes(STILL_RUNNING) || history().length > 1, 5_000, 'the retry reaching koe');
    letSlackAnswer();
    await Promise.all([first, retry]);
    await k.restart(); // stopping waits for everything koe started, the confirmation among it

    expect(history()).toHaveLength(1);
    const inquiries = (await (await k.api('/api/v1/inquiries?limit=50')).json()).items;
    expect(inquiries.filter((i: any) => i.source === `slack:${RANDOM}`)).toMatchObject([{ externalId: message.ts }]);
    const confirmations = k.fake.callsTo('chat.postEphemeral');
    expect(confirmations.map((c) => [c.params.channel, c.params.user])).toEqual([[RANDOM, ALICE]]);
    expect(confirmations[0]!.params.text).toContain(`#${inquiries[0].id}`);
    await k.drain();
    expect(k.fake.okCallsTo('chat.postMessage').filter((c) => c.params.channel === SUPPORT)).toHaveLength(1);
  });
});
