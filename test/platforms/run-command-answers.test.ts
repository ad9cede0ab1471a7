import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inquiry } from '../../src/core/inquiries/types.ts';
import { claim, createInquiry } from '../../src/core/inquiries/index.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { createSlaPolicy } from '../../src/core/sla/policy.ts';
import {
  type CommandVoice,
  periodStart,
  replyOutcome,
  replyWhereFor,
  runKoeCommand,
} from '../../src/platforms/run-command.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { roundTheClock, testSlaSettings } from '../helpers/sla.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';

/** What /koe reply, /koe open (with SLA) and /koe stats answer, through the core and a real read model. */

const alice = { id: 'slack:UALICE', name: 'alice' };
const voice: CommandVoice = {
  rc: { locale: 'en', command: '/koe' },
  mention: (a) => `@${a.name ?? a.id}`,
  threadHint: 'hint',
};
const NOW = Date.parse('2026-11-23T03:00:00Z'); // Monday 12:00 in Tokyo

let t: ReturnType<typeof tempDb>;
let clock: ReturnType<typeof manualClock>;
let targets: Map<number, { platform: string; channel: string }>;
const env = () => ({
  ctx: coreContext(t.db, {
    now: clock.now,
    replies: { undoMs: 30_000, targetOf: (i: Inquiry) => (targets.get(i.id) as never) ?? null },
  }),
  read: createReadModel(t.db),
  render: { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS },
});
beforeEach(() => {
  t = tempDb();
  clock = manualClock(NOW);
  targets = new Map();
});
afterEach(() => t.cleanup());

const newInquiry = (input: Partial<Parameters<typeof createInquiry>[1]> = {}, e = env()) => {
  const out = createInquiry(e.ctx, { source: 'web', body: 'hi', ...input });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
};
const textOf = (answer: ReturnType<typeof runKoeCommand>) =>
  answer.kind === 'text' ? answer.text : `(${answer.kind})`;

describe('/koe reply', () => {
  it('queues the reply and says for whom, where, until when, through the platform’s voice', () => {
    const id = newInquiry({ customer: { name: 'Ann <A>' } });
    targets.set(id, { platform: 'slack', channel: 'C1' });
    const slackish: CommandVoice = { ...voice, literal: (s) => `«${s}»`, channel: (p, c) => `${p}#${c}` };
    const answer = textOf(runKoeCommand(env(), slackish, { kind: 'reply', id, text: 'Thanks!' }, alice));
    expect(answer).toBe(
      `Reply to #${id} queued for «Ann <A>», in their thread in slack#C1. It leaves at 12:00:30; Undo in the inquiry's thread stops it until then.`,
    );
  });

  it('says a reply with no undo window is on its way, naming the customer by address when there is no name', () => {
    const id = newInquiry({ customer: { email: 'ann@example.com' } });
    targets.set(id, { platform: 'discord', channel: 'D1' });
    const e = env();
    e.ctx.replies = { undoMs: 0, targetOf: e.ctx.replies!.targetOf };
    const outcome = replyOutcome(e, voice, { inquiryId: id, actor: alice, body: 'Hi' });
    expect(outcome).toEqual({ ok: true, text: `Reply to #${id} is on its way to ann@example.com, as a reply in D1.` });
  });

  it('refuses a reply with no way back, with the core’s code and the inquiry named', () => {
    const id = newInquiry();
    const outcome = replyOutcome(env(), voice, { inquiryId: id, actor: alice, body: 'Hi' });
    expect(outcome).toMatchObject({ ok: false, code: 'NO_WAY_BACK' });
    expect(outcome.text).toContain(`#${id}`);
    expect(textOf(runKoeCommand(env(), voice, { kind: 'reply', id: 999, text: 'x' }, alice))).toContain(
      'There is no inquiry #999',
    );
  });

  it('names where a reply goes on each platform, and an unknown customer as "the customer"', () => {
    const id = newInquiry();
    const e = env();
    expect(replyWhereFor(e, voice, id, { platform: 'webhook', channel: 'shop' })).toBe(
      'the customer, through the "shop" webhook',
    );
    expect(replyWhereFor(e, voice, 999, { platform: 'email', channel: 'x' })).toBe('the customer, by email');
    expect(replyWhereFor(e, voice, id, { platform: 'line', channel: 'L1' })).toBe('the customer (line:L1)');
  });
});

