import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInboundLedger } from '../../src/storage/inbound-ledger.ts';
import { createKnownNames } from '../../src/storage/known-names.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { addCustomer, addInquiry, addMirror } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';

const MIN = 60_000;
let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const sql = (text: string, ...args: unknown[]) => t.db.$client.prepare(text).run(...args);
const setSource = (id: number, source: string, externalId: string | null) =>
  sql(`UPDATE inquiries SET source = ?, external_id = ? WHERE id = ?`, source, externalId, id);
const addMessageWithId = (inquiryId: number, direction: string, externalId: string) =>
  sql(
    `INSERT INTO messages (inquiry_id, direction, body, external_id, created_at) VALUES (?, ?, 'x', ?, 0)`,
    inquiryId,
    direction,
    externalId,
  );

describe('listing inquiries', () => {
  it('counts every match in total, not just the page it returns', () => {
    for (let i = 0; i < 25; i++) addInquiry(t.db, { receivedAt: 1_000 + i, status: 'open' });
    addInquiry(t.db, { receivedAt: 5_000, status: 'claimed' });
    const page = createReadModel(t.db).listInquiries({ status: 'open', order: 'oldest', limit: 20 });
    expect(page.items).toHaveLength(20);
    expect(page.total).toBe(25);
    expect(page.items[0]?.receivedAt).toBe(1_000);
    expect(page.nextCursor).not.toBeNull();
  });

  it('pages through oldest-first and newest-first without skipping or repeating, ties broken by id', () => {
    for (let i = 0; i < 7; i++) addInquiry(t.db, { receivedAt: 1_000 + Math.floor(i / 2) });
    const model = createReadModel(t.db);
    for (const order of ['oldest', 'newest'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = model.listInquiries({ order, limit: 3, ...(cursor && { cursor }) });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(order === 'oldest' ? [1, 2, 3, 4, 5, 6, 7] : [7, 6, 5, 4, 3, 2, 1]);
    }
  });

  it('filters by reason, unclassified, assignee and time, and knows its own cursors', () => {
    const a = addInquiry(t.db, { receivedAt: 1_000, reasonId: 'bug' });
    const b = addInquiry(t.db, { receivedAt: 2_000, reasonId: null });
    const c = addInquiry(t.db, { receivedAt: 3_000, reasonId: 'bug', status: 'claimed' });
    sql(`UPDATE inquiries SET assignee_id = 'slack:U1' WHERE id = ?`, c);
    const model = createReadModel(t.db);
    const ids = (f: Parameters<typeof model.listInquiries>[0]) => model.listInquiries(f).items.map((i) => i.id);
    expect(ids({ reason: 'bug', limit: 10 })).toEqual([c, a]);
    expect(ids({ reason: 'unclassified', limit: 10 })).toEqual([b]);
    expect(ids({ assigneeId: 'slack:U1', limit: 10 })).toEqual([c]);
    expect(ids({ sinceMs: 2_000, limit: 10 })).toEqual([c, b]);
    const cursor = model.listInquiries({ limit: 1 }).nextCursor!;
    expect(model.isCursor(cursor)).toBe(true);
    expect(model.isCursor('bm90IG1pbmU')).toBe(false);
  });
});

describe('stats for a window', () => {
  it('counts arrivals and resolutions inside [since, until), the backlog now, and the median wait', () => {
    addInquiry(t.db, { receivedAt: 999, reasonId: 'bug' }); // before the window
    addInquiry(t.db, { receivedAt: 1_000, reasonId: 'bug', firstResponseAt: 1_000 + 10 * MIN });
    addInquiry(t.db, { receivedAt: 2_000, reasonId: 'bug', firstResponseAt: 2_000 + 30 * MIN, status: 'claimed' });
    addInquiry(t.db, { receivedAt: 3_000, reasonId: null, firstResponseAt: 3_000 + 20 * MIN, resolvedAt: 4_000 });
    addInquiry(t.db, { receivedAt: 500, resolvedAt: 1_500 }); // received before, resolved inside
    addInquiry(t.db, { receivedAt: 10_000, reasonId: 'billing' }); // at until: outside
    const stats = createReadModel(t.db).stats({ sinceMs: 1_000, untilMs: 10_000 });
    expect(stats).toEqual({
      received: 3,
      resolved: 2,
      openNow: 3,
      claimedNow: 1,
      medianFirstResponseMinutes: 20,
      byReason: [
        { reasonId: 'bug', count: 2 },
        { reasonId: null, count: 1 },
      ],
    });
  });

  it('takes the lower middle of an even number of waits, and has none without responses', () => {
    addInquiry(t.db, { receivedAt: 0, firstResponseAt: 10 * MIN });
    addInquiry(t.db, { receivedAt: 0, firstResponseAt: 40 * MIN });
    const model = createReadModel(t.db);
    expect(model.stats({ sinceMs: 0, untilMs: 1 }).medianFirstResponseMinutes).toBe(10);
    expect(model.stats({ sinceMs: 1, untilMs: 2 }).medianFirstResponseMinutes).toBeNull();
  });

  it('lists at most ten reasons, most frequent first, ties by id', () => {
    for (let r = 0; r < 12; r++)
      for (let n = 0; n <= r % 3; n++) addInquiry(t.db, { receivedAt: 5, reasonId: `r${r}` });
    const byReason = createReadModel(t.db).stats({ sinceMs: 0, untilMs: 10 }).byReason;
    expect(byReason).toHaveLength(10);
    expect(byReason.slice(0, 4)).toEqual([
      { reasonId: 'r11', count: 3 },
      { reasonId: 'r2', count: 3 },
      { reasonId: 'r5', count: 3 },
      { reasonId: 'r8', count: 3 },
    ]);
  });
});

describe('finding the inquiry behind a message', () => {
  it('finds a mirror by its message or its thread, on its platform, optionally in its channel', () => {
    const id = addInquiry(t.db, { receivedAt: 1 });
    addMirror(t.db, id, 'discord', '111', '222');
    sql(`UPDATE mirrors SET thread_ref = '333'`);
    const model = createReadModel(t.db);
    expect(model.inquiryForMirror('discord', { messageRef: '222' })).toBe(id);
    expect(model.inquiryForMirror('discord', { messageRef: '333' })).toBe(id);
    expect(model.inquiryForMirror('discord', { channel: '111', messageRef: '222' })).toBe(id);
    expect(model.inquiryForMirror('discord', { channel: '999', messageRef: '222' })).toBeNull();
    expect(model.inquiryForMirror('slack', { messageRef: '222' })).toBeNull();
  });

  it('finds the inquiry a source message opened or joined, in that source only, never through a note', () => {
    const opened = addInquiry(t.db, { receivedAt: 1 });
    setSource(opened, 'slack:C1', '100.1');
    const other = addInquiry(t.db, { receivedAt: 2 });
    setSource(other, 'slack:C2', '100.1');
    addMessageWithId(opened, 'inbound', '100.2');
    addMessageWithId(opened, 'outbound', '100.3');
    addMessageWithId(opened, 'note', '100.4');
    const model = createReadModel(t.db);
    expect(model.inquiryForSourceMessage('slack:C1', '100.1')).toBe(opened);
    expect(model.inquiryForSourceMessage('slack:C2', '100.1')).toBe(other);
    expect(model.inquiryForSourceMessage('slack:C1', '100.2')).toBe(opened);
    expect(model.inquiryForSourceMessage('slack:C1', '100.3')).toBe(opened);
    expect(model.inquiryForSourceMessage('slack:C1', '100.4')).toBeNull();
    expect(model.inquiryForSourceMessage('slack:C2', '100.2')).toBeNull();
  });
});

describe('matching unresolved inquiries for autocomplete', () => {
  it('matches an id prefix or text, newest first, leaves out resolved ones, and takes % and _ literally as nothing', () => {
    const a = addInquiry(t.db, { receivedAt: 1, subject: '請求書について', body: 'a' });
    const b = addInquiry(t.db, { receivedAt: 2, subject: null, body: '請求が二重です' });
    addInquiry(t.db, { receivedAt: 3, subject: '請求', body: 'x', resolvedAt: 4 });
    const model = createReadModel(t.db);
    expect(model.unresolvedMatching('請求', 10).map((h) => h.id)).toEqual([b, a]);
    expect(model.unresolvedMatching(`#${a}`, 10).map((h) => h.id)).toEqual([a]);
    expect(model.unresolvedMatching('', 1).map((h) => h.id)).toEqual([b]);
    expect(model.unresolvedMatching('%', 10).map((h) => h.id)).toEqual([b, a]);
    expect(model.unresolvedMatching('zzz', 10)).toEqual([]);
  });
});

describe('the inbound-event ledger', () => {
  it('records a key once, forgets a released one, and prunes only its prefix after a time', () => {
    let nowMs = 100;
    const ledger = createInboundLedger(t.db, () => nowMs);
    expect(ledger.claim('slack:Ev1')).toBe(true);
    expect(ledger.claim('slack:Ev1')).toBe(false);
    expect(ledger.has('slack:Ev1')).toBe(true);
    ledger.release('slack:Ev1');
    expect(ledger.has('slack:Ev1')).toBe(false);
    ledger.claim('slack:Ev2');
    ledger.claim('discord:1');
    ledger.claim('slack%:x');
    nowMs = 300;
    ledger.claim('slack:Ev3');
    nowMs = 1_300;
    expect(ledger.prune('slack:', 1_000)).toBe(1);
    expect(['slack:Ev2', 'slack:Ev3', 'discord:1', 'slack%:x'].map((k) => ledger.has(k))).toEqual([
      false,
      true,
      true,
      true,
    ]);
  });
});

describe('known names', () => {
  it('keeps one name per platform and user, the newest', () => {
    const names = createKnownNames(t.db);
    expect(names.get('slack', 'U1')).toBeUndefined();
    names.put('slack', 'U1', 'Aiko', 10);
    names.put('slack', 'U1', 'Aiko Sato', 20);
    names.put('discord', 'U1', 'aiko', 30);
    expect(names.get('slack', 'U1')).toEqual({ name: 'Aiko Sato', fetchedAtMs: 20, standing: null });
    expect(names.get('discord', 'U1')).toEqual({ name: 'aiko', fetchedAtMs: 30, standing: null });
  });

  it('keeps where a user stood (team and kind) beside the name, the newest', () => {
    const names = createKnownNames(t.db);
    names.put('slack', 'U2', 'Ben', 10, { teamId: 'T1', kind: 'member' });
    expect(names.get('slack', 'U2')?.standing).toEqual({ teamId: 'T1', kind: 'member' });
    names.put('slack', 'U2', 'Ben', 20, { teamId: 'T1', kind: 'guest' });
    expect(names.get('slack', 'U2')?.standing).toEqual({ teamId: 'T1', kind: 'guest' });
    names.put('slack', 'U2', 'Ben', 30);
    expect(names.get('slack', 'U2')).toEqual({ name: 'Ben', fetchedAtMs: 30, standing: null });
    // A row written by an older koe (or by hand) with a kind it does not know stands for nothing.
    t.db.$client.prepare(`UPDATE user_directory SET standing = 'admin' WHERE user_id = 'U2'`).run();
    expect(names.get('slack', 'U2')?.standing).toBeNull();
  });
});

it('has customers for the detail view', () => {
  const customerId = addCustomer(t.db, 'taro@example.com');
  const id = addInquiry(t.db, { receivedAt: 1, customerId });
  const detail = createReadModel(t.db).inquiryDetail(id)!;
  expect(detail.customer?.key).toBe('taro@example.com');
  expect(createReadModel(t.db).inquiryDetail(id + 1)).toBeUndefined();
});

describe('more of the list', () => {
  it('lists only the inquiries asked for by id, and counts only those', () => {
    const ids = Array.from({ length: 5 }, (_, i) => addInquiry(t.db, { receivedAt: 1_000 + i }));
    const page = createReadModel(t.db).listInquiries({ order: 'oldest', limit: 10, ids: [ids[3]!, ids[1]!, ids[3]!] });
    expect(page.items.map((i) => i.id)).toEqual([ids[1], ids[3]]);
    expect(page.total).toBe(2);
  });

  it('gives each listed item its customer, read once for all, and none to an item without one', () => {
    const taro = addCustomer(t.db, 'taro@example.com');
    const hana = addCustomer(t.db, 'hana@example.com');
    addInquiry(t.db, { receivedAt: 1, customerId: taro });
    addInquiry(t.db, { receivedAt: 2 });
    addInquiry(t.db, { receivedAt: 3, customerId: hana });
    addInquiry(t.db, { receivedAt: 4, customerId: taro });
    const items = createReadModel(t.db).listInquiries({ order: 'oldest', limit: 10 }).items;
    expect(items.map((i) => i.customer?.key ?? null)).toEqual([
      'taro@example.com',
      null,
      'hana@example.com',
      'taro@example.com',
    ]);
    expect(items[0]!.customer).toEqual({
      id: taro,
      source: 'web',
      key: 'taro@example.com',
      name: null,
      email: null,
      createdAt: 0,
    });
    const none = createReadModel(t.db).listInquiries({ limit: 10, bodyChars: 10, metadata: false, ids: [2] }).items;
    expect(none.map((i) => i.customer)).toEqual([null]);
  });

  it.each([
    ['a second colon before the id', 'x:1:5', false],
    ['something after the id', '5:1x', false],
    ['an id of several digits', '5:123', true],
  ])('reads a cursor with %s as it should', (_what, text, valid) => {
    expect(createReadModel(t.db).isCursor(Buffer.from(text).toString('base64url'))).toBe(valid);
  });

  it('goes on after a cursor’s id past 9, not from the start', () => {
    const ids = Array.from({ length: 12 }, () => addInquiry(t.db, { receivedAt: 7 }));
    const model = createReadModel(t.db);
    const cursor = Buffer.from(`7:${ids[10]}`).toString('base64url');
    expect(model.listInquiries({ order: 'oldest', limit: 5, cursor }).items.map((i) => i.id)).toEqual([ids[11]]);
  });
});

describe('what the SLA views read of unresolved inquiries', () => {
  it('gives the clocks of open and claimed inquiries only, and the warning keys recorded on them', () => {
    const open = addInquiry(t.db, { receivedAt: 10, reasonId: 'billing', firstResponseAt: 20 });
    const claimed = addInquiry(t.db, { receivedAt: 11, status: 'claimed' });
    const resolved = addInquiry(t.db, { receivedAt: 12, resolvedAt: 30 });
    const key = (inquiryId: number, k: string | null) =>
      sql(
        `INSERT INTO events (inquiry_id, type, data, created_at, key) VALUES (?, 'sla_due_soon', NULL, 0, ?)`,
        inquiryId,
        k,
      );
    key(open, 'sla:a');
    key(claimed, 'sla:b');
    key(claimed, null);
    key(resolved, 'sla:c');
    const model = createReadModel(t.db);
    expect(model.unresolvedClocks().toSorted((x, y) => x.id - y.id)).toEqual([
      { id: open, status: 'open', reasonId: 'billing', receivedAt: 10, firstResponseAt: 20, resolvedAt: null },
      { id: claimed, status: 'claimed', reasonId: null, receivedAt: 11, firstResponseAt: null, resolvedAt: null },
    ]);
    expect(model.unresolvedEventKeys().toSorted()).toEqual(['sla:a', 'sla:b']);
  });

  it('matches typed text trimmed, and a # only in front of an id', () => {
    const sharp = addInquiry(t.db, { receivedAt: 1, subject: 'C# build fails', body: 'x' });
    addInquiry(t.db, { receivedAt: 2, subject: 'C++ build fails', body: 'x' });
    const model = createReadModel(t.db);
    expect(model.unresolvedMatching('C#', 10).map((h) => h.id)).toEqual([sharp]);
    expect(model.unresolvedMatching('  C# build ', 10).map((h) => h.id)).toEqual([sharp]);
  });
});

describe('a list page as stored', () => {
  it('gives the whole body and the metadata when neither is cut or left out', () => {
    const id = addInquiry(t.db, { receivedAt: 1, body: 'the whole body' });
    sql(`UPDATE inquiries SET metadata = ? WHERE id = ?`, '{"plan":"pro"}', id);
    const [item] = createReadModel(t.db).listInquiries({ limit: 10 }).items;
    expect(item).toMatchObject({ id, body: 'the whole body', bodyTruncated: false, metadata: { plan: 'pro' } });
    const [cut] = createReadModel(t.db).listInquiries({ limit: 10, bodyChars: 5, metadata: false }).items;
    expect(cut).toMatchObject({ id, body: 'the w', bodyTruncated: true, metadata: null });
  });

  it('is empty, with no cursor, when nothing matches', () => {
    addInquiry(t.db, { receivedAt: 1, status: 'open' });
    expect(createReadModel(t.db).listInquiries({ limit: 10, status: 'claimed' })).toEqual({
      items: [],
      total: 0,
      nextCursor: null,
    });
  });

  it('takes items that fill the byte budget exactly', () => {
    // Each row: 'web' (3 bytes) + a 485-byte body + the 512-byte allowance = 1,000 bytes.
    const ids = Array.from({ length: 3 }, (_, i) => addInquiry(t.db, { receivedAt: i, body: 'x'.repeat(485) }));
    const page = createReadModel(t.db).listInquiries({ order: 'oldest', limit: 10, maxBytes: 2_000 });
    expect(page.items.map((i) => i.id)).toEqual([ids[0], ids[1]]);
    expect(page.nextCursor).not.toBeNull();
  });

  it('counts U+FFFF as one character when cutting a body (it is one UTF-16 unit)', () => {
    addInquiry(t.db, { receivedAt: 1, body: '\uffffab' });
    const [item] = createReadModel(t.db).listInquiries({ limit: 10, bodyChars: 1 }).items;
    expect(item).toMatchObject({ body: '\uffff', bodyTruncated: true });
  });

  it('finds a mirror with the destination it belongs to, or none', () => {
    const id = addInquiry(t.db, { receivedAt: 1 });
    addMirror(t.db, id, 'slack', 'C1', '1700.1');
    const model = createReadModel(t.db);
    expect(model.mirrorAt('slack', { messageRef: '1700.1' })).toEqual({ inquiryId: id, destination: 'slack-C1' });
    expect(model.mirrorAt('slack', { channel: 'C2', messageRef: '1700.1' })).toBeNull();
  });
});
