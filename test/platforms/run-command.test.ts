import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry } from '../../src/core/inquiries/index.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { type CommandVoice, LIST_LIMIT, runKoeCommand } from '../../src/platforms/run-command.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';

const alice = { id: 'slack:UALICE', name: 'alice' };
const bob = { id: 'slack:UBOB', name: 'bob' };
const voice: CommandVoice = {
  rc: { locale: 'en', command: '/koe' },
  mention: (a) => `@${a.name ?? a.id}`,
  threadHint: 'hint',
};

let t: ReturnType<typeof tempDb>;
let clock: ReturnType<typeof manualClock>;
let env: {
  ctx: ReturnType<typeof coreContext>;
  read: ReturnType<typeof createReadModel>;
  render: { locale: 'en'; timezone: string; reasons: typeof DEFAULT_REASONS };
};
beforeEach(() => {
  t = tempDb();
  clock = manualClock(Date.parse('2026-11-23T03:00:00Z')); // 12:00 in Tokyo
  env = {
    ctx: coreContext(t.db, { now: clock.now }),
    read: createReadModel(t.db),
    render: { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS },
  };
});
afterEach(() => t.cleanup());

const newInquiry = (body = 'hi', extra: { reason?: string; receivedAt?: string } = {}) => {
  const out = createInquiry(env.ctx, { source: 'web', body, ...extra });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
};
const textOf = (answer: ReturnType<typeof runKoeCommand>) =>
  answer.kind === 'text' ? answer.text : `(${answer.kind})`;

describe('runKoeCommand', () => {
  it('counts /koe stats for today in the configured zone, with reason labels', () => {
    newInquiry('yesterday', { reason: 'bug', receivedAt: '2026-11-22T14:00:00Z' }); // 23:00 Tokyo, the day before
    newInquiry('today 1', { reason: 'bug', receivedAt: '2026-11-22T16:00:00Z' }); // 01:00 Tokyo
    const third = newInquiry('today 2', { reason: 'billing' });
    claim(env.ctx, { inquiryId: third, actor: alice });
    clock.advance(30 * 60_000);
    addMessage(env.ctx, { inquiryId: third, direction: 'outbound', body: 'on it' });
    const today = textOf(runKoeCommand(env, voice, { kind: 'stats', period: 'today' }, alice));
    expect(today).toContain('Received 2 · resolved 0 · median first response 30 min');
    expect(today).toContain('Now: 2 open · 1 claimed');
    expect(today).toContain('• Billing: 1\n• Bug / outage: 1');
    expect(textOf(runKoeCommand(env, voice, { kind: 'stats', period: '7d' }, alice))).toContain('Received 3 ');
  });

  it('lists at most LIST_LIMIT open inquiries oldest first, with the true total', () => {
    for (let i = 0; i < LIST_LIMIT + 5; i++) newInquiry(`q${i}`);
    claim(env.ctx, { inquiryId: 1, actor: alice });
    const open = runKoeCommand(env, voice, { kind: 'open' }, alice);
    expect(open).toMatchObject({ kind: 'list', which: 'open', total: LIST_LIMIT + 4 });
    if (open.kind !== 'list') return;
    expect(open.items).toHaveLength(LIST_LIMIT);
    expect(open.items[0]?.id).toBe(2);
    expect(runKoeCommand(env, voice, { kind: 'mine' }, alice)).toMatchObject({ kind: 'list', total: 1 });
    expect(runKoeCommand(env, voice, { kind: 'mine' }, bob)).toMatchObject({ kind: 'list', total: 0, items: [] });
  });

  it('takes the inquiry of the thread when the id is left out, and asks for one elsewhere', () => {
    const id = newInquiry();
    expect(textOf(runKoeCommand(env, voice, { kind: 'claim' }, alice, id))).toBe(`You claimed #${id}.`);
    expect(textOf(runKoeCommand(env, voice, { kind: 'claim' }, alice))).toContain('Which inquiry?');
    expect(textOf(runKoeCommand(env, voice, { kind: 'claim', id }, bob, 999))).toContain('already claimed by @alice');
  });

  it('says an assignment to the current holder is already so, and a reason that did not change, unchanged', () => {
    const id = newInquiry();
    const assign = { kind: 'assign' as const, id, assignee: bob };
    expect(textOf(runKoeCommand(env, voice, assign, alice))).toBe(`#${id} is now assigned to @bob.`);
    expect(textOf(runKoeCommand(env, voice, assign, alice))).toBe(`#${id} is already assigned to @bob.`);
    const reason = { kind: 'reason' as const, id, reasonId: 'billing' };
    expect(textOf(runKoeCommand(env, voice, reason, alice))).toBe(`#${id}'s reason is now "Billing".`);
    expect(textOf(runKoeCommand(env, voice, reason, alice))).toBe(`#${id}'s reason is already "Billing".`);
  });

  it('refuses a note over the action table’s limit before anything is written', () => {
    const id = newInquiry();
    const answer = textOf(runKoeCommand(env, voice, { kind: 'note', id, text: 'x'.repeat(100_001) }, alice));
    expect(answer).toContain('text:');
    expect(env.read.inquiryDetail(id)?.messages).toEqual([]);
  });

  it('shows an inquiry in full, or says it does not exist', () => {
    const id = newInquiry('全文');
    expect(runKoeCommand(env, voice, { kind: 'show', id }, alice)).toMatchObject({
      kind: 'detail',
      detail: { inquiry: { id, body: '全文' } },
    });
    expect(textOf(runKoeCommand(env, voice, { kind: 'show', id: 99 }, alice))).toContain('There is no inquiry #99');
  });
});
