import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { perform } from '../../../src/core/actions.ts';
import type { ReplyTarget } from '../../../src/core/context.ts';
import {
  addMessage,
  createInquiry,
  markReplyFailed,
  markReplySent,
  type Inquiry,
} from '../../../src/core/inquiries/index.ts';
import { replyTargetsOf } from '../../../src/config/reply-targets.ts';
import { deliveries, events, inquiries, messages } from '../../../src/storage/schema/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

/**
 * Replies koe sends: only the reply action queues one, it waits out the undo window as a pending
 * outbox row, undo wins only while no attempt has taken it, and the state every surface shows
 * (queued, sent, failed, undone) follows what the outbox reports.
 */

const alice = { id: 'slack:UALICE', name: 'alice' };
const UNDO_MS = 10_000;

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

function setup(targetOf: (inquiry: Inquiry) => ReplyTarget | null = () => ({ platform: 'webhook', channel: 'web' })) {
  const clock = manualClock();
  const ctx = coreContext(t.db, { now: clock.now, replies: { undoMs: UNDO_MS, targetOf } });
  const created = createInquiry(ctx, {
    source: 'web',
    body: 'ログインできません',
    customer: { email: 'a@example.com' },
  });
  if (!created.ok) throw new Error(created.code);
  return { ctx, clock, inquiryId: created.inquiry.id };
}

const rows = () => t.db.select().from(deliveries).all();
const replyRows = () => rows().filter((r) => r.kind === 'reply');
const eventTypes = () =>
  t.db
    .select()
    .from(events)
    .all()
    .map((e) => e.type);
const inquiry = (id: number) =>
  t.db
    .select()
    .from(inquiries)
    .all()
    .find((i) => i.id === id)!;

function queue(ctx: ReturnType<typeof setup>['ctx'], inquiryId: number, body = 'お待たせしました') {
  const out = perform(ctx, { type: 'reply', inquiryId, actor: alice, body });
  if (!out.ok) throw new Error(out.code);
  return out;
}

