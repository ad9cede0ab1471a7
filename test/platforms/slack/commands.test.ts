import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  BOB,
  CAROL,
  CUSTOMER,
  intake,
  mirroredInquiry,
  startSlackKoe,
  SUPPORT,
  type SlackKoe,
} from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** The ephemeral answer to a slash command, as koe put it in the HTTP response. */
async function answer(response: Response): Promise<{ response_type: string; text: string; blocks: any[] }> {
  expect(response.status).toBe(200);
  return response.json() as Promise<{ response_type: string; text: string; blocks: any[] }>;
}
const said = (a: { blocks: any[] }) => a.blocks.map((b) => b.text?.text ?? '').join('\n');

describe('/koe', () => {
  let k: SlackKoe;
  beforeAll(async () => {
    k = await startSlackKoe();
  });
  afterAll(async () => {
    await k.stop();
  });
  afterEach(() => {
    expect(k.fake.blockKitProblems).toEqual([]);
  });

  async function newInquiry(body: Record<string, unknown> = {}): Promise<{ id: number; mirrorTs: string }> {
    const { id, ts } = await mirroredInquiry(k, body);
    return { id, mirrorTs: ts };
  }

  it('gives the claim to exactly one of two people claiming at once, and tells the other who has it', async () => {
    const { id, mirrorTs } = await newInquiry();
    const updatesBefore = k.fake.okCallsTo('chat.update').length;
    const [a, b] = await Promise.all([k.command(`claim ${id}`, ALICE), k.command(`claim #${id}`, BOB)]);
    const answers = [await answer(a), await answer(b)];
    for (const x of answers) expect(x.response_type).toBe('ephemeral');
    const texts = answers.map(said);
    const won = texts.filter((t) => t === `You claimed #${id}.`);
    const lost = texts.filter((t) => t.includes('is already claimed by'));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = texts[0] === `You claimed #${id}.` ? ALICE : BOB;
    expect(lost[0]).toBe(`#${id} is already claimed by <@${winner}> — ask them or use \`/koe assign ${id} @you\`.`);

    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.assignee.id).toBe(`slack:${winner}`);
    expect(detail.events.filter((e: any) => e.type === 'claimed')).toHaveLength(1);
    await k.drain();
    const update = await waitFor(
      () =>
        k.fake
          .okCallsTo('chat.update')
          .slice(updatesBefore)
          .find((c) => c.params.ts === mirrorTs),
      5_000,
      'mirror update',
    );
    expect(JSON.stringify(update.params.blocks)).toContain(`<@${winner}>`);
  });

  it('runs the whole lifecycle: assign, unclaim, reason, note, resolve with a note, reopen', async () => {
    const { id, mirrorTs } = await newInquiry();
    expect(said(await answer(await k.command(`assign ${id} <@${CAROL}|carol>`, ALICE)))).toBe(
      `#${id} is now assigned to <@${CAROL}>.`,
    );
    expect(said(await answer(await k.command(`assign ${id} <@${CAROL}|carol>`, ALICE)))).toBe(
      `#${id} is already assigned to <@${CAROL}>.`,
    );
    expect(said(await answer(await k.command(`unclaim ${id}`, ALICE)))).toContain('back in the pool');
    expect(said(await answer(await k.command(`unclaim ${id}`, ALICE)))).toBe(
      `Nobody has claimed #${id}. \`/koe claim ${id}\` takes it.`,
    );
    expect(said(await answer(await k.command(`reason ${id} bug`, ALICE)))).toBe(
      `#${id}'s reason is now "Bug / outage".`,
    );
    const unknown = said(await answer(await k.command(`reason ${id} nonsense`, ALICE)));
    expect(unknown).toContain('There is no reason "nonsense". Valid reasons:');
    expect(unknown).toContain('`feature_request`');
    expect(said(await answer(await k.command(`note ${id} called them &amp; left a voicemail`, ALICE)))).toBe(
      `Internal note added to #${id}.`,
    );
    expect(said(await answer(await k.command(`resolve ${id} refunded`, BOB)))).toBe(`#${id} is resolved.`);
    expect(said(await answer(await k.command(`resolve ${id}`, BOB)))).toContain(
      `is already resolved. If it still needs work, \`/koe reopen ${id}\``,
    );
    expect(said(await answer(await k.command(`reopen ${id}`, BOB)))).toBe(`#${id} is open again.`);

    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.status).toBe('open');
    expect(detail.reason).toBe('bug');
    expect(detail.reasonSource).toBe('human');
    expect(detail.messages.map((m: any) => [m.direction, m.body])).toEqual([
      ['note', 'called them & left a voicemail'],
      ['note', 'refunded'],
    ]);
    // The reason change routed it to #bugs as well; the notes went to the support mirror's thread.
    await k.drain();
    const notes = await waitFor(
      () => (k.fake.replies(SUPPORT, mirrorTs).length >= 2 ? k.fake.replies(SUPPORT, mirrorTs) : null),
      5_000,
      'notes in thread',
    );
    expect(notes.map((m) => JSON.stringify(m.blocks))).toEqual([
      expect.stringContaining('voicemail'),
      expect.stringContaining('refunded'),
    ]);
  });

  it('lists open inquiries oldest first, and the ones I hold', async () => {
    const a = await newInquiry({ subject: 'first waiting' });
    const b = await newInquiry({ subject: 'second waiting' });
    await k.command(`claim ${b.id}`, CAROL);
    const open = said(await answer(await k.command('open', ALICE)));
    expect(open).toContain(`#${a.id}`);
    expect(open).not.toContain(`*#${b.id}*`);
    expect(open.indexOf('first waiting')).toBeGreaterThan(-1);
    const mine = said(await answer(await k.command('mine', CAROL)));
    expect(mine).toContain(`*#${b.id}*`);
    expect(mine).toContain('second waiting');
    expect(said(await answer(await k.command('mine', BOB)))).toBe('You hold no inquiries.');
  });

  it('shows an inquiry, paging a 100k-character body through response_url', async () => {
    const body = `${'long body. '.repeat(9_090)}END`;
    const { id } = await newInquiry({ body });
    const responseUrl = k.fake.responseUrl();
    const first = await answer(await k.command(`show ${id}`, ALICE, { responseUrl }));
    expect(first.blocks[0].text.text).toContain(`#${id}`);
    const pages = await waitFor(
      () => {
        const got = k.fake.responses.filter((r) => r.path === new URL(responseUrl).pathname);
        return got.length >= 5 ? got : null;
      },
      5_000,
      'five more pages',
    );
    expect(pages).toHaveLength(5); // response_url takes five uses
    for (const p of pages) expect(p.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(said(pages.at(-1)!.body)).toContain('the rest is in the API');
  });

  it('answers help, usage mistakes and unknown ids with what to type instead', async () => {
    const help = said(await answer(await k.command('', ALICE)));
    expect(help).toContain('`/koe claim [id]`');
    expect(help).toContain('`/koe stats [today|7d|30d]`');
    expect(said(await answer(await k.command('claim', ALICE)))).toBe(
      'Which inquiry? `/koe claim [id]` (e.g. `/koe claim 12`)',
    );
    expect(said(await answer(await k.command('frobnicate <!channel>', ALICE)))).toBe(
      'There is no "frobnicate" command. `/koe help` lists them.',
    );
    expect(said(await answer(await k.command('claim 999999', ALICE)))).toBe(
      'There is no inquiry #999999. `/koe open` lists the open ones.',
    );
  });

  it('counts inquiries for stats', async () => {
    await newInquiry();
    const stats = said(await answer(await k.command('stats 7d', ALICE)));
    expect(stats).toMatch(/\*Last 7 days\*\nReceived \d+ · resolved \d+ · median first response/);
  });

  it('refuses commands from people outside the team (a Slack Connect customer)', async () => {
    const { id } = await newInquiry();
    expect(said(await answer(await k.command(`claim ${id}`, CUSTOMER)))).toBe(
      'Only members of the team can do that in koe.',
    );
    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.status).toBe('open');
  });

  it('takes commands by @koe mention inside a mirror thread, where the id may be left out', async () => {
    const { id, mirrorTs } = await newInquiry();
    const mention = (text: string, user = BOB) =>
      k.sendEvent({
        type: 'app_mention',
        user,
        text: `<@${k.fake.botUserId}> ${text}`,
        channel: SUPPORT,
        ts: `${Math.floor(Date.now() / 1000)}.${String(Math.random()).slice(2, 8)}`,
        thread_ts: mirrorTs,
      });
    expect((await mention('claim')).response.status).toBe(200);
    const told = await waitFor(
      () => k.fake.ephemerals.find((e) => e.user === BOB && e.thread_ts === mirrorTs),
      5_000,
      'ephemeral in thread',
    );
    expect(told).toMatchObject({ channel: SUPPORT, text: `You claimed #${id}.` });
    await mention('note called them back');
    await mention('resolve all good now');
    const detail = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(detail.assignee.id).toBe(`slack:${BOB}`);
    expect(detail.status).toBe('resolved');
    expect(detail.messages.map((m: any) => m.body)).toEqual(['called them back', 'all good now']);
  });

  it('answers in Japanese when the locale is ja', async () => {
    const ja = await startSlackKoe({
      yaml: `locale: ja\ndestinations:\n  - name: support\n    platform: slack\n    channel: ${SUPPORT}\n`,
      fake: k.fake,
    });
    try {
      const created = await intake(ja, { reason: 'how_to' });
      const [x, y] = [
        await answer(await ja.command(`claim ${created.id}`, ALICE)),
        await answer(await ja.command(`claim ${created.id}`, BOB)),
      ];
      expect(said(x)).toBe(`#${created.id} を担当しました。`);
      expect(said(y)).toBe(
        `#${created.id} はすでに <@${ALICE}> さんが担当しています。本人に声をかけるか、\`/koe assign ${created.id} @担当者\` で付け替えてください。`,
      );
    } finally {
      await ja.stop();
    }
  });
});
