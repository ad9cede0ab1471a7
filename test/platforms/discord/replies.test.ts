import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord, StoredMessage } from '../../fakes/discord/fake-discord.ts';
import { messageBodyProblems, modalProblems } from '../../fakes/discord/validate.ts';
import { maskedLinks } from '../../helpers/discord-markdown.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import {
  buildWorld,
  ROOMY_MESSAGES,
  startDiscordKoe,
  type RunningDiscordKoe,
  type World,
  worldYaml,
} from './harness.ts';

/**
 * Replies to customers on Discord, end to end: the real discord.js client against the fake, koe
 * through createKoe. The undo window is 20 s on an injected clock: a reply stays queued until a test
 * moves the clock past it (`release`), so "inside the window" never depends on the machine's speed.
 */
let w: World;
let k: RunningDiscordKoe;
let skew = 0;

beforeAll(async () => {
  w = await buildWorld(ROOMY_MESSAGES);
  k = await startDiscordKoe(w, worldYaml(w, 'replies:\n  undoSeconds: 20\n'), {}, undefined, {
    now: () => Date.now() + skew,
  });
});
afterAll(async () => {
  await k.stop();
  await w.fake.close();
});

const db = () => k.koe.db.$client;
/** Moves koe's clock past the undo window of every reply queued so far. */
const release = () => {
  skew += 21_000;
};
const botMessagesIn = (channelId: string) => w.fake.messagesIn(channelId).filter((m) => m.author.id === w.fake.bot.id);
const inquiryCount = () => (db().prepare(`SELECT count(*) AS n FROM inquiries`).get() as { n: number }).n;
const repliesOf = (id: number) =>
  db()
    .prepare(
      `SELECT id, body, reply_state AS state, external_id AS externalId FROM messages WHERE inquiry_id = ? AND reply_state IS NOT NULL ORDER BY id`,
    )
    .all(id) as Array<{ id: number; body: string; state: string; externalId: string | null }>;

async function answerOf(rec: InteractionRecord) {
  return waitFor(() => rec.responses[0], 8_000, `response to interaction ${rec.id}`);
}
/** The ephemeral text answer of an interaction. */
async function textOf(rec: InteractionRecord): Promise<string> {
  const r = await answerOf(rec);
  expect(r.type).toBe(4);
  expect(r.data?.flags).toBe(64);
  return String(r.data?.content);
}

/**
 * A new customer (`name`, shown capitalised) writes in the #help text source; resolves with the
 * inquiry and its mirror in #inquiries. One customer per inquiry: a customer's next message within
 * the join window would join their earlier inquiry.
 */
async function customerAsks(name: string, text: string, attachments?: string[]) {
  const asked = w.fake.say(w.help.id, w.fake.user(name), text, { attachments });
  const row = await waitFor(
    () => db().prepare(`SELECT id FROM inquiries WHERE external_id = ?`).get(asked.id) as { id: number } | undefined,
    8_000,
    'the inquiry',
  );
  const mirror = await mirrorOf(row.id);
  return { id: row.id, asked, mirror };
}

async function mirrorOf(id: number): Promise<StoredMessage> {
  const mirror = await waitFor(
    () => w.fake.messagesIn(w.inquiries.id).find((m) => m.embeds[0]?.footer?.text?.startsWith(`koe #${id}`)),
    8_000,
    `the mirror of #${id}`,
  );
  await waitFor(
    () => db().prepare(`SELECT 1 FROM mirrors WHERE inquiry_id = ? AND destination = 'team'`).get(id),
    8_000,
    'the mirror row',
  );
  return mirror;
}

/** The reply's line in the mirror's thread (the thread shares the mirror's id). */
const lineOf = (mirror: StoredMessage, text: string) =>
  waitFor(
    () => w.fake.messagesIn(mirror.id).find((m) => String(m.embeds[0]?.description ?? '').includes(text)),
    8_000,
    `the line of "${text}"`,
  );
const buttonsOf = (m: StoredMessage) => m.components.flatMap((r: any) => r.components);

