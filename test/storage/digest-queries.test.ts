import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDigest } from '../../src/core/digests/make-digest.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { localDaysRange } from '../../src/lib/zoned-time.ts';
import { createDigestQueries, explainDigestQueries } from '../../src/storage/digest-queries.ts';
import { addCustomer, addEvent, addInquiry, addMessage, addMirror, addReaction } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';
import { roundTheClock, testSlaSettings } from '../helpers/sla.ts';

const TZ = 'Asia/Tokyo';
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const jst = (s: string) => Date.parse(`${s}+09:00`);
const nov20 = localDaysRange('2026-11-20', 1, TZ);

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

describe('the reason tally of a JST day', () => {
  it('counts what arrived from 00:00 to 23:59:59.999 JST, and nothing either side', () => {
    addInquiry(t.db, { receivedAt: jst('2026-11-19T23:59:59.999'), reasonId: 'bug' }); // the day before
    addInquiry(t.db, { receivedAt: jst('2026-11-20T00:00:00'), reasonId: 'bug' });
    addInquiry(t.db, { receivedAt: jst('2026-11-20T23:30:00'), reasonId: 'bug' }); // 14:30 UTC: still the 20th in JST
    addInquiry(t.db, { receivedAt: jst('2026-11-20T12:00:00'), reasonId: 'billing' });
    addInquiry(t.db, { receivedAt: jst('2026-11-20T12:00:00'), reasonId: null });
    addInquiry(t.db, { receivedAt: jst('2026-11-21T00:00:00'), reasonId: 'bug' }); // the day after
    const rows = createDigestQueries(t.db).reasonTally(nov20);
    expect(rows.sort((a, b) => String(a.reasonId).localeCompare(String(b.reasonId)))).toEqual([
      { reasonId: 'billing', count: 1 },
      { reasonId: 'bug', count: 2 },
      { reasonId: null, count: 1 },
    ]);
  });

  it('is empty on a day without inquiries', () => {
    expect(createDigestQueries(t.db).reasonTally(nov20)).toEqual([]);
  });
});

describe('the backlog', () => {
  it('counts unresolved, unclaimed and overdue inquiries, and finds the oldest unclaimed', () => {
    const now = jst('2026-11-21T09:00:00');
    addInquiry(t.db, { receivedAt: now - 100 * 60 * MIN, status: 'claimed' }); // oldest of all, but claimed; overdue (> 72 h)
    const oldestOpen = addInquiry(t.db, { receivedAt: now - 50 * 60 * MIN, status: 'open' });
    addInquiry(t.db, { receivedAt: now - 5 * MIN, status: 'open' });
    addInquiry(t.db, { receivedAt: now - 200 * 60 * MIN, status: 'resolved', resolvedAt: now - 1 }); // not waiting
    addInquiry(t.db, { receivedAt: now + MIN, status: 'open' }); // after the snapshot
    const b = createDigestQueries(t.db).backlog(now, { beforeMs: now - 72 * 60 * MIN, byReason: {} });
    expect(b).toEqual({
      unresolved: 3,
      unclaimed: 2,
      claimed: 1,
      overdue: 1,
      oldestUnclaimed: { inquiryId: oldestOpen, receivedAt: now - 50 * 60 * MIN },
    });
  });

  it('is all zeros with nothing waiting', () => {
    expect(createDigestQueries(t.db).backlog(1, { beforeMs: 0, byReason: {} })).toEqual({
      unresolved: 0,
      unclaimed: 0,
      claimed: 0,
      overdue: 0,
      oldestUnclaimed: null,
    });
  });
});

