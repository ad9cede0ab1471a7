import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECORD_SHORTCUT } from '../../src/platforms/slack/listeners/shortcuts.ts';
import { ACTION_IDS } from '../../src/platforms/slack/render.ts';
import { blockKitProblems } from '../fakes/slack/block-kit.ts';
import type { SlackRequest } from '../fakes/slack/slack-requests.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import {
  ALICE,
  BOB,
  CUSTOMER,
  CUSTOMERS,
  GUEST,
  intake,
  mirroredInquiry,
  OTHER_BOT,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from '../platforms/slack/harness.ts';
import { collectUnhandledRejections } from '../helpers/unhandled-rejections.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Signed but malformed requests to koe's Slack endpoint (`POST /slack/events`): Events API
 * callbacks, slash commands and interactivity payloads whose fields have the wrong types, are
 * missing, huge or unknown, and bodies that are not what their content type says. Whatever comes,
 * koe answers 2xx (acknowledged, doing nothing or what a well-formed request would) or 4xx; never a
 * 5xx (Slack would retry it, and disables apps that fail 5% of deliveries), never an unhandled
 * rejection (which ends a Node process), never a half-written inquiry.
 */

/** `KOE_SOAK=1` (npm run test:soak) runs ten times as many cases. */
const RUNS = process.env.KOE_SOAK === '1' ? 10 : 1;

let k: SlackKoe;
let mirrorTs: string;
let mirrorId: number;
const rejections = collectUnhandledRejections();

beforeAll(async () => {
  // A roomy ack budget: the network-failure case must see its 500 before koe would ack anyway, and
  // a loaded machine must not turn that into a 200 (the fuzz cases answer in milliseconds).
  k = await startSlackKoe({ options: { slack: { paceMs: 0, ackBudgetMs: 10_000 } } });
  ({ id: mirrorId, ts: mirrorTs } = await mirroredInquiry(k));
});
afterAll(async () => {
  await k.stop();
});