describe('a reply from Discord to a customer in a source text channel', () => {
  it('sends exactly one message that answers the customer’s message, after the undo window, and never takes its echo in', async () => {
    const { id, asked, mirror } = await customerAsks('yamada', 'My invoice shows 2 seats, we have 1');
    const inquiriesBefore = inquiryCount();
    // The mirror offers Reply to customer: #help is a configured source, so there is a way back.
    expect(buttonsOf(mirror).map((b: any) => b.custom_id)).toContain(`koe:reply:${id}`);

    const text = 'Sorry about that! I fixed it: *1 seat* from now on. [details](https://evil.example)';
    const answer = await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text }));
    expect(answer).toMatch(
      new RegExp(`^Reply to #${id} queued for Yamada, as a reply in <#${w.help.id}>\\. It leaves at`),
    );

    // Queued: its line in the mirror's thread says so, with Undo; nothing has reached the customer.
    const line = await lineOf(mirror, 'I fixed it');
    expect(line.embeds[0].description).toMatch(/^↩︎ Reply to the customer by Alice: leaves at .* unless undone\n\n/);
    expect(buttonsOf(line).map((b: any) => b.custom_id)).toEqual([`koe:reply_undo:${id}:${repliesOf(id)[0]!.id}`]);
    expect(botMessagesIn(w.help.id)).toHaveLength(0);

    release();
    const sent = await waitFor(() => botMessagesIn(w.help.id)[0], 8_000, 'the reply in #help');
    // Escaped: the customer sees the stars and brackets as typed, never a link labelled "details".
    expect(sent.content).toBe(
      '**Alice**\n' +
        String.raw`Sorry about that! I fixed it: \*1 seat\* from now on. \[details\]\(https://evil.example\)`,
    );
    expect(sent.message_reference).toMatchObject({ message_id: asked.id, channel_id: w.help.id });
    expect(sent.flags).toBe(4); // SUPPRESS_EMBEDS: no link preview under the reply
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    expect(sent.nonce).toMatch(/^koe-\d+$/);

    // The line now says it was sent, and its Undo is gone.
    await waitFor(
      () => line.embeds[0].description.startsWith('↩︎ Sent to the customer by Alice at '),
      8_000,
      'sent line',
    );
    expect(line.components).toEqual([]);
    expect(repliesOf(id)).toEqual([expect.objectContaining({ state: 'sent', externalId: sent.id })]);
    expect(db().prepare(`SELECT first_response_at AS t FROM inquiries WHERE id = ?`).get(id)).toEqual({
      t: expect.any(Number),
    });

    // koe's own message came back through the gateway; the customer then answers it. Once that
    // answer is a follow-up, the echo before it was handled, and it made nothing.
    const customer = w.fake.messagesIn(w.help.id).find((m) => m.id === asked.id)!.author;
    const thanks = w.fake.say(w.help.id, customer, 'Thanks!', { replyTo: sent.id });
    await waitFor(
      () => db().prepare(`SELECT 1 FROM messages WHERE external_id = ? AND direction = 'inbound'`).get(thanks.id),
      8_000,
      'the customer’s answer as a follow-up',
    );
    expect(
      db().prepare(`SELECT direction, reply_state AS state FROM messages WHERE inquiry_id = ? ORDER BY id`).all(id),
    ).toEqual([
      { direction: 'outbound', state: 'sent' },
      { direction: 'inbound', state: null },
    ]);
    expect(botMessagesIn(w.help.id)).toHaveLength(1);
    expect(
      db().prepare(`SELECT count(*) AS n FROM deliveries WHERE kind = 'reply' AND inquiry_id = ?`).get(id),
    ).toEqual({ n: 1 });
    expect(inquiryCount()).toBe(inquiriesBefore);
  });

  it('keeps a plain message in the mirror’s thread internal: it never reaches the source channel', async () => {
    const { id, mirror } = await customerAsks('suzuki', 'Where is the export button?');
    // The thread exists once koe posted in it; a staff member then writes there, as a note to the team.
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'note', { id, text: 'checking with the devs' }));
    await lineOf(mirror, 'checking with the devs');
    const before = botMessagesIn(w.help.id).length;
    const typed = w.fake.say(mirror.id, w.bob.user, 'It is under Settings → Data, tell them that', {
      roles: w.bob.roles,
    });
    // It is recorded as Bob's note, once even if the gateway delivers it again.
    const noteOf = () =>
      db()
        .prepare(
          `SELECT body, author_id AS author FROM messages WHERE inquiry_id = ? AND external_id = ? AND direction = 'note'`,
        )
        .all(id, typed.id);
    await waitFor(() => noteOf().length === 1, 8_000, 'the note recorded');
    w.fake.redeliver(typed, w.bob.roles);
    // Then an explicit reply: once it has arrived, anything the plain message caused would have too.
    await textOf(w.fake.slash(mirror.id, w.alice, 'koe', 'reply', { id, text: 'Settings, then Data.' }));
    release();
    await waitFor(() => botMessagesIn(w.help.id).length === before + 1, 8_000, 'the explicit reply');
    expect(botMessagesIn(w.help.id).at(-1)!.content).toBe('**Alice**\nSettings, then Data.');
    expect(w.fake.messagesIn(w.help.id).some((m) => m.content.includes('under Settings'))).toBe(false);
    expect(repliesOf(id).map((r) => r.body)).toEqual(['Settings, then Data.']);
    expect(noteOf()).toEqual([
      { body: 'It is under Settings → Data, tell them that', author: `discord:${w.bob.user.id}` },
    ]);
    // The thread it was typed in shows it already: koe did not copy it back there.
    expect(botMessagesIn(mirror.id).some((m) => JSON.stringify(m).includes('under Settings'))).toBe(false);
  });

  it('sends nothing when Undo is clicked inside the window', async () => {
    const { id, mirror } = await customerAsks('tanaka', 'Can I get a refund?');
    const before = botMessagesIn(w.help.id).length;
    await textOf(
      w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'Yes, refunded (oops, wrong one)' }),
    );
    const line = await lineOf(mirror, 'oops, wrong one');
    const undo = buttonsOf(line)[0].custom_id as string;
    expect(await textOf(w.fake.click(line, w.bob, undo))).toBe(
      `The reply to #${id} was undone; the customer will not get it.`,
    );
    await waitFor(
      () => line.embeds[0].description.startsWith('↩︎ Reply by Alice undone; it was not sent'),
      8_000,
      'undone line',
    );
    expect(line.components).toEqual([]);
    // A second Undo is too late, said clearly.
    expect(await textOf(w.fake.click(line, w.bob, undo))).toContain('can no longer be undone');
    // The window passes, and a later reply leaves: only that one reaches the customer.
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'Refund is on its way.' }));
    release();
    await waitFor(() => botMessagesIn(w.help.id).length === before + 1, 8_000, 'the later reply');
    expect(
      botMessagesIn(w.help.id)
        .slice(before)
        .map((m) => m.content),
    ).toEqual(['**Alice**\nRefund is on its way.']);
    // The message lands before koe hears back from Discord and records it as sent.
    await waitFor(() => repliesOf(id).at(-1)?.state === 'sent', 8_000, 'the later reply recorded');
    expect(repliesOf(id).map((r) => r.state)).toEqual(['undone', 'sent']);
  });

  it.each([
    ['a 429', (path: RegExp) => w.fake.rateLimitNext('POST', path, 300, 1)],
    ['a 503', (path: RegExp) => w.fake.failNext('POST', path, 503, 0, '503: Service Unavailable', 1)],
    ['a 500 after the message was made', (path: RegExp) => w.fake.loseAnswerToNextPost(path, 500, 1)],
  ])('sends each reply once, in order, through %s', async (what, inject) => {
    const { id } = await customerAsks(`sato${what.length}`, 'Two questions, one after the other');
    const before = botMessagesIn(w.help.id).length;
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'First answer' }));
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'Second answer' }));
    const path = new RegExp(`^/channels/${w.help.id}/messages$`);
    const attempts = () => w.fake.requestsTo('POST', path).length;
    const tried = attempts();
    inject(path);
    release();
    await waitFor(() => repliesOf(id).every((r) => r.state === 'sent'), 10_000, 'both replies sent');
    expect(
      botMessagesIn(w.help.id)
        .slice(before)
        .map((m) => m.content),
    ).toEqual(['**Alice**\nFirst answer', '**Alice**\nSecond answer']);
    // The injected failure was met (so the test can fail): more attempts than messages.
    expect(attempts() - tried).toBeGreaterThan(2);
  });

  it('fails at once on a permanent refusal: a failed line with Retry, a DM to its author, then Retry sends it', async () => {
    const { id, mirror } = await customerAsks('ito', 'Is the API down?');
    const before = botMessagesIn(w.help.id).length;
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'Looking into it now.' }));
    w.fake.failNext('POST', new RegExp(`^/channels/${w.help.id}/messages$`), 403, 50001, 'Missing Access', 1);
    release();
    const line = await lineOf(mirror, 'Looking into it now');
    await waitFor(
      () => line.embeds[0].description.startsWith('⚠️ Reply by Alice could not be sent: '),
      8_000,
      'failed line',
    );
    expect(line.embeds[0].description).toContain('koe may not write in the customer’s channel');
    const retry = buttonsOf(line);
    expect(retry.map((b: any) => [b.label, b.custom_id])).toEqual([
      ['Retry', `koe:reply_retry:${id}:${repliesOf(id)[0]!.id}`],
    ]);
    // Its author hears of it privately, in a DM.
    const dmRequest = await waitFor(
      () => w.fake.requestsTo('POST', /^\/users\/@me\/channels$/).find((r) => r.body?.recipient_id === w.alice.user.id),
      8_000,
      'the DM channel',
    );
    expect(dmRequest.status).toBe(200);
    const notice = await waitFor(
      () => {
        const dm = w.fake
          .requestsTo('POST', /^\/channels\/\d+\/messages$/)
          .map((r) => r.path.split('/')[2]!)
          .find((c) => w.fake.channel(c)?.recipient_id === w.alice.user.id);
        return dm && w.fake.messagesIn(dm).at(-1);
      },
      8_000,
      'the DM',
    );
    expect(notice.content).toMatch(new RegExp(`^Your reply to #${id} could not be sent: koe may not write`));
    expect(botMessagesIn(w.help.id)).toHaveLength(before);

    expect(await textOf(w.fake.click(line, w.alice, retry[0].custom_id))).toBe(
      `The reply to #${id} is being sent again.`,
    );
    await waitFor(() => botMessagesIn(w.help.id).length === before + 1, 8_000, 'the retried reply');
    await waitFor(() => line.embeds[0].description.startsWith('↩︎ Sent to the customer by Alice'), 8_000, 'sent line');
    expect(line.components).toEqual([]);
  });
});