describe('the re-inquiry rate', () => {
  it('counts cohort customers who wrote again within 7 days after a resolution, each customer once', () => {
    const cohort = localDaysRange('2026-11-07', 7, TZ);
    const r = cohort.startMs + DAY; // a resolution instant inside the cohort
    const c = (key: string) => addCustomer(t.db, key);
    const returned3d = c('returned-3d');
    addInquiry(t.db, { customerId: returned3d, receivedAt: r - DAY, resolvedAt: r });
    addInquiry(t.db, { customerId: returned3d, receivedAt: r + 3 * DAY });
    const after8d = c('after-8d');
    addInquiry(t.db, { customerId: after8d, receivedAt: r - DAY, resolvedAt: r });
    addInquiry(t.db, { customerId: after8d, receivedAt: r + 8 * DAY });
    const before = c('wrote-before-the-resolution');
    addInquiry(t.db, { customerId: before, receivedAt: r - 2 * DAY, resolvedAt: r });
    addInquiry(t.db, { customerId: before, receivedAt: r - DAY, status: 'open' });
    const twice = c('two-resolutions');
    addInquiry(t.db, { customerId: twice, receivedAt: r - DAY, resolvedAt: r });
    addInquiry(t.db, { customerId: twice, receivedAt: r + DAY, resolvedAt: r + 2 * DAY });
    addInquiry(t.db, { customerId: twice, receivedAt: r + 4 * DAY });
    const exactly7d = c('exactly-7-days');
    addInquiry(t.db, { customerId: exactly7d, receivedAt: r - DAY, resolvedAt: r });
    addInquiry(t.db, { customerId: exactly7d, receivedAt: r + 7 * DAY });
    const outside = c('resolved-before-the-cohort');
    addInquiry(t.db, { customerId: outside, receivedAt: cohort.startMs - 2 * DAY, resolvedAt: cohort.startMs - 1 });
    addInquiry(t.db, { customerId: outside, receivedAt: cohort.startMs + DAY });
    addInquiry(t.db, { customerId: null, receivedAt: r - DAY, resolvedAt: r }); // anonymous: cannot be followed

    expect(createDigestQueries(t.db).reinquiry(cohort, 7 * DAY)).toEqual({ customers: 5, returned: 3 });
  });

  it('is 0 of 0 when nothing was resolved in the cohort', () => {
    expect(createDigestQueries(t.db).reinquiry(nov20, 7 * DAY)).toEqual({ customers: 0, returned: 0 });
  });
});

describe('participation', () => {
  it('counts reactions, claims and replies per person in the period, and nobody else', () => {
    const i = addInquiry(t.db, { receivedAt: nov20.startMs });
    const at = nov20.startMs + 60 * MIN;
    addReaction(t.db, i, 'slack:A', 'eyes', at, { userName: 'Aiko' });
    addReaction(t.db, i, 'slack:A', 'bug', at, { userName: 'Aiko', removedAt: at + MIN }); // reacted, then took it back: still took part
    addEvent(t.db, i, 'claimed', 'slack:B', at, 'Ben');
    addEvent(t.db, i, 'assigned', 'slack:A', at, 'Aiko');
    addEvent(t.db, i, 'claimed', 'system', at); // koe itself
    addEvent(t.db, i, 'resolved', 'slack:D', at); // not one of the counted actions
    addEvent(t.db, i, 'claimed', 'slack:E', nov20.endMs); // the next day
    addMessage(t.db, i, 'outbound', 'slack:C', at, 'Chie');
    addMessage(t.db, i, 'note', 'slack:A', at, 'Aiko');
    addMessage(t.db, i, 'inbound', 'customer:1', at); // the customer
    addMessage(t.db, i, 'outbound', null, at); // a reply with no known author
    const rows = createDigestQueries(t.db)
      .participation(nov20)
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(rows).toEqual([
      { id: 'slack:A', name: 'Aiko', reactions: 2, claims: 1, replies: 1 },
      { id: 'slack:B', name: 'Ben', reactions: 0, claims: 1, replies: 0 },
      { id: 'slack:C', name: 'Chie', reactions: 0, claims: 0, replies: 1 },
    ]);
  });

  it('counts a person the API named in different cases once (api:Sato and api:sato), and keeps chat ids as they are', () => {
    const i = addInquiry(t.db, { receivedAt: nov20.startMs });
    const at = nov20.startMs + 60 * MIN;
    addMessage(t.db, i, 'outbound', 'api:Sato', at, 'Sato');
    addMessage(t.db, i, 'note', 'api:sato', at, 'sato');
    addEvent(t.db, i, 'claimed', 'api:SATO', at, 'SATO');
    addEvent(t.db, i, 'claimed', 'slack:U0A', at, 'A');
    addEvent(t.db, i, 'claimed', 'slack:u0a', at, 'a'); // chat ids are the platform's own: two people
    const rows = createDigestQueries(t.db)
      .participation(nov20)
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(rows.map((r) => [r.id, r.claims, r.replies])).toEqual([
      ['api:sato', 1, 2],
      ['slack:u0a', 1, 0],
      ['slack:U0A', 1, 0],
    ]);
  });
});