let seq = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${++seq}`;

/** Values of every JSON type, and strings that tend to break parsers and renderers. */
const wild = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u05e9\u05dc\u05d5\u05dd',
    '👨‍👩‍👧‍👦',
    '\ud800',
    '__proto__',
    'constructor',
    'NaN',
    '-1',
    '1e309',
    '<!channel>',
    '<@U0ALICE>',
    '*bold* `code`',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
/** A huge string now and then (100,000 characters), under the 1 MiB body cap even form-encoded. */
const HUGE = `${'x'.repeat(90_000)}${'界🙏'.repeat(5_000)}`;
const maybeHuge = fc.oneof({ weight: 12, arbitrary: wild }, { weight: 1, arbitrary: fc.constant(HUGE) });
/** Mostly a value that reaches deep into the handlers, otherwise anything. */
const plausible = <T>(...values: T[]) =>
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 2, arbitrary: maybeHuge });
const mirrorTsArb = () => fc.constant(null).map(() => mirrorTs);
const mirrorIdArb = () => fc.constant(null).map(() => String(mirrorId));

function eventArb() {
  const item = fc.oneof(
    fc.record(
      { type: plausible('message', 'file'), channel: plausible(SUPPORT, CUSTOMERS), ts: fc.oneof(mirrorTsArb(), wild) },
      { requiredKeys: [] },
    ),
    wild,
  );
  const event = fc.record(
    {
      type: plausible('reaction_added', 'reaction_removed', 'message', 'app_mention', 'team_join', 'link_shared'),
      user: plausible(ALICE, BOB, CUSTOMER, GUEST, OTHER_BOT, 'UKOEBOT', 'U0NOBODY'),
      reaction: plausible('raising_hand', 'white_check_mark', 'ticket', 'bug', 'eyes', 'raising_hand::skin-tone-9'),
      item,
      channel: plausible(CUSTOMERS, SUPPORT),
      ts: plausible('1700000000.000100', '1700000001.000200'),
      thread_ts: fc.oneof(mirrorTsArb(), plausible('1700000000.000100')),
      text: plausible('claim', 'resolve done', 'I need help', '<@UKOEBOT> claim'),
      subtype: plausible('message_changed', 'bot_message', 'thread_broadcast', 'file_share'),
      bot_id: wild,
      files: wild,
      user_team: wild,
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      type: plausible('event_callback', 'app_rate_limited', 'url_verification'),
      event_id: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null).map(() => unique('Ev')) },
        { weight: 1, arbitrary: wild },
      ),
      event: fc.oneof({ weight: 4, arbitrary: event }, { weight: 1, arbitrary: wild }),
      team_id: plausible('T0KOE', 'T0ACME'),
      authorizations: wild,
      challenge: wild,
      is_ext_shared_channel: wild,
    },
    { requiredKeys: [] },
  );
}

function commandArb() {
  return fc.record(
    {
      command: plausible('/koe', '/other'),
      text: plausible(
        'claim 1',
        'resolve 1 refunded',
        'show 1',
        'assign 1 <@U0BOB>',
        'assign 1 <@>',
        'reason 1 bug',
        'reason 1 nope',
        'note 1 hello',
        'stats 7d',
        'mine',
        'open',
        'help',
        'claim 99999999999999999999',
        'claim -1',
        'reopen 1',
        `note 1 ${'x'.repeat(50_000)}`,
      ),
      user_id: plausible(ALICE, BOB, GUEST, CUSTOMER, 'U0NOBODY'),
      user_name: wild,
      channel_id: plausible(SUPPORT, CUSTOMERS),
      team_id: plausible('T0KOE'),
      thread_ts: fc.oneof(mirrorTsArb(), wild),
      response_url: fc.oneof(
        fc.constant(null).map(() => k.fake.responseUrl()),
        wild,
      ),
      trigger_id: wild,
    },
    { requiredKeys: [] },
  );
}

function interactionArb() {
  const action = fc.record(
    {
      action_id: plausible(...Object.values(ACTION_IDS), 'other_app_action'),
      value: fc.oneof(mirrorIdArb(), plausible('1', '0', '-5', '1.5', '9007199254740993')),
      type: plausible('button', 'static_select', 'overflow'),
      selected_option: fc.oneof(fc.record({ value: plausible('bug', 'no_such_reason') }, { requiredKeys: [] }), wild),
      block_id: wild,
      action_ts: wild,
    },
    { requiredKeys: [] },
  );
  const user = fc.oneof(
    fc.record(
      { id: plausible(ALICE, GUEST, CUSTOMER), name: wild, username: wild, team_id: plausible('T0KOE', 'T0ACME') },
      { requiredKeys: [] },
    ),
    wild,
  );
  return fc.record(
    {
      type: plausible(
        'block_actions',
        'message_action',
        'shortcut',
        'view_submission',
        'interactive_message',
        'block_suggestion',
      ),
      user,
      actions: fc.oneof(fc.array(action, { maxLength: 3 }), wild),
      channel: fc.oneof(fc.record({ id: plausible(SUPPORT, CUSTOMERS) }, { requiredKeys: [] }), wild),
      container: fc.oneof(
        fc.record(
          { type: wild, channel_id: plausible(SUPPORT), message_ts: fc.oneof(mirrorTsArb(), wild) },
          { requiredKeys: [] },
        ),
        wild,
      ),
      message: fc.oneof(
        fc.record(
          {
            ts: fc.oneof(mirrorTsArb(), wild),
            text: maybeHuge,
            user: plausible(CUSTOMER, ALICE),
            thread_ts: wild,
            files: wild,
          },
          { requiredKeys: [] },
        ),
        wild,
      ),
      callback_id: plausible(RECORD_SHORTCUT, 'other'),
      team: fc.oneof(fc.record({ id: plausible('T0KOE') }, { requiredKeys: [] }), wild),
      response_url: fc.oneof(
        fc.constant(null).map(() => k.fake.responseUrl()),
        wild,
      ),
      trigger_id: wild,
      view: wild,
      state: wild,
    },
    { requiredKeys: [] },
  );
}

const formOf = (fields: Record<string, unknown>): SlackRequest => ({
  contentType: 'application/x-www-form-urlencoded',
  body: new URLSearchParams(
    Object.entries(fields).map(([key, value]): [string, string] => [
      key,
      typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined'),
    ]),
  ).toString(),
});

/** Sends a signed request and checks everything this file promises about the answer and the database. */
async function check(request: SlackRequest): Promise<void> {
  const response = await k.send(request);
  const text = await response.text();
  expect(response.status, `answer to ${request.body.slice(0, 300)}`).toBeLessThan(500);
  expect(response.status === 401 || response.status === 404).toBe(false); // signed, on the right path
  if (response.status === 200 && text.startsWith('{') && response.headers.get('content-type')?.includes('json')) {
    // An acknowledgement that carries an answer (slash commands): Slack shows it, so it must be valid.
    const answer = JSON.parse(text) as Record<string, unknown>;
    if (answer.blocks !== undefined || answer.text !== undefined)
      expect(blockKitProblems({ text: answer.text, blocks: answer.blocks })).toEqual([]);
  }
  expect(rejections).toEqual([]);
  expect(inquiryInvariantProblems(k.koe.db.$client, k.koe.config.destinations)).toEqual([]);
}

describe('hostile input to the Slack endpoint (signed, malformed)', () => {
  it('still answers 500, so Slack retries, when a listener’s call to Slack fails on the network (not the payload’s fault)', async () => {
    // First, while nothing else is talking to the fake: 🎫 on a message makes koe fetch it (the only
    // conversations.history call in flight), and that call's connection drops.
    const message = k.fake.addMessage('C0RANDOM', { user: ALICE, text: 'A customer emailed: export broken' });
    k.fake.fail('conversations.history', { kind: 'hang' });
    const event = {
      type: 'reaction_added',
      user: ALICE,
      reaction: 'ticket',
      item: { type: 'message', channel: 'C0RANDOM', ts: message.ts },
    };
    const first = k.sendEvent(event, { eventId: 'EvNETWORK1' });
    await waitFor(() => k.fake.hungCount() === 1, 5_000, 'the fetch in flight');
    k.fake.releaseHung();
    expect((await first).response.status).toBe(500);
    const retry = await k.sendEvent(event, { eventId: 'EvNETWORK1', sign: { retryNum: 1, retryReason: 'http_error' } });
    expect(retry.response.status).toBe(200);
    const list = (await (await k.api('/api/v1/inquiries?limit=200')).json()) as {
      items: Array<{ externalId: string | null }>;
    };
    expect(list.items.filter((i) => i.externalId === message.ts)).toHaveLength(1);
    expect(rejections).toEqual([]);
  });

  it(
    'answers generated Events API callbacks with 2xx or 4xx, never 5xx, and leaves the database consistent',
    async () => {
      await fc.assert(
        fc.asyncProperty(eventArb(), async (envelope) => {
          await check({
            contentType: 'application/json',
            body: JSON.stringify({
              ...envelope,
              event_id: envelope.event_id === 'fresh' ? unique('Ev') : envelope.event_id,
            }),
          });
        }),
        {
          numRuns: 200 * RUNS,
          // Cases worth running every time, beside the generated ones.
          examples: [
            // A customer message from a user Slack does not know (users.info: user_not_found).
            [
              {
                type: 'event_callback',
                event_id: 'fresh',
                event: {
                  type: 'message',
                  channel: CUSTOMERS,
                  user: 'U0NOBODY',
                  text: 'hello',
                  ts: '1700000000.000300',
                },
              },
            ],
            // A message whose user is not a string at all.
            [
              {
                type: 'event_callback',
                event_id: 'fresh',
                event: { type: 'message', channel: CUSTOMERS, user: { id: 1 }, text: 'hello', ts: '1700000000.000400' },
              },
            ],
            [
              {
                type: 'event_callback',
                event_id: 'fresh',
                event: { type: 'reaction_added', user: ALICE, reaction: 'raising_hand', item: null },
              },
            ],
            [
              {
                type: 'event_callback',
                event_id: 'fresh',
                event: { type: 'app_mention', user: ALICE, channel: SUPPORT, text: null },
              },
            ],
            [{ type: 'event_callback', event_id: 'fresh', event: 0 }],
            [{ type: 'event_callback', event_id: 42, event: { type: 'message' } }],
            [{ type: 'app_rate_limited', team_id: 'T0KOE', minute_rate_limited: 1518467820 }],
            [{ event: 0 }],
          ] as never,
        },
      );
    },
    20_000 * RUNS,
  );

  it(
    'answers generated slash commands the same way',
    async () => {
      await fc.assert(
        fc.asyncProperty(commandArb(), async (fields) => {
          await check(formOf(fields));
        }),
        {
          numRuns: 150 * RUNS,
          // Always: a command whose text the answer echoes holds a NUL byte and a lone surrogate.
          examples: [
            [{ command: '/koe', text: 'claim\u0000 \ud800', user_id: ALICE, team_id: 'T0KOE', channel_id: SUPPORT }],
          ] as never,
        },
      );
    },
    20_000 * RUNS,
  );

  it(
    'answers generated interactivity payloads (buttons, select, shortcut, unknown types) the same way',
    async () => {
      await fc.assert(
        fc.asyncProperty(interactionArb(), async (generated) => {
          // `fresh`: an inquiry nobody has touched yet, so the click really claims it.
          const fresh = JSON.stringify(generated).includes('"value":"fresh"')
            ? (await intake(k, { reason: 'how_to' })).id
            : 0;
          const payload = JSON.parse(JSON.stringify(generated).replaceAll('"value":"fresh"', `"value":"${fresh}"`));
          await check({
            contentType: 'application/x-www-form-urlencoded',
            body: `payload=${encodeURIComponent(JSON.stringify(payload))}`,
          });
        }),
        {
          numRuns: 150 * RUNS,
          // Always: a Claim click on a fresh inquiry by a "user" whose id is 100,000 characters long (the
          // mirror then names the assignee: it must still be a message Slack accepts), and a click with
          // no actions at all.
          examples: [
            [
              {
                type: 'block_actions',
                user: { id: `U${'A'.repeat(100_000)}`, team_id: 'T0KOE' },
                actions: [{ action_id: ACTION_IDS.claim, value: 'fresh', type: 'button' }],
                channel: { id: SUPPORT },
                container: { channel_id: SUPPORT },
              },
            ],
            [{ type: 'block_actions', user: { id: ALICE, team_id: 'T0KOE' }, actions: [] }],
          ] as never,
        },
      );
    },
    20_000 * RUNS,
  );

  it(
    'answers bodies that are not what their content type says with 2xx or 400',
    async () => {
      const body = fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 50 }).map((s) => `payload=${s}`),
        fc.jsonValue({ maxDepth: 2 }).map((v) => `payload=${encodeURIComponent(JSON.stringify(v))}`),
        fc.constantFrom(
          'payload=%7B',
          'payload=',
          'payload=null',
          'payload=%5B%5D',
          'payload=%22x%22',
          '%',
          '&&&=',
          'command=%2Fkoe&text=%E0%A4%A',
          '\u0000',
        ),
      );
      const contentType = fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/json; charset=utf-8',
        '',
      );
      await fc.assert(
        fc.asyncProperty(body, contentType, async (b, ct) => {
          await check({ contentType: ct, body: b });
        }),
        { numRuns: 200 * RUNS },
      );
    },
    20_000 * RUNS,
  );

  it('refuses with 400, doing nothing, event callbacks without an event_id (they could not be de-duplicated) or an event, and payloads of no kind', async () => {
    const reaction = {
      type: 'reaction_added',
      user: ALICE,
      reaction: 'eyes',
      item: { type: 'message', channel: SUPPORT, ts: mirrorTs },
    };
    const reactionsBefore = k.koe.db.$client.prepare(`SELECT count(*) AS n FROM reactions`).get();
    for (const body of [
      { type: 'event_callback', team_id: 'T0KOE', event: reaction },
      { type: 'event_callback', team_id: 'T0KOE', event_id: '', event: reaction },
      { type: 'event_callback', team_id: 'T0KOE', event_id: 'EvNOEVENT' },
      { type: 'event_callback', team_id: 'T0KOE', event_id: 'EvNOTYPE', event: { ...reaction, type: 7 } },
      { team_id: 'T0KOE', event: reaction },
    ]) {
      const response = await k.send({ contentType: 'application/json', body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    const noKind = await k.send({
      contentType: 'application/x-www-form-urlencoded',
      body: `payload=${encodeURIComponent(JSON.stringify({ user: { id: ALICE }, actions: [] }))}`,
    });
    expect(noKind.status).toBe(400);
    expect(k.koe.db.$client.prepare(`SELECT count(*) AS n FROM reactions`).get()).toEqual(reactionsBefore);
    expect(rejections).toEqual([]);
  });

  it('still works for a well-formed request afterwards, and never posted an invalid Block Kit payload', async () => {
    const dead = () =>
      k.koe.db.$client.prepare(`SELECT id, kind, last_error FROM deliveries WHERE status = 'dead'`).all();
    const created = await intake(k, { reason: 'how_to', subject: 'after the storm' });
    const response = await k.command(`claim ${created.id}`, ALICE);
    expect(response.status).toBe(200);
    expect((await (await k.api(`/api/v1/inquiries/${created.id}`)).json()).status).toBe('claimed');
    // Whatever was typed into commands and payloads, everything koe queued for Slack was accepted:
    // a refused post would be dead-lettered and hold up its inquiry's later deliveries.
    await waitFor(
      () =>
        (
          k.koe.db.$client
            .prepare(`SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'in_flight')`)
            .get() as { n: number }
        ).n === 0 || dead().length > 0,
      15_000,
      'outbox settled',
    );
    expect(dead()).toEqual([]);
    expect(k.fake.blockKitProblems).toEqual([]);
    expect(rejections).toEqual([]);
  });
});