describe('/koe open with SLA targets', () => {
  it('lists open inquiries soonest due first, ties by number, and counts only open ones', () => {
    const e = env();
    e.ctx.sla = createSlaPolicy(
      testSlaSettings({
        calendar: roundTheClock('Asia/Tokyo'),
        firstResponse: { unit: 'h', amount: 4 },
        byReason: { bug: { firstResponse: { unit: 'h', amount: 1 } } },
      }),
    );
    const slow = newInquiry({ reason: 'billing' }, e); // due 16:00
    const fast = newInquiry({ reason: 'bug' }, e); // due 13:00
    const slowToo = newInquiry({ reason: 'how_to' }, e); // due 16:00, after #slow by number
    const held = newInquiry({ reason: 'bug' }, e);
    claim(e.ctx, { inquiryId: held, actor: alice });
    const open = runKoeCommand(e, voice, { kind: 'open' }, alice);
    expect(open).toMatchObject({ kind: 'list', which: 'open', total: 3 });
    if (open.kind !== 'list') return;
    expect(open.items.map((i) => i.id)).toEqual([fast, slow, slowToo]);
  });
});

describe('/koe stats periods', () => {
  it('starts today at local midnight, 7d and 30d that many days back', () => {
    expect(periodStart('today', NOW, 'Asia/Tokyo')).toBe(Date.parse('2026-11-22T15:00:00Z'));
    expect(periodStart('today', NOW, 'UTC')).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(periodStart('7d', NOW, 'Asia/Tokyo')).toBe(NOW - 7 * 86_400_000);
    expect(periodStart('30d', NOW, 'Asia/Tokyo')).toBe(NOW - 30 * 86_400_000);
  });

  it('counts 30 days for /koe stats 30d and not what came before', () => {
    newInquiry({ receivedAt: new Date(NOW - 31 * 86_400_000).toISOString() });
    newInquiry({ receivedAt: new Date(NOW - 29 * 86_400_000).toISOString() });
    newInquiry({ receivedAt: new Date(NOW - 8 * 86_400_000).toISOString() });
    const answer = (period: 'today' | '7d' | '30d') =>
      textOf(runKoeCommand(env(), voice, { kind: 'stats', period }, alice));
    expect(answer('30d')).toContain('Received 2 ');
    expect(answer('7d')).toContain('Received 0 ');
  });
});

describe('/koe help, usage and resolve', () => {
  it('answers help and a usage problem in words', () => {
    expect(textOf(runKoeCommand(env(), voice, { kind: 'help' }, alice))).toContain('/koe claim');
    expect(
      textOf(runKoeCommand(env(), voice, { kind: 'usage', problem: { kind: 'unknown', given: 'explode' } }, alice)),
    ).toBe('There is no "explode" command. `/koe help` lists them.');
  });

  it('resolves with the note kept in the thread, and without one', () => {
    const e = env();
    const id = newInquiry({}, e);
    expect(textOf(runKoeCommand(e, voice, { kind: 'resolve', id, note: 'refunded' }, alice))).toContain(`#${id}`);
    const detail = e.read.inquiryDetail(id)!;
    expect(detail.inquiry.status).toBe('resolved');
    expect(detail.messages.map((m) => [m.direction, m.body])).toEqual([['note', 'refunded']]);
    const other = newInquiry({}, e);
    runKoeCommand(e, voice, { kind: 'resolve', id: other }, alice);
    expect(e.read.inquiryDetail(other)!.messages).toEqual([]);
  });

  it('says a claim on a claimed inquiry is refused, naming who holds it', () => {
    const e = env();
    const id = newInquiry({}, e);
    claim(e.ctx, { inquiryId: id, actor: { id: 'slack:UBOB', name: 'bob' } });
    expect(textOf(runKoeCommand(e, voice, { kind: 'assign', id, assignee: alice }, alice))).toContain('@alice');
    expect(textOf(runKoeCommand(e, voice, { kind: 'claim', id }, { id: 'slack:UCAROL', name: 'carol' }))).toContain(
      'already claimed by @alice',
    );
  });
});