describe('voices of the customer', () => {
  it('lists bug and feature-request inquiries of the period by live reactions, with their mirrors', () => {
    const at = nov20.startMs + 60 * MIN;
    const bug = addInquiry(t.db, {
      receivedAt: at,
      reasonId: 'bug',
      subject: 'Export crashes',
      url: 'https://help.example.com/t/1',
    });
    const wish = addInquiry(t.db, { receivedAt: at, reasonId: 'feature_request', body: 'Dark mode please' });
    const quiet = addInquiry(t.db, { receivedAt: at + MIN, reasonId: 'bug' });
    const billing = addInquiry(t.db, { receivedAt: at, reasonId: 'billing' });
    const yesterday = addInquiry(t.db, { receivedAt: nov20.startMs - 1, reasonId: 'bug' });
    const mirror = addMirror(t.db, bug, 'slack', 'C1', '1700000000.000100');
    void mirror;
    for (const u of ['A', 'B', 'C']) addReaction(t.db, bug, `slack:${u}`, 'eyes', at);
    addReaction(t.db, bug, 'slack:D', 'eyes', at, { removedAt: at + 1 }); // taken back
    addReaction(t.db, wish, 'slack:A', 'bulb', at);
    for (const u of ['A', 'B', 'C', 'D', 'E']) addReaction(t.db, billing, `slack:${u}`, 'eyes', at);
    for (const u of ['A', 'B', 'C', 'D', 'E']) addReaction(t.db, yesterday, `slack:${u}`, 'eyes', at);

    const voices = createDigestQueries(t.db).voices(nov20, ['bug', 'feature_request'], 5);
    expect(voices.map((v) => [v.inquiryId, v.reasonId, v.reactions])).toEqual([
      [bug, 'bug', 3],
      [wish, 'feature_request', 1],
      [quiet, 'bug', 0],
    ]);
    expect(voices[0]).toMatchObject({ subject: 'Export crashes', url: 'https://help.example.com/t/1' });
    expect(voices[0]!.mirrors).toEqual([{ platform: 'slack', channel: 'C1', messageRef: '1700000000.000100' }]);
    expect(voices[1]).toMatchObject({ subject: null, bodyStart: 'Dark mode please', mirrors: [] });
  });
});

describe('a whole daily digest from the database', () => {
  it('adds up the hand-built day', () => {
    const at = (hhmm: string) => jst(`2026-11-20T${hhmm}:00`);
    const cust = addCustomer(t.db, 'repeat');
    addInquiry(t.db, { receivedAt: jst('2026-11-19T10:00:00'), reasonId: 'billing' }); // the day before
    for (let d = 13; d <= 19; d++) addInquiry(t.db, { receivedAt: jst(`2026-11-${d}T10:00:00`), reasonId: 'bug' }); // 1/day baseline
    const a = addInquiry(t.db, {
      receivedAt: at('09:00'),
      reasonId: 'billing',
      firstResponseAt: at('09:30'),
      resolvedAt: at('10:00'),
    });
    addInquiry(t.db, { receivedAt: at('10:00'), reasonId: 'billing', firstResponseAt: at('13:00'), status: 'claimed' });
    addInquiry(t.db, { receivedAt: at('23:30'), reasonId: null, customerId: cust });
    addMessage(t.db, a, 'outbound', 'slack:A', at('09:30'), 'Aiko');

    const digest = makeDigest(createDigestQueries(t.db), {
      name: 'daily',
      kind: 'day',
      date: '2026-11-20',
      timezone: TZ,
      locale: 'ja',
      reasons: DEFAULT_REASONS,
      // Open around the clock: business time is wall-clock time here; the clock has its own tests.
      sla: testSlaSettings({ calendar: roundTheClock(TZ), resolution: { unit: 'h', amount: 72 } }),
      nowMs: jst('2026-11-21T09:00:00'),
    });
    expect(digest.total).toBe(3);
    expect(digest.previousTotal).toBe(2); // billing + bug on the 19th
    expect(digest.reasons.map((r) => [r.id, r.count, r.previous, r.baselineAverage])).toEqual([
      ['billing', 2, 1, 0.1], // 1 in 7 days
      ['bug', 0, 1, 1],
    ]);
    expect(digest.reasons[0]!.label).toBe('請求・支払い');
    expect(digest.unclassified.count).toBe(1);
    // Replies after 30 and 180 minutes; the 23:30 one waited 570 minutes by 09:00 with none.
    expect(digest.firstResponse).toMatchObject({
      done: 2,
      waiting: 1,
      medianMinutes: 30,
      p90Minutes: 180,
      withinTarget: 1,
    });
    expect(digest.sla).toMatchObject({ breaches: 2, late: 1, unanswered: 1 });
    // Each breach names who holds it: the claimed billing inquiry has no assignee in these rows.
    expect(digest.sla.worst.map((b) => b.owner)).toEqual([null, null]);
    expect(digest.resolution).toEqual({ received: 3, resolved: 1, rate: 1 / 3 });
    expect(digest.backlog).toMatchObject({ unresolved: 10, unclaimed: 9, claimed: 1 }); // 1 + 7 + 1 open, 1 claimed
    // Received more than 72 hours before 11-21 09:00: the baseline bugs of the 13th to the 17th.
    expect(digest.backlog).toMatchObject({ overdue: 5, resolutionTarget: '72h' });
    expect(digest.participation).toMatchObject({ people: 1, top: [{ id: 'slack:A', replies: 1 }] });
  });
});

