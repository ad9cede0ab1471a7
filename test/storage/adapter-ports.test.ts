import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAdapterPorts } from '../../src/storage/adapter-ports.ts';
import { createViewLoader } from '../../src/storage/view-loader.ts';
import { addCustomer, addInquiry, addMessage, addReaction } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

describe('the ports adapters get over one database', () => {
  it('gives each port, each working over the same file', () => {
    const ports = createAdapterPorts(t.db);
    const id = addInquiry(t.db, { receivedAt: 1 });
    expect(ports.read.inquiryDetail(id)?.inquiry.id).toBe(id);
    expect(ports.ledger.claim('slack:Ev1')).toBe(true);
    expect(ports.ledger.has('slack:Ev1')).toBe(true);
    ports.cursors.note('slack', 'C1', '1700000000.000100', 5);
    expect(ports.cursors.get('slack', 'C1')).toBe('1700000000.000100');
    ports.names.put('slack', 'U1', 'Aiko', 5);
    expect(ports.names.get('slack', 'U1')).toEqual({ name: 'Aiko', fetchedAtMs: 5, standing: null });
  });
});

describe('source cursors: the newest message handled per source channel', () => {
  it('is null before the first message, and per platform and channel', () => {
    const { cursors } = createAdapterPorts(t.db);
    expect(cursors.get('discord', 'C1')).toBeNull();
    cursors.note('discord', 'C1', '200', 1);
    expect(cursors.get('discord', 'C1')).toBe('200');
    expect(cursors.get('discord', 'C2')).toBeNull();
    expect(cursors.get('slack', 'C1')).toBeNull();
  });

  it('moves only forward: a longer id is newer, and of equal length the greater', () => {
    const { cursors } = createAdapterPorts(t.db);
    cursors.note('discord', 'C1', '99', 1);
    cursors.note('discord', 'C1', '100', 2); // longer: newer though "100" < "99" as text
    expect(cursors.get('discord', 'C1')).toBe('100');
    cursors.note('discord', 'C1', '99', 3); // shorter: older
    expect(cursors.get('discord', 'C1')).toBe('100');
    cursors.note('discord', 'C1', '101', 4);
    expect(cursors.get('discord', 'C1')).toBe('101');
    cursors.note('discord', 'C1', '100', 5); // same length, smaller: older
    expect(cursors.get('discord', 'C1')).toBe('101');
    const at = t.db.$client.prepare(`SELECT updated_at AS at FROM source_cursors`).get() as { at: number };
    expect(at.at).toBe(4); // an older id leaves the row as it was
  });
});

describe('the view loader (what a renderer draws an inquiry from)', () => {
  it('reads the inquiry, its customer, its message count and the reactions still on it', () => {
    const customerId = addCustomer(t.db, 'aiko@example.com');
    const id = addInquiry(t.db, { receivedAt: 10, customerId, subject: 'Hi', body: 'help' });
    const other = addInquiry(t.db, { receivedAt: 11 });
    addMessage(t.db, id, 'inbound', null, 11);
    addMessage(t.db, id, 'outbound', 'U1', 12);
    addMessage(t.db, other, 'inbound', null, 13);
    addReaction(t.db, id, 'U1', 'eyes', 12);
    addReaction(t.db, id, 'U2', 'eyes', 12);
    addReaction(t.db, id, 'U3', 'white_check_mark', 12);
    addReaction(t.db, id, 'U4', 'tada', 12, { removedAt: 13 });
    addReaction(t.db, other, 'U1', 'tada', 12);
    t.db.$client.prepare(`UPDATE inquiries SET metadata = ? WHERE id = ?`).run('{"plan":"pro"}', id);

    const view = createViewLoader(t.db)(id)!;
    expect(view.inquiry).toMatchObject({ id, customerId, subject: 'Hi', body: 'help', metadata: { plan: 'pro' } });
    expect(view.customer).toEqual({ id: customerId, source: 'web', key: 'aiko@example.com', name: null, email: null });
    expect(view.messageCount).toBe(2);
    expect(view.reactionCounts).toEqual({ eyes: 2, white_check_mark: 1 });
  });

  it('gives no customer for an inquiry without one, zero counts, and nothing for an unknown id', () => {
    const id = addInquiry(t.db, { receivedAt: 10 });
    const load = createViewLoader(t.db);
    expect(load(id)).toMatchObject({ customer: null, messageCount: 0, reactionCounts: {} });
    expect(load(id)?.inquiry.metadata).toBeNull();
    expect(load(id + 1)).toBeUndefined();
  });
});
