import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Action, perform } from '../../src/core/actions.ts';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';

const alice = { id: 'slack:UALICE', name: 'alice' };
const bob = { id: 'discord:42', name: 'bob' };

let t: ReturnType<typeof tempDb>;
let ctx: ReturnType<typeof coreContext>;
let id: number;
beforeEach(() => {
  t = tempDb();
  ctx = coreContext(t.db);
  const created = createInquiry(ctx, { source: 'web', body: 'ログインできません' });
  if (!created.ok) throw new Error(created.code);
  id = created.inquiry.id;
});
afterEach(() => t.cleanup());

const inquiry = () => ctx.store.transaction((tx) => tx.findInquiry(id))!;
const eventCount = () => (t.db.$client.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

describe('perform: one table from action to verb', () => {
  it('runs each lifecycle action through its verb', () => {
    expect(perform(ctx, { type: 'claim', inquiryId: id, actor: alice })).toMatchObject({ ok: true });
    expect(inquiry()).toMatchObject({ status: 'claimed', assigneeId: alice.id });
    expect(perform(ctx, { type: 'assign', inquiryId: id, actor: alice, assignee: bob })).toMatchObject({ ok: true });
    expect(inquiry()).toMatchObject({ status: 'claimed', assigneeId: bob.id, assigneeName: 'bob' });
    expect(perform(ctx, { type: 'unclaim', inquiryId: id, actor: bob })).toMatchObject({ ok: true });
    expect(inquiry()).toMatchObject({ status: 'open', assigneeId: null });
    expect(perform(ctx, { type: 'resolve', inquiryId: id, actor: bob, note: '対応済み' })).toMatchObject({ ok: true });
    expect(inquiry()).toMatchObject({ status: 'resolved' });
    expect(perform(ctx, { type: 'reopen', inquiryId: id, actor: bob })).toMatchObject({ ok: true });
    expect(inquiry().status).toBe('open');
  });

  it('sets a reason as a person’s choice, and says whether it changed', () => {
    const first = perform(ctx, { type: 'reason', inquiryId: id, actor: alice, reason: 'billing' });
    expect(first).toMatchObject({ ok: true, changed: true });
    expect(inquiry()).toMatchObject({ reasonId: 'billing', reasonSource: 'human' });
    expect(perform(ctx, { type: 'reason', inquiryId: id, actor: alice, reason: 'billing' })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(perform(ctx, { type: 'reason', inquiryId: id, actor: alice, reason: 'nope' })).toMatchObject({
      ok: false,
      code: 'UNKNOWN_REASON',
    });
  });

  it('records a note as an internal message by its author, and a message as given', () => {
    const note = perform(ctx, { type: 'note', inquiryId: id, actor: alice, text: 'ログを確認中' });
    expect(note).toMatchObject({ ok: true, created: true, message: { direction: 'note', authorId: alice.id } });
    const reply = perform(ctx, {
      type: 'message',
      inquiryId: id,
      direction: 'outbound',
      body: 'ご連絡ありがとうございます',
      externalId: 'x-1',
    });
    expect(reply).toMatchObject({ ok: true, created: true, message: { direction: 'outbound', externalId: 'x-1' } });
    expect(inquiry().firstResponseAt).not.toBeNull();
  });

  it('hands a verb’s refusal back as it is', () => {
    perform(ctx, { type: 'claim', inquiryId: id, actor: alice });
    expect(perform(ctx, { type: 'claim', inquiryId: id, actor: bob })).toMatchObject({
      ok: false,
      code: 'ALREADY_CLAIMED',
      by: { id: alice.id },
    });
    expect(perform(ctx, { type: 'claim', inquiryId: id + 1, actor: bob })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });
});

describe('perform: the same limits for every edge', () => {
  const refusals: Array<[string, Action, string]> = [
    ['a blank note', { type: 'note', inquiryId: 1, actor: alice, text: ' \n ' }, 'text'],
    [
      'a note over 100,000 characters',
      { type: 'note', inquiryId: 1, actor: alice, text: 'あ'.repeat(100_001) },
      'text',
    ],
    ['an actor without an id', { type: 'claim', inquiryId: 1, actor: { id: '', name: 'x' } }, 'actor.id'],
    [
      'an assignee id over 500 characters',
      { type: 'assign', inquiryId: 1, actor: alice, assignee: { id: 'u'.repeat(501) } },
      'assignee.id',
    ],
    [
      'a resolve note over 10,000 characters',
      { type: 'resolve', inquiryId: 1, actor: alice, note: 'x'.repeat(10_001) },
      'note',
    ],
    ['an inquiry id that is not a positive whole number', { type: 'claim', inquiryId: 0, actor: alice }, 'inquiryId'],
    [
      'a key the action does not have',
      { type: 'claim', inquiryId: 1, actor: alice, force: true } as unknown as Action,
      '(action)',
    ],
  ];

  it.each(refusals)('refuses %s with INVALID_INPUT naming where, and writes nothing', (_what, action, path) => {
    const before = eventCount();
    const outcome = perform(ctx, { ...action, inquiryId: action.inquiryId === 1 ? id : action.inquiryId });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.code).toBe('INVALID_INPUT');
    expect(outcome.issues?.map((i) => i.path)).toEqual([path]);
    expect(outcome.message).toContain(path);
    expect(eventCount()).toBe(before);
    expect(inquiry().status).toBe('open');
  });

  it('names the inquiry in the refusal when the action gave a number for it, and none otherwise', () => {
    const blank = perform(ctx, { type: 'note', inquiryId: id, actor: alice, text: ' ' });
    expect(blank).toEqual({
      ok: false,
      code: 'INVALID_INPUT',
      inquiryId: id,
      message: 'text: must not be blank',
      issues: [{ path: 'text', message: 'must not be blank' }],
    });
    const notANumber = perform(ctx, { type: 'claim', inquiryId: String(id), actor: alice } as unknown as Action);
    expect(notANumber).toMatchObject({ ok: false, code: 'INVALID_INPUT', issues: [{ path: 'inquiryId' }] });
    expect(notANumber).not.toHaveProperty('inquiryId');
  });

  it('accepts the longest note and the longest ids the limits allow', () => {
    const note = perform(ctx, {
      type: 'note',
      inquiryId: id,
      actor: { id: 'u'.repeat(500) },
      text: 'あ'.repeat(100_000),
    });
    expect(note.ok).toBe(true);
  });
});