describe('the overdue backlog of a digest', () => {
  const HOUR = 60 * MIN;
  const now = jst('2026-11-21T09:00:00');
  const digestWith = (resolutionHours: number, byReason = {}) =>
    makeDigest(createDigestQueries(t.db), {
      name: 'daily',
      kind: 'day',
      date: '2026-11-20',
      timezone: TZ,
      locale: 'en',
      reasons: DEFAULT_REASONS,
      sla: testSlaSettings({
        calendar: roundTheClock(TZ),
        resolution: { unit: 'h', amount: resolutionHours },
        byReason,
      }),
      nowMs: now,
    }).backlog;

  it('counts what has waited more than the configured resolution hours, in hours', () => {
    addInquiry(t.db, { receivedAt: now - 24 * HOUR - MIN, status: 'open' }); // just outside 24 h
    addInquiry(t.db, { receivedAt: now - 24 * HOUR, status: 'claimed' }); // exactly 24 h: not more than
    addInquiry(t.db, { receivedAt: now - 24 * HOUR + MIN, status: 'open' }); // just inside
    addInquiry(t.db, { receivedAt: now - 48 * HOUR, status: 'resolved', resolvedAt: now - HOUR }); // not waiting
    expect(digestWith(24)).toMatchObject({ unresolved: 3, overdue: 1, resolutionTarget: '24h' });
    expect(digestWith(23)).toMatchObject({ overdue: 3, resolutionTarget: '23h' });
    expect(digestWith(25)).toMatchObject({ overdue: 0, resolutionTarget: '25h' });
  });

  it('holds each reason to its own target (sla.byReason), and the rest to the default', () => {
    addInquiry(t.db, { receivedAt: now - 10 * HOUR, reasonId: 'bug', status: 'open' });
    addInquiry(t.db, { receivedAt: now - 10 * HOUR, reasonId: 'billing', status: 'open' });
    addInquiry(t.db, { receivedAt: now - 10 * HOUR, reasonId: null, status: 'open' });
    expect(digestWith(24, { bug: { resolution: { unit: 'h', amount: 8 } } })).toMatchObject({
      unresolved: 3,
      overdue: 1,
    });
    expect(digestWith(8, { bug: { resolution: { unit: 'h', amount: 24 } } })).toMatchObject({ overdue: 2 });
  });

  it('counts overdue in business time: a weekend does not make Friday evening overdue', () => {
    // Weekdays 09:00-18:00; 2d from Fri 2026-11-20 17:00 is Wed 11-25 17:00 (Mon 11-23 is a holiday).
    const friday = jst('2026-11-20T17:00:00');
    addInquiry(t.db, { receivedAt: friday, status: 'open' });
    const at = (nowMs: number) =>
      makeDigest(createDigestQueries(t.db), {
        name: 'daily',
        kind: 'day',
        date: '2026-11-20',
        timezone: TZ,
        locale: 'en',
        reasons: DEFAULT_REASONS,
        sla: testSlaSettings(),
        nowMs,
      }).backlog.overdue;
    expect(at(jst('2026-11-25T17:00:00'))).toBe(0);
    expect(at(jst('2026-11-25T17:01:00'))).toBe(1);
  });
});

describe('query plans', () => {
  it('reads every digest query through an index, never a full scan of a big table', () => {
    const plans = explainDigestQueries(t.db);
    for (const [name, details] of Object.entries(plans)) {
      const scans = details.filter((d) => /^SCAN (inquiries|events|messages|reactions)\b/.test(d) && !/USING/.test(d));
      expect(scans, `${name}: ${details.join(' | ')}`).toEqual([]);
    }
  });

  it('finds the re-inquiry cohort through the resolved_at index, not by walking every customer', () => {
    expect(explainDigestQueries(t.db).reinquiry.join('\n')).toMatch(
      /SEARCH r USING COVERING INDEX inquiries_resolved_at_customer \(resolved_at>\? AND resolved_at<\?\)/,
    );
  });
});
