import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInquiry, resolve } from '../../../src/core/inquiries/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const count = (table: string) => (t.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('a chat message that joined an inquiry, delivered again', () => {
  it('stays with that inquiry after it was resolved, instead of opening a new one', () => {
    const clock = manualClock();
    const ctx = coreContext(t.db, { now: clock.now });
    const message = (externalId: string, body: string) =>
      createInquiry(
        ctx,
        { source: 'slack:C1', externalId, customer: { id: 'slack:U9', name: '顧客' }, body },
        { joinWindowMs: 5 * 60_000 },
      );
    const first = message('100.1', 'ログインできません');
    const second = message('100.2', 'パスワードも再設定しました');
    if (!first.ok || !second.ok) throw new Error('intake failed');
    expect(second).toMatchObject({ joined: true, inquiry: { id: first.inquiry.id } });
    resolve(ctx, { inquiryId: first.inquiry.id, actor: { id: 'slack:UA' } });

    clock.advance(60 * 60_000); // a read-back after a restart, long after the join window
    const again = message('100.2', 'パスワードも再設定しました');
    expect(again).toMatchObject({ ok: true, created: false, joined: true, inquiry: { id: first.inquiry.id } });
    expect([count('inquiries'), count('messages')]).toEqual([1, 1]);
  });

  it('is still a new message for another customer or another source with the same id', () => {
    const ctx = coreContext(t.db);
    const say = (source: string, customer: string, externalId: string) =>
      createInquiry(ctx, { source, externalId, customer: { id: customer }, body: 'hi' }, { joinWindowMs: 60_000 });
    say('slack:C1', 'a', '1');
    say('slack:C1', 'a', '2'); // joins
    expect(say('slack:C2', 'a', '2')).toMatchObject({ created: true });
    expect(say('slack:C1', 'b', '2')).toMatchObject({ created: true });
    expect(count('inquiries')).toBe(3);
  });
});