describe('queueing a reply', () => {
  it('stores it as a queued outbound message and queues one reply row due at the end of the undo window', () => {
    const { ctx, clock, inquiryId } = setup();
    const out = queue(ctx, inquiryId);
    expect(out.message).toMatchObject({ direction: 'outbound', replyState: 'queued', authorId: alice.id });
    expect(out.sendsAt).toBe(clock.now() + UNDO_MS);
    expect(out.target).toEqual({ platform: 'webhook', channel: 'web' });
    const [row, ...more] = replyRows();
    expect(more).toHaveLength(0);
    expect(row).toMatchObject({
      status: 'pending',
      platform: 'webhook',
      channel: 'web',
      destination: 'reply:webhook:web',
      messageId: out.message.id,
      nextAttemptAt: clock.now() + UNDO_MS,
    });
    // Queued is not answered: first-response time waits for the reply to reach the customer.
    expect(inquiry(inquiryId).firstResponseAt).toBeNull();
    expect(ctx.wakes).toBeGreaterThan(0);
  });

  it('shows the reply in every mirror thread: one thread row per routed destination', () => {
    const { ctx, inquiryId } = setup();
    // The intake routed the inquiry to the console destination.
    expect(rows().filter((r) => r.kind === 'post')).toHaveLength(1);
    const out = queue(ctx, inquiryId);
    const thread = rows().filter((r) => r.kind === 'thread');
    expect(thread).toEqual([expect.objectContaining({ messageId: out.message.id, destination: 'everyone' })]);
  });

  it('refuses an inquiry with no way back, naming where the customer wrote, and stores nothing', () => {
    const { ctx, inquiryId } = setup(() => null);
    const before = t.db.select().from(messages).all().length;
    const out = perform(ctx, { type: 'reply', inquiryId, actor: alice, body: 'hi' });
    expect(out).toMatchObject({ ok: false, code: 'NO_WAY_BACK', inquiryId, source: 'web' });
    expect(t.db.select().from(messages).all()).toHaveLength(before);
    expect(replyRows()).toHaveLength(0);
  });

  it('refuses when koe has no reply settings at all (fails closed)', () => {
    const clock = manualClock();
    const ctx = coreContext(t.db, { now: clock.now });
    const created = createInquiry(ctx, { source: 'web', body: 'x' });
    if (!created.ok) throw new Error(created.code);
    expect(perform(ctx, { type: 'reply', inquiryId: created.inquiry.id, actor: alice, body: 'hi' })).toMatchObject({
      ok: false,
      code: 'NO_WAY_BACK',
    });
  });

  it('refuses an unknown inquiry, a blank body and a body over 2,000 characters', () => {
    const { ctx, inquiryId } = setup();
    expect(perform(ctx, { type: 'reply', inquiryId: 999, actor: alice, body: 'x' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(perform(ctx, { type: 'reply', inquiryId, actor: alice, body: '  \n ' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(perform(ctx, { type: 'reply', inquiryId, actor: alice, body: 'あ'.repeat(2_001) })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(perform(ctx, { type: 'reply', inquiryId, actor: alice, body: 'あ'.repeat(2_000) }).ok).toBe(true);
  });

  it('a note or a message written in a mirror thread never queues a reply', () => {
    const { ctx, inquiryId } = setup();
    perform(ctx, { type: 'note', inquiryId, actor: alice, text: 'お客様に返信します' });
    addMessage(ctx, { inquiryId, direction: 'outbound', body: 'replied by email', author: alice });
    expect(replyRows()).toHaveLength(0);
    expect(
      t.db
        .select()
        .from(messages)
        .all()
        .every((m) => m.replyState === null),
    ).toBe(true);
  });
});

describe('undo', () => {
  it('cancels the reply inside its window: the row is cancelled, the message undone, the threads told', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    const out = perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: message.id });
    expect(out).toMatchObject({ ok: true, message: { replyState: 'undone' } });
    expect(replyRows()[0]!.status).toBe('cancelled');
    expect(rows().filter((r) => r.kind === 'thread_update' && r.messageId === message.id)).toHaveLength(1);
    expect(eventTypes()).toContain('reply_undone');
  });

  it('is too late once an attempt has taken the row (it may be on the wire)', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    t.db.$client.prepare(`UPDATE deliveries SET status = 'in_flight', attempts = 1 WHERE kind = 'reply'`).run();
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: message.id })).toMatchObject({
      ok: false,
      code: 'TOO_LATE_TO_UNDO',
    });
    expect(
      t.db
        .select()
        .from(messages)
        .all()
        .find((m) => m.id === message.id)!.replyState,
    ).toBe('queued');
  });

  it('is too late for a row put back after a failed attempt (an earlier attempt may have landed)', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    t.db.$client.prepare(`UPDATE deliveries SET attempts = 1 WHERE kind = 'reply'`).run();
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: message.id })).toMatchObject({
      code: 'TOO_LATE_TO_UNDO',
    });
  });

  it('a second undo is too late, and an undo of a sent reply is too late', () => {
    const { ctx, inquiryId } = setup();
    const first = queue(ctx, inquiryId).message;
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: first.id }).ok).toBe(true);
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: first.id })).toMatchObject({
      code: 'TOO_LATE_TO_UNDO',
    });
    const second = queue(ctx, inquiryId).message;
    markReplySent(ctx, { messageId: second.id, ref: 'r1', at: ctx.now() });
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: second.id })).toMatchObject({
      code: 'TOO_LATE_TO_UNDO',
    });
  });

  it('does not undo a message of another inquiry, or one that is not a reply koe sends', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    const other = createInquiry(ctx, { source: 'web', body: 'other' });
    if (!other.ok) throw new Error(other.code);
    expect(
      perform(ctx, { type: 'undo_reply', inquiryId: other.inquiry.id, actor: alice, messageId: message.id }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const note = perform(ctx, { type: 'note', inquiryId, actor: alice, text: 'note' });
    if (!note.ok) throw new Error(note.code);
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: note.message.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(replyRows()[0]!.status).toBe('pending');
  });
});

