import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InboundLedger } from '../../../src/core/ports/inbound-ledger.ts';
import { silentLogger } from '../../../src/lib/logger.ts';
import {
  envelopeProblem,
  FetchReceiver,
  isPayloadError,
  parseSlackBody,
  SlackDispatcher,
} from '../../../src/platforms/slack/receiver.ts';
import { signSlackRequest } from '../../../src/platforms/slack/verify-signature.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * The Slack receiver's pieces on their own, with a stand-in Bolt app and ledger: what each payload
 * is answered, when, and what is recorded. (http-receiver.test.ts runs them against the fake Slack.)
 */

/** A promise the test settles itself. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

function memoryLedger() {
  const keys = new Set<string>();
  const pruned: Array<[string, number]> = [];
  const ledger: InboundLedger = {
    has: (key) => keys.has(key),
    claim: (key) => {
      if (keys.has(key)) return false;
      keys.add(key);
      return true;
    },
    release: (key) => void keys.delete(key),
    prune: (prefix, keepMs) => {
      pruned.push([prefix, keepMs]);
      return 0;
    },
  };
  return { ledger, keys, pruned };
}

type ProcessEvent = (event: {
  body: Record<string, unknown>;
  ack: (payload?: unknown) => Promise<void>;
}) => Promise<void>;

function dispatcherWith(processEvent: ProcessEvent, ackBudgetMs = 60_000) {
  const { ledger, keys, pruned } = memoryLedger();
  const calls: Array<Record<string, unknown>> = [];
  const app = {
    processEvent: (event: Parameters<ProcessEvent>[0] & Record<string, unknown>) => {
      calls.push(event);
      return processEvent(event);
    },
  } as unknown as App;
  const dispatcher = new SlackDispatcher({ ledger, log: silentLogger(), now: Date.now, ackBudgetMs });
  dispatcher.attach(app);
  dispatcher.ready();
  return { dispatcher, keys, pruned, calls };
}

const event = (id = 'Ev1') => ({ type: 'event_callback', event_id: id, event: { type: 'reaction_added' } });
const command = { command: '/koe', text: 'list' };

describe('envelopeProblem', () => {
  it.each([
    [{ type: 'event_callback', event: { type: 'message' } }, 'an event callback without an event_id'],
    [{ type: 'event_callback', event_id: '', event: { type: 'message' } }, 'an event callback without an event_id'],
    [{ type: 'event_callback', event_id: 7, event: { type: 'message' } }, 'an event callback without an event_id'],
    [{ type: 'event_callback', event_id: 'Ev1' }, 'an event callback without an event'],
    [{ type: 'event_callback', event_id: 'Ev1', event: 'message' }, 'an event callback without an event'],
    [{ type: 'event_callback', event_id: 'Ev1', event: { type: 3 } }, 'an event callback without an event'],
    [{ text: 'hello' }, 'neither an event, a slash command nor an interaction'],
    [{ command: 5, type: 5 }, 'neither an event, a slash command nor an interaction'],
  ])('%j: %s', (body, problem) => {
    expect(envelopeProblem(body)).toBe(problem);
  });

  it.each([[event()], [command], [{ type: 'block_actions' }]])('%j is sound', (body) => {
    expect(envelopeProblem(body)).toBeNull();
  });
});

describe('isPayloadError', () => {
  const withCause = new TypeError('fetch failed', { cause: new Error('ECONNRESET') });
  it.each([
    ['a TypeError', new TypeError('x is not a function'), true],
    ['a RangeError', new RangeError('bad length'), true],
    ['a SyntaxError', new SyntaxError('bad JSON'), true],
    ['a URIError', new URIError('bad escape'), true],
    ['a plain Error', new Error('database is locked'), false],
    ['a network TypeError (with a cause)', withCause, false],
    ['a Web API error (coded)', Object.assign(new TypeError('x'), { code: 'slack_webapi_platform_error' }), false],
    ['nothing', null, false],
    [
      'Bolt’s unknown error around a TypeError',
      { code: 'slack_bolt_unknown_error', original: new TypeError('x') },
      true,
    ],
    ['Bolt’s unknown error around an Error', { code: 'slack_bolt_unknown_error', original: new Error('x') }, false],
    [
      'several listeners’ payload errors',
      { code: 'slack_bolt_multiple_listener_error', originals: [new TypeError('a'), new RangeError('b')] },
      true,
    ],
    [
      'several listeners’ errors, one of them not the payload’s',
      { code: 'slack_bolt_multiple_listener_error', originals: [new TypeError('a'), new Error('b')] },
      false,
    ],
    ['several listeners’ errors, none given', { code: 'slack_bolt_multiple_listener_error', originals: [] }, false],
    ['several listeners’ errors, not a list', { code: 'slack_bolt_multiple_listener_error', originals: 'x' }, false],
  ])('%s: %s', (_what, error, expected) => {
    expect(isPayloadError(error)).toBe(expected);
  });
});

describe('parseSlackBody', () => {
  const form = 'application/x-www-form-urlencoded; charset=utf-8';
  it('reads JSON events and refuses JSON that is not an object', () => {
    expect(parseSlackBody('{"type":"event_callback"}', 'application/json')).toEqual({ type: 'event_callback' });
    expect(() => parseSlackBody('[1]', 'application/json')).toThrow(SyntaxError);
    expect(() => parseSlackBody('null', 'application/json')).toThrow(SyntaxError);
    expect(() => parseSlackBody('"text"', null)).toThrow(SyntaxError);
  });

  it('reads a form-encoded command as its fields, and an interaction from its payload', () => {
    expect(parseSlackBody('command=%2Fkoe&text=claim+12', form)).toEqual({ command: '/koe', text: 'claim 12' });
    expect(parseSlackBody(`payload=${encodeURIComponent('{"type":"block_actions"}')}`, form)).toEqual({
      type: 'block_actions',
    });
  });

  it.each(['null', '[]', '"x"'])('refuses payload=%s like bad JSON', (payload) => {
    expect(() => parseSlackBody(`payload=${encodeURIComponent(payload)}`, form)).toThrow(SyntaxError);
  });
});

describe('SlackDispatcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds a payload until koe is ready', async () => {
    const { ledger } = memoryLedger();
    const dispatcher = new SlackDispatcher({ ledger, log: silentLogger(), now: Date.now, ackBudgetMs: 60_000 });
    dispatcher.attach({ processEvent: async () => {} } as unknown as App);
    let answered = false;
    const answer = dispatcher.dispatch(event(), {}).then((a) => {
      answered = true;
      return a;
    });
    await Promise.resolve();
    await new Promise<void>((r) => setImmediate(r));
    expect(answered).toBe(false);
    dispatcher.ready();
    expect(await answer).toEqual({ kind: 'ack' });
  });

  it('asks Slack to retry a payload that arrives before koe is ready and stays so past the budget', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { ledger } = memoryLedger();
    const dispatcher = new SlackDispatcher({ ledger, log: silentLogger(), now: Date.now, ackBudgetMs: 2_500 });
    dispatcher.attach({ processEvent: async () => {} } as unknown as App);
    const answer = dispatcher.dispatch(event(), {});
    await vi.advanceTimersByTimeAsync(2_500);
    expect(await answer).toEqual({ kind: 'fail' });
  });

  it('throws when used before attach()', async () => {
    const { ledger } = memoryLedger();
    const dispatcher = new SlackDispatcher({ ledger, log: silentLogger(), now: Date.now });
    dispatcher.ready();
    await expect(dispatcher.dispatch(event(), {})).rejects.toThrow('before attach()');
  });

  it('answers malformed, naming the problem, for a payload Slack would not send, and hands Bolt nothing', async () => {
    const { dispatcher, calls } = dispatcherWith(async () => {});
    expect(await dispatcher.dispatch({ text: 'x' }, {})).toEqual({
      kind: 'malformed',
      problem: 'neither an event, a slash command nor an interaction',
    });
    expect(calls).toEqual([]);
  });

  it('acks an event once handled, records its id, and acks a retry without handling it again', async () => {
    const { dispatcher, keys, calls } = dispatcherWith(async () => {});
    expect(await dispatcher.dispatch(event('Ev9'), { retryNum: 0 })).toEqual({ kind: 'ack' });
    expect([...keys]).toEqual(['slack:Ev9']);
    expect(await dispatcher.dispatch(event('Ev9'), { retryNum: 1, retryReason: 'http_timeout' })).toEqual({
      kind: 'ack',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ body: event('Ev9'), retryNum: 0 });
    expect(await dispatcher.dispatch(event('Ev10'), {})).toEqual({ kind: 'ack' });
    expect(calls).toHaveLength(2);
  });

  it('answers fail, recording nothing, when handling fails in a way a retry may fix', async () => {
    const { dispatcher, keys } = dispatcherWith(async () => {
      throw new Error('database is locked');
    });
    expect(await dispatcher.dispatch(event(), {})).toEqual({ kind: 'fail' });
    expect([...keys]).toEqual([]);
  });

  it('acks and records an event whose payload a listener could not read (a retry would fail the same way)', async () => {
    const { dispatcher, keys } = dispatcherWith(async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(await dispatcher.dispatch(event(), {})).toEqual({ kind: 'ack' });
    expect([...keys]).toEqual(['slack:Ev1']);
  });

  it('lets a retry that arrives mid-handling wait for the first delivery, and handles the event once', async () => {
    const held = gate();
    const { dispatcher, calls, keys } = dispatcherWith(() => held.promise);
    const first = dispatcher.dispatch(event(), {});
    const retry = dispatcher.dispatch(event(), { retryNum: 1 });
    await waitFor(() => calls.length === 1, 10_000, 'the first delivery reaches Bolt');
    let idle = false;
    const idled = dispatcher.idle().then(() => {
      idle = true;
    });
    await new Promise<void>((r) => setImmediate(r));
    expect(idle).toBe(false);
    held.open();
    expect(await first).toEqual({ kind: 'ack' });
    expect(await retry).toEqual({ kind: 'ack' });
    await idled;
    expect(calls).toHaveLength(1);
    expect([...keys]).toEqual(['slack:Ev1']);
    // Finished: a later delivery is a recorded retry, not one in progress.
    expect(await dispatcher.dispatch(event(), { retryNum: 2 })).toEqual({ kind: 'ack' });
    expect(calls).toHaveLength(1);
  });

  it('a retry waiting on a delivery that fails answers fail too', async () => {
    const held = gate();
    const { dispatcher } = dispatcherWith(() => held.promise);
    const first = dispatcher.dispatch(event(), {});
    const retry = dispatcher.dispatch(event(), { retryNum: 1 });
    held.fail(new Error('Slack is down'));
    expect(await first).toEqual({ kind: 'fail' });
    expect(await retry).toEqual({ kind: 'fail' });
  });

  it('acks an event still being handled at the budget, finishes it, and records it then', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = gate();
    const { dispatcher, keys } = dispatcherWith(() => held.promise, 2_500);
    const answer = dispatcher.dispatch(event(), {});
    await vi.advanceTimersByTimeAsync(2_499);
    let answered = false;
    void answer.then(() => {
      answered = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await answer).toEqual({ kind: 'ack' });
    expect([...keys]).toEqual([]);
    held.open();
    await dispatcher.idle();
    expect([...keys]).toEqual(['slack:Ev1']);
  });

  it('a retry waiting on a delivery still running at the budget is acknowledged with it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const held = gate();
    const { dispatcher, calls } = dispatcherWith(() => held.promise, 2_500);
    const first = dispatcher.dispatch(event(), {});
    await vi.advanceTimersByTimeAsync(1_000);
    const retry = dispatcher.dispatch(event(), { retryNum: 1 });
    await vi.advanceTimersByTimeAsync(2_500);
    expect(await first).toEqual({ kind: 'ack' });
    expect(await retry).toEqual({ kind: 'ack' });
    expect(calls).toHaveLength(1);
    held.open();
    await dispatcher.idle();
  });

  it('leaves no timer behind once it has answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { dispatcher } = dispatcherWith(async () => {}, 2_500);
    expect(await dispatcher.dispatch(event(), {})).toEqual({ kind: 'ack' });
    expect(await dispatcher.dispatch(command, {})).toEqual({ kind: 'ack' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('prunes only Slack’s keys, older than a week', () => {
    const { dispatcher, pruned } = dispatcherWith(async () => {});
    dispatcher.prune();
    expect(pruned).toEqual([['slack:', 7 * 24 * 3_600_000]]);
  });

  describe('commands and interactions', () => {
    it('answer with what the listener acks, as soon as it acks', async () => {
      const done = gate();
      const { dispatcher } = dispatcherWith(async ({ ack }) => {
        await ack({ text: 'claimed' });
        await ack({ text: 'a second ack is ignored' });
        await done.promise;
      });
      expect(await dispatcher.dispatch(command, {})).toEqual({ kind: 'ack', payload: { text: 'claimed' } });
      done.open();
    });

    it('ack with no payload when the listener finishes without acking', async () => {
      const { dispatcher } = dispatcherWith(async () => {});
      expect(await dispatcher.dispatch(command, {})).toEqual({ kind: 'ack' });
    });

    it('answer fail when the listener fails before acking, unless the payload is at fault', async () => {
      const down = dispatcherWith(async () => {
        throw new Error('database is locked');
      });
      expect(await down.dispatcher.dispatch(command, {})).toEqual({ kind: 'fail' });
      const unreadable = dispatcherWith(async () => {
        throw new TypeError('cannot read properties of undefined');
      });
      expect(await unreadable.dispatcher.dispatch({ type: 'block_actions' }, {})).toEqual({ kind: 'ack' });
    });

    it('are told from events by their type: an interaction carrying an event_id is still an interaction', async () => {
      const { dispatcher, keys } = dispatcherWith(async ({ ack }) => {
        await ack({ text: 'opened' });
      });
      expect(await dispatcher.dispatch({ type: 'block_actions', event_id: 'Ev5' }, {})).toEqual({
        kind: 'ack',
        payload: { text: 'opened' },
      });
      expect([...keys]).toEqual([]);
    });

    it('are acknowledged at the budget when the listener neither acks nor finishes', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const never = gate();
      const { dispatcher } = dispatcherWith(() => never.promise, 2_500);
      const answer = dispatcher.dispatch(command, {});
      await vi.advanceTimersByTimeAsync(2_500);
      expect(await answer).toEqual({ kind: 'ack' });
      never.open();
    });

    it('pass on Slack’s retry number and reason', async () => {
      const { dispatcher, calls } = dispatcherWith(async () => {});
      await dispatcher.dispatch(command, { retryNum: 2, retryReason: 'http_timeout' });
      expect(calls[0]).toMatchObject({ retryNum: 2, retryReason: 'http_timeout', body: command });
    });
  });
});

describe('FetchReceiver.handle', () => {
  const SECRET = 'receiver-unit-secret';
  const NOW = Date.parse('2026-12-05T00:00:00Z');
  type Answer = Awaited<ReturnType<SlackDispatcher['dispatch']>>;

  function receiverAnswering(answer: Answer) {
    const dispatched: Array<{ body: Record<string, unknown>; retry: Record<string, unknown> }> = [];
    const dispatcher = {
      attach: () => {},
      dispatch: async (body: Record<string, unknown>, retry: Record<string, unknown>) => {
        dispatched.push({ body, retry });
        return answer;
      },
    } as unknown as SlackDispatcher;
    const receiver = new FetchReceiver(dispatcher, {
      signingSecret: () => SECRET,
      log: silentLogger(),
      now: () => NOW,
    });
    return { receiver, dispatched };
  }

  const signed = (body: string, headers: Record<string, string> = {}, contentType = 'application/json') => {
    const timestamp = String(Math.floor(NOW / 1000));
    return new Request('http://koe/slack/events', {
      method: 'POST',
      body,
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': signSlackRequest(SECRET, timestamp, body),
        ...headers,
      },
    });
  };
  const eventBody = JSON.stringify(event());

  it('refuses a bad signature with 401 before reading anything', async () => {
    const { receiver, dispatched } = receiverAnswering({ kind: 'ack' });
    const res = await receiver.handle(signed(eventBody, { 'x-slack-signature': 'v0=00' }));
    expect(res.status).toBe(401);
    expect(dispatched).toEqual([]);
  });

  it('refuses a signed body it cannot parse with 400', async () => {
    const { receiver, dispatched } = receiverAnswering({ kind: 'ack' });
    expect((await receiver.handle(signed('{not json'))).status).toBe(400);
    expect(dispatched).toEqual([]);
  });

  it('answers Slack’s ssl_check and url_verification itself', async () => {
    const { receiver, dispatched } = receiverAnswering({ kind: 'fail' });
    const ssl = await receiver.handle(signed('ssl_check=1&token=x', {}, 'application/x-www-form-urlencoded'));
    expect(ssl.status).toBe(200);
    expect(await ssl.text()).toBe('');
    const challenge = await receiver.handle(signed(JSON.stringify({ type: 'url_verification', challenge: 'c-1' })));
    expect(await challenge.json()).toEqual({ challenge: 'c-1' });
    expect(dispatched).toEqual([]);
  });

  it('passes on the retry headers, and none when there are none', async () => {
    const { receiver, dispatched } = receiverAnswering({ kind: 'ack' });
    await receiver.handle(signed(eventBody, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' }));
    await receiver.handle(signed(eventBody));
    expect(dispatched.map((d) => d.retry)).toEqual([
      { retryNum: 2, retryReason: 'http_timeout' },
      { retryNum: undefined, retryReason: undefined },
    ]);
    expect(dispatched[0]!.body).toEqual(event());
  });

  it.each([
    ['fail', { kind: 'fail' } as Answer, 500, null, ''],
    ['malformed', { kind: 'malformed', problem: 'x' } as Answer, 400, null, ''],
    ['an ack without a payload', { kind: 'ack' } as Answer, 200, null, ''],
    ['an ack with an empty payload', { kind: 'ack', payload: '' } as Answer, 200, null, ''],
    ['an ack with text', { kind: 'ack', payload: 'done' } as Answer, 200, 'text/plain; charset=utf-8', 'done'],
    [
      'an ack with an object',
      { kind: 'ack', payload: { text: 'hi' } } as Answer,
      200,
      'application/json',
      '{"text":"hi"}',
    ],
  ])('answers %s', async (_what, answer, status, contentType, text) => {
    const { receiver } = receiverAnswering(answer);
    const res = await receiver.handle(signed(eventBody));
    expect(res.status).toBe(status);
    if (contentType) expect(res.headers.get('content-type')).toBe(contentType);
    expect(await res.text()).toBe(text);
  });
});
