import { afterEach, describe, expect, it } from 'vitest';
import { perform } from '../../../src/core/actions.ts';
import { deliveries } from '../../../src/storage/schema/index.ts';
import type { ApiCall } from '../../fakes/slack/fake-slack.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import {
  ALICE,
  CUSTOMER,
  CUSTOMERS,
  DEFAULT_YAML,
  messageEvent,
  postInSource,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';

/**
 * Replies to a customer who wrote in a Slack source channel, end to end: the real Bolt app and
 * koe's worker against the fake Slack. A reply is one post in the customer's thread, made only by
 * `/koe reply` (or the reply controls), never by a message in the mirror's thread.
 */

const withUndo = (seconds: number) => `${DEFAULT_YAML}replies:\n  undoSeconds: ${seconds}\n`;

let k: SlackKoe | undefined;
afterEach(async () => {
  if (k) expect(k.fake.blockKitProblems).toEqual([]);
  await k?.stop();
  k = undefined;
});

/** A customer's message in #customers, its inquiry and the inquiry's mirror in #support. */
async function customerInquiry(h: SlackKoe, text = 'Where is my invoice for November?') {
  const stored = await postInSource(h, CUSTOMER, text);
  const mirror = await waitFor(
    () =>
      h.fake
        .okCallsTo('chat.postMessage')
        .find((c) => c.params.channel === SUPPORT && !c.params.thread_ts && c.params.metadata?.event_payload),
    10_000,
    'the mirror in #support',
  );
  const id = Number(mirror.params.metadata.event_payload.inquiry_id);
  return { stored, id, mirrorTs: String(mirror.response!.ts) };
}

/** koe's posts in the customer's thread (replies), as the fake stored them. */
const repliesIn = (h: SlackKoe, threadTs: string) =>
  h.fake.replies(CUSTOMERS, threadTs).filter((m) => m.metadata?.event_type === 'koe_reply');
/** Every chat.postMessage koe made into #customers that Slack took. */
const postsToCustomers = (h: SlackKoe) =>
  h.fake.okCallsTo('chat.postMessage').filter((c) => c.params.channel === CUSTOMERS);
/** The reply's line in the mirror's thread: koe's post there that carries Undo or Retry or a state. */
const lineIn = (h: SlackKoe, mirrorTs: string, text: string) =>
  h.fake.replies(SUPPORT, mirrorTs).find((m) => JSON.stringify(m.blocks ?? []).includes(text));