describe('sent and failed, as the outbox reports them', () => {
  it('sent: the state, the send time, the channel id, first-response time and a thread update, once', () => {
    const { ctx, clock, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    clock.advance(UNDO_MS + 1_234);
    const at = clock.now();
    markReplySent(ctx, { messageId: message.id, ref: '1700000000.000100', at });
    markReplySent(ctx, { messageId: message.id, ref: '1700000000.000100', at: at + 5_000 }); // a crashed worker's second word
    const stored = t.db
      .select()
      .from(messages)
      .all()
      .find((m) => m.id === message.id)!;
    expect(stored).toMatchObject({ replyState: 'sent', sentAt: at, externalId: '1700000000.000100', replyError: null });
    expect(inquiry(inquiryId).firstResponseAt).toBe(at);
    expect(eventTypes().filter((e) => e === 'reply_sent')).toHaveLength(1);
    expect(rows().filter((r) => r.kind === 'thread_update')).toHaveLength(1);
  });

  it('an earlier first response stays the first', () => {
    const { ctx, clock, inquiryId } = setup();
    addMessage(ctx, { inquiryId, direction: 'outbound', body: 'by phone', author: alice });
    const first = inquiry(inquiryId).firstResponseAt;
    const { message } = queue(ctx, inquiryId);
    clock.advance(60_000);
    markReplySent(ctx, { messageId: message.id, ref: null, at: clock.now() });
    expect(inquiry(inquiryId).firstResponseAt).toBe(first);
  });

  it('a channel id another message of the inquiry already has is not taken twice', () => {
    const { ctx, inquiryId } = setup();
    addMessage(ctx, { inquiryId, direction: 'inbound', body: 'x', externalId: 'same' });
    const { message } = queue(ctx, inquiryId);
    markReplySent(ctx, { messageId: message.id, ref: 'same', at: ctx.now() });
    const stored = t.db
      .select()
      .from(messages)
      .all()
      .find((m) => m.id === message.id)!;
    expect(stored).toMatchObject({ replyState: 'sent', externalId: null });
  });

  it('failed: the reason, a thread update, and a private notice to a chat author; nothing for an API author', () => {
    const { ctx, inquiryId } = setup();
    const routes = [{ name: 'team', platform: 'slack' as const, channel: 'C0TEAM' }];
    const slackCtx = { ...ctx, routes };
    const { message } = queue(ctx, inquiryId);
    markReplyFailed(slackCtx, { messageId: message.id, error: 'channel_not_found' });
    const stored = t.db
      .select()
      .from(messages)
      .all()
      .find((m) => m.id === message.id)!;
    expect(stored).toMatchObject({ replyState: 'failed', replyError: 'channel_not_found' });
    expect(rows().filter((r) => r.kind === 'notice')).toEqual([
      expect.objectContaining({ platform: 'slack', channel: 'UALICE', messageId: message.id }),
    ]);
    expect(eventTypes()).toContain('reply_failed');

    const api = perform(ctx, { type: 'reply', inquiryId, actor: { id: 'api:crm', name: 'CRM' }, body: 'x' });
    if (!api.ok) throw new Error(api.code);
    markReplyFailed(slackCtx, { messageId: api.message.id, error: 'HTTP 410' });
    expect(rows().filter((r) => r.kind === 'notice')).toHaveLength(1);
  });

  it('no notice when koe has no route on the author’s platform (it could not deliver it)', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    markReplyFailed(ctx, { messageId: message.id, error: 'boom' }); // console routes only
    expect(rows().filter((r) => r.kind === 'notice')).toHaveLength(0);
  });

  it('a sent or undone reply does not turn failed', () => {
    const { ctx, inquiryId } = setup();
    const sent = queue(ctx, inquiryId).message;
    markReplySent(ctx, { messageId: sent.id, ref: null, at: ctx.now() });
    markReplyFailed(ctx, { messageId: sent.id, error: 'late' });
    const undone = queue(ctx, inquiryId).message;
    perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: undone.id });
    markReplyFailed(ctx, { messageId: undone.id, error: 'late' });
    const states = t.db
      .select()
      .from(messages)
      .all()
      .map((m) => m.replyState);
    expect(states.filter(Boolean)).toEqual(['sent', 'undone']);
  });
});

