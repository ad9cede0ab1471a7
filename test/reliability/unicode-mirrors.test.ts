import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBothKoe, SLACK_CHANNEL, type BothKoe } from '../helpers/both-platforms.ts';
import { ledgerProblems, outboxState, shownInDiscord, shownInSlack } from '../helpers/delivery-ledger.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Text at the edges of Unicode and of the platforms' limits, mirrored to Slack and Discord at once:
 * emoji sequences, right-to-left text and overrides, NUL and other control bytes, lone surrogates,
 * 100,000-character bodies, maximal subjects and names, in the inquiry and in its follow-ups. koe
 * stores them intact and mirrors them within every limit: the fakes refuse what Slack (invalid_blocks,
 * msg_blocks_too_long) and Discord (50035 Invalid Form Body) would, and nothing was refused.
 */

let b: BothKoe;
beforeAll(async () => {
  b = await startBothKoe();
});
afterAll(async () => b?.stop());

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Every string inside `value` that holds half a surrogate pair. */
function loneSurrogates(value: unknown): string[] {
  if (typeof value === 'string') return new RegExp(LONE.source).test(value) ? [value.slice(0, 80)] : [];
  if (Array.isArray(value)) return value.flatMap(loneSurrogates);
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [...loneSurrogates(k), ...loneSurrogates(v)]);
  return [];
}

const FAMILY = '👨‍👩‍👧‍👦';
const FLAG = '🏳️‍🌈';
const cases: Array<{ name: string; subject?: string; body: string; customer?: string }> = [
  {
    name: 'emoji sequences',
    subject: `${FAMILY}${FLAG}`.repeat(60),
    body: `${FAMILY} 返金して 🙏🏽 ${FLAG} ❤️‍🔥 🇯🇵`.repeat(40),
  },
  {
    name: 'right-to-left text and overrides',
    subject: '\u202eשלום\u202c مرحبا',
    body: '\u202eשלום עולם\u202c مرحبا بالعالم \u2067isolate\u2069 \u200f‏',
  },
  {
    name: 'NUL and control bytes',
    subject: 'nul\u0000in\u0001subject',
    body: 'before\u0000after\u0007bell\u001b[31mansi\u007f\r\nwindows line',
  },
  { name: 'lone surrogates', subject: 'half \ud83d pair', body: 'broken \ud800 and \udfff halves, then a whole 😀' },
  {
    name: 'a 100,000-character body',
    subject: 'x'.repeat(1000),
    body: `${'あ'.repeat(40_000)}${'😀'.repeat(20_000)}${'a'.repeat(20_000)}`,
  },
  {
    name: 'a 100,000-character body that cuts inside emoji',
    body: `a${FAMILY.repeat(8_000)}`.slice(0, 100_000),
    customer: FAMILY.repeat(45),
  },
  {
    name: 'markup that must stay text',
    subject: '<!channel> @everyone <@U0ALICE> *bold*',
    body: '<!here> @here <#C0SUPPORT> &amp; &lt;script&gt; ```code``` ||spoiler|| [link](https://evil.example)',
  },
];

describe('Unicode edge cases in Slack and Discord mirrors', () => {
  it('stores every body intact and mirrors it, with its follow-ups, within both platforms’ limits', async () => {
    const ids: number[] = [];
    for (const c of cases) {
      const res = await b.api('/api/v1/inquiries', {
        source: 'web',
        subject: c.subject,
        body: c.body,
        customer: { name: c.customer ?? `${FAMILY} 山田` },
      });
      expect(res.status, c.name).toBe(201);
      const { id } = (await res.json()) as { id: number };
      ids.push(id);
      const stored = (await (await b.api(`/api/v1/inquiries/${id}`)).json()) as { body: string };
      // Intact, except that half a surrogate pair (which UTF-8 cannot hold) becomes one U+FFFD.
      expect(stored.body, c.name).toBe(c.body.replace(LONE, '\uFFFD'));
    }
    // Follow-ups and notes carrying the same text go into the mirrors' threads.
    for (const [i, id] of ids.entries()) {
      const follow = await b.api(`/api/v1/inquiries/${id}/messages`, {
        direction: 'inbound',
        body: cases[i]!.body,
        author: { name: cases[i]!.customer ?? FAMILY },
      });
      expect(follow.status).toBe(201);
      const note = await b.api(`/api/v1/inquiries/${id}/resolve`, {
        actor: { id: `api:${FAMILY}`, name: FLAG.repeat(100) },
        note: cases[i]!.body.slice(0, 10_000),
      });
      expect(note.status).toBe(200);
    }

    await waitFor(
      () => {
        const s = outboxState(b.koe.db.$client);
        return s.unfinished === 0 || s.dead.length > 0;
      },
      20_000,
      'every mirror, update and thread message',
    );
    // Nothing refused: a refused payload would be dead-lettered.
    expect(outboxState(b.koe.db.$client).dead).toEqual([]);
    expect(b.slack.blockKitProblems).toEqual([]);
    const refusedByDiscord = b.world.fake.requests.filter(
      (r) => r.status >= 400 && r.status !== 404 && r.status !== 429,
    );
    expect(refusedByDiscord.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([]);
    // Every string koe sent is well formed (no half of a surrogate pair).
    for (const call of b.slack.calls) expect(loneSurrogates(call.params), call.method).toEqual([]);
    for (const r of b.world.fake.requests) expect(loneSurrogates(r.body), `${r.method} ${r.path}`).toEqual([]);
    // And each is mirrored once, with its thread, showing its final status.
    expect(
      ledgerProblems(shownInSlack(b.slack, b.koe.db.$client, [SLACK_CHANNEL]), b.koe.db.$client, b.destinations.slack),
    ).toEqual([]);
    expect(
      ledgerProblems(
        shownInDiscord(b.world.fake, b.koe.db.$client, [b.world.inquiries.id]),
        b.koe.db.$client,
        b.destinations.discord,
      ),
    ).toEqual([]);
  }, 60_000);
});