describe('finding a reply after an attempt whose answer was lost', () => {
  it('finds koe’s message with the reply’s text that answers the customer, never one recorded as another reply', async () => {
    const { id, asked } = await customerAsks('nakamura', 'Does the lookup work?');
    await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'Yes it does.' }));
    release();
    await waitFor(() => repliesOf(id)[0]?.state === 'sent', 8_000, 'the reply recorded as sent');
    const stored = db()
      .prepare(`SELECT id, created_at AS createdAt FROM messages WHERE inquiry_id = ? AND reply_state = 'sent'`)
      .get(id) as any;
    const req = {
      deliveryId: 900_000_001,
      channel: w.help.id,
      view: inquiryView({ id, source: `discord:${w.help.id}`, externalId: asked.id }),
      message: message({
        id: stored.id,
        inquiryId: id,
        direction: 'outbound',
        body: 'Yes it does.',
        authorName: 'Alice',
      }),
    };
    const replies = k.discord.replies!;
    const since = { sinceMs: Date.now() - 60_000 };
    // The one in the channel is already recorded (as that reply's): an identical second reply is not it.
    expect(await replies.findSentReply({ ...req, ...since })).toBeNull();
    // An attempt that landed, its answer lost: found, and it is the new message.
    const landed = await replies.sendReply(req);
    expect(await replies.findSentReply({ ...req, ...since })).toEqual({
      messageRef: landed.messageRef,
      threadRef: null,
    });
    expect(
      await replies.findSentReply({ ...req, ...since, message: { ...req.message, body: 'Other text' } }),
    ).toBeNull();
    // Sent again with the same delivery (Discord's enforce_nonce): the same message, not a second one.
    expect((await replies.sendReply(req)).messageRef).toBe(landed.messageRef);
    expect(botMessagesIn(w.help.id).filter((m) => m.content === '**Alice**\nYes it does.')).toHaveLength(2);
  });
});

