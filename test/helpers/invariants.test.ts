import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addMessage,
  assign,
  claim,
  createInquiry,
  reopen,
  resolve,
  setReason,
  unclaim,
} from '../../src/core/inquiries/index.ts';
import { inquiryInvariantProblems } from './invariants.ts';
import { coreContext, tempDb } from './temp-db.ts';

const alice = { id: 'slack:UALICE', name: 'alice' };
const bob = { id: 'slack:UBOB', name: 'bob' };

let t: ReturnType<typeof tempDb>;
let ctx: ReturnType<typeof coreContext>;
beforeEach(() => {
  t = tempDb();
  ctx = coreContext(t.db);
});
afterEach(() => t.cleanup());

function newInquiry(): number {
  const out = createInquiry(ctx, { source: 'web', body: 'ログインできません' });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
}

/** Appends an event no verb wrote, as a bug would; returns its id. */
function forge(inquiryId: number, type: string, actorId: string, data: Record<string, unknown> | null = null): number {
  return Number(
    t.db.$client
      .prepare(`INSERT INTO events (inquiry_id, type, actor_id, data, created_at) VALUES (?, ?, ?, ?, 0)`)
      .run(inquiryId, type, actorId, data && JSON.stringify(data)).lastInsertRowid,
  );
}

const problems = () => inquiryInvariantProblems(t.db.$client, ctx.routes);

describe('the inquiry invariants', () => {
  it('find nothing wrong with a history the verbs wrote', () => {
    const id = newInquiry();
    claim(ctx, { inquiryId: id, actor: alice });
    assign(ctx, { inquiryId: id, actor: alice, assignee: bob });
    unclaim(ctx, { inquiryId: id, actor: bob });
    setReason(ctx, { inquiryId: id, actor: bob, reasonId: 'account', source: 'human' });
    addMessage(ctx, { inquiryId: id, direction: 'outbound', body: 'Hi!' });
    resolve(ctx, { inquiryId: id, actor: bob });
    reopen(ctx, { inquiryId: id, actor: alice });
    claim(ctx, { inquiryId: id, actor: alice });
    resolve(ctx, { inquiryId: id, actor: alice });
    reopen(ctx, { inquiryId: id, actor: alice });
    newInquiry();
    expect(problems()).toEqual([]);
  });

  // Each forged event leaves the stored status and assignee what the replayed log says, so only the
  // order of the log gives it away.
  it('rejects a reopened event not preceded by resolved, on a claimed inquiry', () => {
    const id = newInquiry();
    claim(ctx, { inquiryId: id, actor: alice });
    const e = forge(id, 'reopened', bob.id);
    expect(problems()).toEqual([`inquiry ${id}: event ${e} reopened while claimed by ${alice.id}`]);
  });

  it('rejects a reopened event on an open inquiry', () => {
    const id = newInquiry();
    const e = forge(id, 'reopened', bob.id);
    expect(problems()).toEqual([`inquiry ${id}: event ${e} reopened while open`]);
  });

  it('rejects a second resolved event without a reopened between', () => {
    const id = newInquiry();
    resolve(ctx, { inquiryId: id, actor: alice });
    const e = forge(id, 'resolved', bob.id);
    expect(problems()).toEqual([`inquiry ${id}: event ${e} resolved while resolved`]);
  });

  it('rejects a claimed event on an inquiry already claimed', () => {
    const id = newInquiry();
    claim(ctx, { inquiryId: id, actor: alice });
    const e = forge(id, 'claimed', alice.id);
    expect(problems()).toEqual([`inquiry ${id}: event ${e} claimed while claimed by ${alice.id}`]);
  });

  it('rejects an unclaimed event on an open inquiry', () => {
    const id = newInquiry();
    const e = forge(id, 'unclaimed', bob.id, { previous: null });
    expect(problems()).toEqual([`inquiry ${id}: event ${e} unclaimed while open`]);
  });

  it('rejects an assigned event that hands the inquiry to the person who already holds it', () => {
    const id = newInquiry();
    claim(ctx, { inquiryId: id, actor: alice });
    const e = forge(id, 'assigned', bob.id, { assigneeId: alice.id, previous: alice.id });
    expect(problems()).toEqual([`inquiry ${id}: event ${e} assigned while claimed by ${alice.id}`]);
  });

  it('rejects a history that does not start with created', () => {
    const id = newInquiry();
    t.db.$client.prepare(`UPDATE events SET type = 'message' WHERE inquiry_id = ?`).run(id);
    forge(id, 'created', bob.id);
    expect(problems()).toEqual([`inquiry ${id}: its first event is message, not created`]);
  });
});
