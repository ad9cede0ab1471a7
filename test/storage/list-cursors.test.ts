import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReadModel } from '../../src/storage/read-model.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

describe('list cursors read back whatever receipt time they were issued for', () => {
  it('pages one row at a time through times before 1970, zero, fractions and the far future, both ways', () => {
    const times = [
      Date.parse('1969-07-20T20:17:00Z'),
      -1,
      0,
      1.5,
      Date.parse('2026-11-20T00:00:00Z'),
      253_402_300_799_000,
    ];
    const ids = times.map((receivedAt) => addInquiry(t.db, { receivedAt }));
    const model = createReadModel(t.db);
    for (const order of ['oldest', 'newest'] as const) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        if (cursor) expect(model.isCursor(cursor)).toBe(true);
        const page = model.listInquiries({ order, limit: 1, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen.length <= times.length);
      expect(seen).toEqual(order === 'oldest' ? ids : ids.toReversed());
    }
  });

  it.each([
    ['not base64 of a cursor', 'abc'],
    ['a number written another way', cursorOf('1e3:1')],
    ['a number with a plus', cursorOf('+5:1')],
    ['minus zero', cursorOf('-0:1')],
    ['no number', cursorOf(':1')],
    ['not a number', cursorOf('NaN:1')],
    ['an id that is not a whole number', cursorOf('5:1.5')],
    ['an id past the safe integers', cursorOf('5:99999999999999999999')],
  ])('still refuses %s', (_what, cursor) => {
    expect(createReadModel(t.db).isCursor(cursor)).toBe(false);
  });
});