const buttonsOf = (blocks: unknown): Array<{ action_id: string; value: string }> =>
  ((blocks ?? []) as any[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements);
const updatesOf = (h: SlackKoe, ts: string): ApiCall[] =>
  h.fake.okCallsTo('chat.update').filter((c) => c.params.ts === ts);
const detail = async (h: SlackKoe, id: number) => (await h.api(`/api/v1/inquiries/${id}`)).json();

describe('a reply to a customer in a Slack source channel', () => {
  it('goes once into the customer’s thread; its line goes from queued to sent; the echo and thread notes stay home', async () => {
    k = await startSlackKoe({ yaml: withUndo(1) });
    const h = k;
    const { stored, id, mirrorTs } = await customerInquiry(h);
    // The mirror offers "Reply to customer": this inquiry has a way back.
    const mirrorCall = h.fake.okCallsTo('chat.postMessage').find((c) => c.response?.ts === mirrorTs)!;
    expect(buttonsOf(mirrorCall.params.blocks).find((b) => b.action_id === 'koe_reply_open')?.value).toBe(String(id));

    // A plain message in the mirror's thread is an internal note: it never reaches #customers.
    const note = h.fake.addMessage(SUPPORT, {
      user: ALICE,
      text: 'internal: check billing first',
      thread_ts: mirrorTs,
    });
    await h.sendEvent(messageEvent(SUPPORT, ALICE, note, { thread_ts: mirrorTs }));

    const text = 'Thanks! Sending it now. <!channel> <@U0BOB> <https://evil.example|invoice> *really*';
    const answer = await h.command(`reply ${id} ${text}`, ALICE, { channelId: SUPPORT });
    expect(answer.status).toBe(200);

    // Its line in the mirror's thread: queued, with Undo.
    const line = await waitFor(() => lineIn(h, mirrorTs, 'Sending it now'), 10_000, 'the reply line');
    const undo = buttonsOf(line.blocks).find((b) => b.action_id === 'koe_reply_undo');
    expect(undo?.value).toMatch(new RegExp(`^${id}:\\d+$`));

    // Then one post in the customer's thread, under Alice's name, the text exactly as typed.
    const [reply] = await waitFor(
      () => (repliesIn(h, stored.ts).length ? repliesIn(h, stored.ts) : null),
      15_000,
      'the reply',
    );
    const call = postsToCustomers(h)[0]!;
    expect(call.params).toMatchObject({
      thread_ts: stored.ts,
      username: 'Alice',
      // Form-encoded by the SDK: booleans arrive as strings.
      unfurl_links: 'false',
      unfurl_media: 'false',
      metadata: { event_type: 'koe_reply' },
    });
    // The command reads Slack's markup as text (`<!channel>` → `@channel`); the reply carries that text exactly.
    const body = (await detail(h, id)).messages.find((m: any) => m.reply).body as string;
    expect(body).toContain('@channel');
    expect((reply!.blocks as any[]).map((b) => b.text?.text).join('')).toBe(body);
    expect((reply!.blocks as any[]).every((b) => b.type !== 'section' || b.text.type === 'plain_text')).toBe(true);
    expect(call.params.text).not.toMatch(/<[!@h]/);

    // The line is edited to "sent", without buttons.
    await waitFor(
      () => updatesOf(h, line.ts).find((u) => JSON.stringify(u.params.blocks).includes('Sent to the customer')),
      10_000,
      'the line edited to sent',
    );
    expect(buttonsOf(lineIn(h, mirrorTs, 'Sending it now')!.blocks)).toEqual([]);
    await waitFor(
      async () => (await detail(h, id)).messages.some((m: any) => m.reply?.state === 'sent'),
      10_000,
      'sent',
    );

    // Slack sends koe its own reply back (a message event in the customer's thread): not a
    // follow-up, not staff's answer, not a second post.
    await h.sendEvent(
      messageEvent(CUSTOMERS, h.fake.botUserId, reply!, {
        thread_ts: stored.ts,
        bot_id: h.fake.botId,
        metadata: reply!.metadata,
      }),
    );
    // Staff who answer directly in the customer's thread are recorded as outbound, as before.
    await postInSource(h, ALICE, 'Also: the PDF is attached to your account page.', { thread_ts: stored.ts });
    await waitFor(async () => (await detail(h, id)).messages.length >= 3, 10_000, 'the staff answer recorded');
    await h.drain();

    const messages = (await detail(h, id)).messages;
    // The message in the mirror's thread is kept as a note (internal), the reply was sent, the staff
    // answer in the customer's thread is recorded as sent elsewhere.
    expect(messages.map((m: any) => [m.direction, m.reply?.state ?? null])).toEqual([
      ['note', null],
      ['outbound', 'sent'],
      ['outbound', null],
    ]);
    // A restart reads #customers back: the reply is no new inquiry either.
    await h.restart();
    await h.drain();
    const list = (await (await h.api('/api/v1/inquiries?limit=100')).json()).items;
    expect(list.filter((i: any) => i.source === `slack:${CUSTOMERS}`)).toHaveLength(1);
    expect(postsToCustomers(h)).toHaveLength(1);
    expect(repliesIn(h, stored.ts)).toHaveLength(1);
  }, 60_000);

  it('sends nothing when undone inside its window', async () => {
    k = await startSlackKoe({ yaml: withUndo(600) });
    const h = k;
    const { stored, id, mirrorTs } = await customerInquiry(h);
    expect((await h.command(`reply ${id} Please ignore this one`, ALICE, { channelId: SUPPORT })).status).toBe(200);
    const line = await waitFor(() => lineIn(h, mirrorTs, 'Please ignore this one'), 10_000, 'the reply line');
    const [inquiryId, messageId] = buttonsOf(line.blocks)
      .find((b) => b.action_id === 'koe_reply_undo')!
      .value.split(':')
      .map(Number);
    const undone = perform(h.koe.ctx, {
      type: 'undo_reply',
      inquiryId: inquiryId!,
      messageId: messageId!,
      actor: { id: `slack:${ALICE}`, name: 'Alice' },
    });
    expect(undone.ok).toBe(true);
    await waitFor(
      () => updatesOf(h, line.ts).find((u) => JSON.stringify(u.params.blocks).includes('undone')),
      10_000,
      'the line edited to undone',
    );
    await h.drain();
    const row = h.koe.db
      .select()
      .from(deliveries)
      .all()
      .find((r) => r.kind === 'reply');
    expect(row?.status).toBe('cancelled');
    expect(postsToCustomers(h)).toEqual([]);
    expect(repliesIn(h, stored.ts)).toEqual([]);
    expect(buttonsOf(lineIn(h, mirrorTs, 'Please ignore this one')!.blocks)).toEqual([]);
  }, 30_000);

  it('a refusal fails the reply at once: the line shows why with Retry, the author gets a DM; Retry sends it', async () => {
    k = await startSlackKoe({ yaml: withUndo(1) });
    const h = k;
    const { stored, id, mirrorTs } = await customerInquiry(h);
    h.fake.failIn('chat.postMessage', CUSTOMERS, { kind: 'error', error: 'not_in_channel' });
    expect((await h.command(`reply ${id} Your refund is on its way`, ALICE, { channelId: SUPPORT })).status).toBe(200);
    const line = await waitFor(() => lineIn(h, mirrorTs, 'Your refund is on its way'), 10_000, 'the reply line');

    const failed = await waitFor(
      () =>
        updatesOf(h, line.ts).find((u) => buttonsOf(u.params.blocks).some((b) => b.action_id === 'koe_reply_retry')),
      15_000,
      'the line edited to failed, with Retry',
    );
    expect(JSON.stringify(failed.params.blocks)).toContain('invite koe');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === CUSTOMERS)).toHaveLength(1);
    // The author hears of it privately.
    const dm = await waitFor(
      () => h.fake.okCallsTo('chat.postMessage').find((c) => String(c.params.channel).startsWith('D')),
      10_000,
      'the DM to the author',
    );
    expect(h.fake.okCallsTo('conversations.open').map((c) => c.params.users)).toEqual([ALICE]);
    expect(JSON.stringify(dm.params.blocks)).toContain(`#${id}`);
    expect(JSON.stringify(dm.params.blocks)).toContain('invite koe');

    // Retry: sent once, the line goes to sent.
    const [, messageId] = buttonsOf(failed.params.blocks)[0]!.value.split(':').map(Number);
    const retried = perform(h.koe.ctx, {
      type: 'retry_reply',
      inquiryId: id,
      messageId: messageId!,
      actor: { id: `slack:${ALICE}`, name: 'Alice' },
    });
    expect(retried.ok).toBe(true);
    await waitFor(() => repliesIn(h, stored.ts).length === 1 || null, 15_000, 'the retried reply');
    await waitFor(
      () => updatesOf(h, line.ts).find((u) => JSON.stringify(u.params.blocks).includes('Sent to the customer')),
      10_000,
      'the line edited to sent',
    );
    await h.drain();
    expect(repliesIn(h, stored.ts)).toHaveLength(1);
  }, 60_000);

  for (const [name, fault] of [
    ['429 (Retry-After)', { kind: 'rate_limited', retryAfterSec: 1 }],
    ['503', { kind: 'http', status: 503 }],
    ['500 after the post landed (the answer lost)', { kind: 'lost_answer' }],
  ] as const) {
    it(`after a ${name} on the reply path: each reply sent once, in order`, async () => {
      k = await startSlackKoe({ yaml: withUndo(0) });
      const h = k;
      const { stored, id } = await customerInquiry(h);
      h.fake.failIn('chat.postMessage', CUSTOMERS, fault);
      expect((await h.command(`reply ${id} First: we are on it.`, ALICE, { channelId: SUPPORT })).status).toBe(200);
      expect((await h.command(`reply ${id} Second: it is fixed.`, ALICE, { channelId: SUPPORT })).status).toBe(200);
      await waitFor(() => repliesIn(h, stored.ts).length >= 2 || null, 20_000, 'both replies');
      await h.drain();
      const texts = repliesIn(h, stored.ts).map((m) => JSON.stringify(m.blocks));
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain('First: we are on it.');
      expect(texts[1]).toContain('Second: it is fixed.');
      const failedCalls = h.fake
        .callsTo('chat.postMessage')
        .filter((c) => c.params.channel === CUSTOMERS && c.status !== 200);
      expect(failedCalls).toHaveLength(1);
      const states = (await detail(h, id)).messages.map((m: any) => m.reply?.state);
      expect(states).toEqual(['sent', 'sent']);
    }, 60_000);
  }

  it("shows a customer's files in the mirror and in follow-ups as links, names escaped", async () => {
    k = await startSlackKoe({ yaml: withUndo(0) });
    const h = k;
    const file = (id: string, name: string) => ({
      id,
      name,
      title: name,
      permalink: `https://koe-test.slack.com/files/${CUSTOMER}/${id}/x`,
    });
    const first = h.fake.addMessage(CUSTOMERS, {
      user: CUSTOMER,
      text: 'See attached',
      files: [file('F1', 'invoice.pdf')],
    });
    await h.sendEvent(messageEvent(CUSTOMERS, CUSTOMER, first, { files: first.files, subtype: 'file_share' }));
    const mirror = await waitFor(
      () => h.fake.okCallsTo('chat.postMessage').find((c) => c.params.channel === SUPPORT && !c.params.thread_ts),
      10_000,
      'the mirror',
    );
    expect(JSON.stringify(mirror.params.blocks)).toContain(
      '<https://koe-test.slack.com/files/U0CUST/F1/x|invoice.pdf>',
    );
    const followUp = h.fake.addMessage(CUSTOMERS, {
      user: CUSTOMER,
      text: '',
      thread_ts: first.ts,
      files: [file('F2', '<!channel> *screenshot*.png')],
    });
    await h.sendEvent(
      messageEvent(CUSTOMERS, CUSTOMER, followUp, {
        thread_ts: first.ts,
        files: followUp.files,
        subtype: 'file_share',
      }),
    );
    const inThread = await waitFor(
      () => h.fake.okCallsTo('chat.postMessage').find((c) => c.params.thread_ts === mirror.response!.ts),
      10_000,
      'the follow-up in the thread',
    );
    expect(JSON.stringify(inThread.params.blocks)).toContain(
      '<https://koe-test.slack.com/files/U0CUST/F2/x|&lt;!channel&gt; ∗screenshot∗.png>',
    );
  }, 30_000);

  it('without chat:write.customize, names the author in a line instead', async () => {
    const { startFakeSlack, MANIFEST_SCOPES } = await import('../../fakes/slack/fake-slack.ts');
    const { addPeople } = await import('./harness.ts');
    const fake = await startFakeSlack({ scopes: MANIFEST_SCOPES.filter((s) => s !== 'chat:write.customize') });
    addPeople(fake);
    try {
      k = await startSlackKoe({ yaml: withUndo(0), fake });
      const h = k;
      const { stored, id } = await customerInquiry(h);
      expect((await h.command(`reply ${id} Hello from the team`, ALICE, { channelId: SUPPORT })).status).toBe(200);
      const [reply] = await waitFor(
        () => (repliesIn(h, stored.ts).length ? repliesIn(h, stored.ts) : null),
        15_000,
        'reply',
      );
      expect(reply!.username).toBeUndefined();
      expect((reply!.blocks as any[])[0]).toMatchObject({ type: 'context' });
      expect(JSON.stringify((reply!.blocks as any[])[0])).toContain('Alice');
      expect(postsToCustomers(h)[0]!.params.username).toBeUndefined();
    } finally {
      await k?.stop();
      k = undefined;
      await fake.close();
    }
  }, 30_000);
});
