import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.ts';
import {
  ALICE,
  CUSTOMERS,
  GUEST,
  messageEvent,
  mirroredInquiry,
  RANDOM,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';

/**
 * What a person writes in a mirror's thread is an internal note: recorded once, copied into the
 * inquiry's other mirrors' threads (not back into the one it was typed in), and never sent to the
 * customer. Real Bolt app against the fake Slack.
 */

const TWO_MIRRORS = `
locale: en
timezone: Asia/Tokyo
destinations:
  - name: support
    platform: slack
    channel: ${SUPPORT}
  - name: everyone
    platform: slack
    channel: ${RANDOM}
sources:
  - platform: slack
    channel: ${CUSTOMERS}
`;

let k: SlackKoe | undefined;
afterEach(async () => {
  await k?.stop();
  k = undefined;
});

/** koe's posts in a thread (the fake's copy of the thread, koe's own messages only). */
const koePostsIn = (h: SlackKoe, channel: string, ts: string) =>
  h.fake.replies(channel, ts).filter((m) => m.bot_id !== undefined && m.ts !== ts);

async function typeInThread(h: SlackKoe, user: string, text: string, threadTs: string, eventId?: string) {
  const stored = h.fake.addMessage(SUPPORT, { user, text, thread_ts: threadTs });
  const { response } = await h.sendEvent(messageEvent(SUPPORT, user, stored, { thread_ts: threadTs }), { eventId });
  expect(response.status).toBe(200);
  return stored;
}

const notesOf = async (h: SlackKoe, id: number) => {
  const detail = await (await h.api(`/api/v1/inquiries/${id}`)).json();
  return (detail.messages as Array<{ direction: string; body: string; author?: { id: string } }>).filter(
    (m) => m.direction === 'note',
  );
};

describe('a message in a mirror’s thread', () => {
  it('is recorded once as a note, copied to the other mirror’s thread only, and never reaches the customer', async () => {
    k = await startSlackKoe({ yaml: TWO_MIRRORS });
    const h = k;
    const { id, ts: supportTs } = await mirroredInquiry(h);
    const randomMirror = await waitFor(
      () =>
        h.fake
          .okCallsTo('chat.postMessage')
          .find((c) => c.params.channel === RANDOM && c.params.metadata?.event_payload?.inquiry_id === id),
      10_000,
      'the mirror in the second channel',
    );
    const randomTs = String(randomMirror.response!.ts);

    const typed = await typeInThread(h, ALICE, 'checked billing: the card expired', supportTs, 'Ev0NOTE1');
    // Slack delivers it again (a retry with a new event id): still one note.
    await h.sendEvent(messageEvent(SUPPORT, ALICE, typed, { thread_ts: supportTs }), { eventId: 'Ev0NOTE2' });

    await waitFor(async () => (await notesOf(h, id)).length === 1, 10_000, 'the note recorded');
    const [note] = await notesOf(h, id);
    expect(note).toMatchObject({ body: 'checked billing: the card expired', author: { id: `slack:${ALICE}` } });

    const copy = await waitFor(
      () => koePostsIn(h, RANDOM, randomTs).find((m) => JSON.stringify(m).includes('the card expired')),
      10_000,
      'the copy in the other mirror’s thread',
    );
    expect(copy).toBeTruthy();
    await h.drain();
    // Not echoed into the thread it was typed in, and nothing went to the customers' channel.
    expect(koePostsIn(h, SUPPORT, supportTs).filter((m) => JSON.stringify(m).includes('card expired'))).toEqual([]);
    expect(h.fake.okCallsTo('chat.postMessage').filter((c) => c.params.channel === CUSTOMERS)).toEqual([]);
    expect((await notesOf(h, id)).length).toBe(1);
  });

  it('is not a note when a guest writes it, or when it is a command to koe', async () => {
    k = await startSlackKoe({ yaml: TWO_MIRRORS });
    const h = k;
    const { id, ts } = await mirroredInquiry(h);
    await typeInThread(h, GUEST, 'guest words', ts);
    await typeInThread(h, ALICE, '<@UKOEBOT> show', ts);
    // A team member's note after them is recorded: the two before it were seen and left out.
    await typeInThread(h, ALICE, 'a real note', ts);
    await waitFor(async () => (await notesOf(h, id)).length > 0, 10_000, 'the real note');
    expect((await notesOf(h, id)).map((n) => n.body)).toEqual(['a real note']);
  });
});