describe('a reply to a forum post', () => {
  it('is written in the post’s thread', async () => {
    const { thread } = w.fake.forumPost(w.forum.id, w.customer.user, 'Login loop', 'I keep getting logged out');
    const row = await waitFor(
      () => db().prepare(`SELECT id FROM inquiries WHERE external_id = ?`).get(thread.id) as { id: number } | undefined,
      8_000,
      'the forum inquiry',
    );
    await mirrorOf(row.id);
    const answer = await textOf(
      w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id: row.id, text: 'Clear your cookies, please.' }),
    );
    expect(answer).toContain(`as a reply in <#${w.forum.id}>`);
    release();
    const sent = await waitFor(() => botMessagesIn(thread.id)[0], 8_000, 'the reply in the post’s thread');
    expect(sent.content).toBe('**Alice**\nClear your cookies, please.');
    expect(sent.message_reference).toBeUndefined();
    expect(botMessagesIn(w.forum.id)).toHaveLength(0);
  });
});

describe('the reply form and "Send to customer"', () => {
  it('opens an empty form from the mirror that says where the reply goes, and queues what is submitted', async () => {
    const { id, mirror } = await customerAsks('kato', 'How do I add a teammate?');
    const opened = await answerOf(w.fake.click(mirror, w.alice, `koe:reply:${id}`));
    expect(opened.type).toBe(9);
    expect(modalProblems(opened.data!)).toEqual([]);
    expect(opened.data!.custom_id).toBe(`koe:reply_form:${id}`);
    expect(opened.data!.title).toBe('Goes to Kato, as a reply in #help.');
    const input = opened.data!.components[0].components[0];
    expect(input).toMatchObject({ type: 4, style: 2, required: true, max_length: 2000, custom_id: 'text' });
    expect(input.value).toBeUndefined();

    const before = botMessagesIn(w.help.id).length;
    const submitted = w.fake.submitModal(
      w.inquiries.id,
      w.alice,
      opened.data!.custom_id,
      { text: 'Settings → Team → Invite.' },
      mirror,
    );
    expect(await textOf(submitted)).toMatch(
      new RegExp(`^Reply to #${id} queued for Kato, as a reply in <#${w.help.id}>`),
    );
    release();
    await waitFor(() => botMessagesIn(w.help.id).length === before + 1, 8_000, 'the reply');
    expect(botMessagesIn(w.help.id).at(-1)!.content).toBe('**Alice**\nSettings → Team → Invite.');
  });

  it('shows no Reply to customer on an inquiry with no way back, and refuses it clearly', async () => {
    const url = 'https://forms.example/t/1?next=[here](https://evil.example)';
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web_[x](https://evil.example)', subject: 'From the form', body: 'hello', url },
    });
    const { id } = (await res.json()) as { id: number };
    const mirror = await mirrorOf(id);
    expect(buttonsOf(mirror).map((b: any) => b.custom_id)).not.toContain(`koe:reply:${id}`);
    const refused = await textOf(w.fake.click(mirror, w.alice, `koe:reply:${id}`));
    expect(refused).toContain('has no way back');
    // Where the customer wrote, shown safely: the address whole in <…>, the source as text, no masked link.
    expect(refused).toContain('<https://forms.example/t/1?next=%5Bhere%5D%28https://evil.example%29>');
    expect(maskedLinks(refused)).toEqual([]);
    expect(await textOf(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'reply', { id, text: 'hi' }))).toContain(
      'has no way back',
    );
  });

  it('sends a note from the mirror’s thread after a confirming form, prefilled with its text; refuses elsewhere', async () => {
    const { id, mirror } = await customerAsks('kimura', 'Do you support SAML?');
    await textOf(
      w.fake.slash(w.inquiries.id, w.alice, 'koe', 'note', { id, text: 'Yes, on *Business* plans [see docs]' }),
    );
    const kept = await lineOf(mirror, 'Business');
    const typed = w.fake.say(mirror.id, w.bob.user, 'We do: Business plan and up.', { roles: w.bob.roles });

    // A person's message in the thread: the form holds its text, which can still be edited.
    const fromTyped = await answerOf(w.fake.messageCommand('Send to customer', typed, w.alice));
    expect(fromTyped.type).toBe(9);
    expect(modalProblems(fromTyped.data!)).toEqual([]);
    expect(fromTyped.data!.components[0].components[0].value).toBe('We do: Business plan and up.');
    // koe's "Internal note" post: its text as the note was written, not as koe escaped it.
    const fromNote = await answerOf(w.fake.messageCommand('Send to customer', kept, w.alice));
    expect(fromNote.data!.components[0].components[0].value).toBe('Yes, on *Business* plans [see docs]');

    const before = botMessagesIn(w.help.id).length;
    const edited = 'We do: Business plan and up. Happy to help set it up!';
    expect(await textOf(w.fake.submitModal(mirror.id, w.bob, fromTyped.data!.custom_id, { text: edited }))).toMatch(
      new RegExp(`^Reply to #${id} queued`),
    );
    release();
    await waitFor(() => botMessagesIn(w.help.id).length === before + 1, 8_000, 'the sent note');
    expect(botMessagesIn(w.help.id).at(-1)!.content).toBe(`**Bob**\n${edited}`);

    // Not a note: the customer's message in the source channel, koe's reply line, the mirror itself.
    const replyLine = await lineOf(mirror, 'Happy to help');
    for (const target of [botMessagesIn(w.help.id).at(-1)!, replyLine, mirror]) {
      expect(await textOf(w.fake.messageCommand('Send to customer', target, w.alice))).toMatch(
        /^Send to customer works on a note in an inquiry’s thread/,
      );
    }
  });

  it('refuses someone who is not staff, and queues nothing', async () => {
    const { id } = await customerAsks('hayashi', 'Please reply to me');
    const replies = () =>
      (db().prepare(`SELECT count(*) AS n FROM messages WHERE reply_state IS NOT NULL`).get() as { n: number }).n;
    const before = replies();
    const refusals = [
      w.fake.slash(w.help.id, w.carol, 'koe', 'reply', { id, text: 'I am not staff' }),
      w.fake.submitModal(w.help.id, w.carol, `koe:reply_form:${id}`, { text: 'I am not staff either' }),
    ];
    for (const rec of refusals) expect(await textOf(rec)).toMatch(/^Only members of the team can do that in koe/);
    expect(replies()).toBe(before);
    expect(
      db().prepare(`SELECT count(*) AS n FROM deliveries WHERE kind = 'reply' AND inquiry_id = ?`).get(id),
    ).toEqual({ n: 0 });
  });
});

describe('attachments', () => {
  it('shows a customer’s attachments in the mirror and in follow-ups as escaped names with their links', async () => {
    const { id, asked, mirror } = await customerAsks('mori', 'Screenshot attached', ['error_*1*.png']);
    const link = (m: StoredMessage) => m.attachments![0]!.url as string;
    expect(mirror.embeds[0].description).toBe(`Screenshot attached\n📎 error\\_\\*1\\*.png ${link(asked)}`);
    const more = w.fake.say(w.help.id, asked.author, '', { attachments: ['log [full].txt'] });
    const line = await lineOf(mirror, 'log');
    expect(line.embeds[0].description).toBe(`📎 log \\[full\\].txt ${link(more)}`);
    expect(messageBodyProblems(line, { create: true })).toEqual([]);
    expect(id).toBeGreaterThan(0);
  });
});
