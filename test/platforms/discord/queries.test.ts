import { afterEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry, resolve } from '../../../src/core/inquiries/index.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { createDiscordQueries } from '../../../src/platforms/discord/queries.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
afterEach(() => t.cleanup());

describe('the Discord adapter’s queries', () => {
  it('finds the inquiry of a Discord message, as its first message or as a follow-up, within its source only', () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const q = createDiscordQueries(t.db);
    const out = createInquiry(ctx, { source: 'discord:100', externalId: '555', body: 'hi' });
    if (!out.ok) throw new Error(out.code);
    addMessage(ctx, { inquiryId: out.inquiry.id, direction: 'inbound', body: 'more', externalId: '556' });
    expect(q.inquiryForMessage('discord:100', '555')).toBe(out.inquiry.id);
    expect(q.inquiryForMessage('discord:100', '556')).toBe(out.inquiry.id);
    expect(q.inquiryForMessage('discord:200', '555')).toBeNull();
    expect(q.inquiryForMessage('discord:100', '557')).toBeNull();
  });

  it('autocompletes unresolved inquiries by id prefix or text, newest first', () => {
    t = tempDb();
    const ctx = coreContext(t.db);
    const q = createDiscordQueries(t.db);
    for (const body of ['export is slow', 'login fails', 'export button missing', 'done already'])
      createInquiry(ctx, { source: 'web', body });
    resolve(ctx, { inquiryId: 4, actor: { id: 'x' } });
    expect(q.autocompleteInquiries('', 25).map((i) => i.id)).toEqual([3, 2, 1]);
    expect(q.autocompleteInquiries('export', 25).map((i) => i.id)).toEqual([3, 1]);
    expect(q.autocompleteInquiries('#2', 25).map((i) => i.id)).toEqual([2]);
    expect(q.autocompleteInquiries('100%_', 25)).toEqual([]); // LIKE wildcards typed by a user match nothing special
  });

  it('counts /koe stats for today in the configured zone', () => {
    t = tempDb();
    const clock = manualClock(Date.parse('2026-11-23T03:00:00Z')); // 12:00 in Tokyo
    const ctx = coreContext(t.db, { now: clock.now });
    const q = createDiscordQueries(t.db);
    createInquiry(ctx, { source: 'web', body: 'yesterday', reason: 'bug', receivedAt: '2026-11-22T14:00:00Z' }); // 23:00 Tokyo, the day before
    createInquiry(ctx, { source: 'web', body: 'today 1', reason: 'bug', receivedAt: '2026-11-22T16:00:00Z' }); // 01:00 Tokyo
    createInquiry(ctx, { source: 'web', body: 'today 2', reason: 'billing' });
    claim(ctx, { inquiryId: 3, actor: { id: 'a' } });
    clock.advance(30 * 60_000);
    addMessage(ctx, { inquiryId: 3, direction: 'outbound', body: 'on it' });
    const stats = q.stats('today', clock.now(), 'Asia/Tokyo', DEFAULT_REASONS, 'en');
    expect(stats).toMatchObject({
      period: 'today',
      received: 2,
      resolved: 0,
      openNow: 2,
      claimedNow: 1,
      medianFirstResponseMinutes: 30,
    });
    expect(stats.byReason).toEqual([
      { label: 'Billing', count: 1 },
      { label: 'Bug / outage', count: 1 },
    ]);
    expect(q.stats('7d', clock.now(), 'Asia/Tokyo', DEFAULT_REASONS, 'en').received).toBe(3);
  });

  it('keeps a ledger of handled events: once, released on failure, pruned when old', () => {
    t = tempDb();
    const q = createDiscordQueries(t.db);
    expect(q.claimEvent('discord:1', 1_000)).toBe(true);
    expect(q.claimEvent('discord:1', 2_000)).toBe(false);
    q.releaseEvent('discord:1');
    expect(q.claimEvent('discord:1', 3_000)).toBe(true);
    t.db.$client.prepare(`INSERT INTO inbound_events (key, received_at) VALUES ('slack:Ev1', 0)`).run();
    expect(q.pruneEvents(5_000)).toBe(1);
    expect(t.db.$client.prepare(`SELECT key FROM inbound_events`).all()).toEqual([{ key: 'slack:Ev1' }]);
  });
});