describe('retry', () => {
  it('puts the failed reply’s own row back with a fresh budget, keeping its last error', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    t.db.$client
      .prepare(`UPDATE deliveries SET status = 'dead', attempts = 10, last_error = 'boom' WHERE kind = 'reply'`)
      .run();
    markReplyFailed(ctx, { messageId: message.id, error: 'boom' });
    const out = perform(ctx, { type: 'retry_reply', inquiryId, actor: alice, messageId: message.id });
    expect(out).toMatchObject({ ok: true, message: { replyState: 'queued', replyError: null } });
    expect(replyRows()).toEqual([expect.objectContaining({ status: 'pending', attempts: 0, lastError: 'boom' })]);
    expect(eventTypes()).toContain('reply_retried');
  });

  it('a retried reply cannot be undone: its failed attempt may have landed after all', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    t.db.$client
      .prepare(`UPDATE deliveries SET status = 'dead', attempts = 10, last_error = 'timeout' WHERE kind = 'reply'`)
      .run();
    markReplyFailed(ctx, { messageId: message.id, error: 'timeout' });
    expect(perform(ctx, { type: 'retry_reply', inquiryId, actor: alice, messageId: message.id }).ok).toBe(true);
    expect(perform(ctx, { type: 'undo_reply', inquiryId, actor: alice, messageId: message.id })).toMatchObject({
      code: 'TOO_LATE_TO_UNDO',
    });
    expect(replyRows()[0]!.status).toBe('pending');
  });

  it('refuses a reply that has not failed', () => {
    const { ctx, inquiryId } = setup();
    const { message } = queue(ctx, inquiryId);
    expect(perform(ctx, { type: 'retry_reply', inquiryId, actor: alice, messageId: message.id })).toMatchObject({
      code: 'NOT_FAILED',
    });
  });
});

describe('where the config says a reply goes', () => {
  const targetOf = replyTargetsOf({
    sources: [
      { platform: 'slack', channel: 'C0CUSTOMERS', joinWindowMinutes: 5 },
      { platform: 'discord', channel: '1122', joinWindowMinutes: 5 },
    ],
    replies: { undoMs: 0, webhooks: [{ source: 'web', url: 'https://example.com/hook' }] },
  });
  const of = (source: string) => targetOf({ source } as Inquiry);

  it('answers a source channel in that channel, and an API source through its webhook', () => {
    expect(of('slack:C0CUSTOMERS')).toEqual({ platform: 'slack', channel: 'C0CUSTOMERS' });
    expect(of('discord:1122')).toEqual({ platform: 'discord', channel: '1122' });
    expect(of('web')).toEqual({ platform: 'webhook', channel: 'web' });
  });

  it('has no way back for a message captured elsewhere or an API source without a webhook', () => {
    expect(of('slack:D0DIRECT')).toBeNull();
    expect(of('slack:C0OTHER')).toBeNull();
    expect(of('discord:9999')).toBeNull();
    expect(of('form')).toBeNull();
    expect(of('webhook:web')).toBeNull();
  });
});

describe('a note typed in a mirror’s thread', () => {
  it('is copied into every other mirror’s thread, not the one it was typed in', () => {
    const clock = manualClock();
    const routes = [
      { name: 'support', platform: 'slack' as const, channel: 'C0SUPPORT' },
      { name: 'eng', platform: 'discord' as const, channel: '1122' },
    ];
    const ctx = coreContext(t.db, { now: clock.now, routes });
    const created = createInquiry(ctx, { source: 'web', body: 'x' });
    if (!created.ok) throw new Error(created.code);
    const out = perform(ctx, {
      type: 'message',
      inquiryId: created.inquiry.id,
      direction: 'note',
      body: 'checked billing',
      author: alice,
      externalId: '1700000000.000200',
      writtenIn: 'support',
    });
    expect(out).toMatchObject({ ok: true, created: true, message: { direction: 'note', replyState: null } });
    expect(
      rows()
        .filter((r) => r.kind === 'thread')
        .map((r) => r.destination),
    ).toEqual(['eng']);
    expect(replyRows()).toHaveLength(0);
  });
});
