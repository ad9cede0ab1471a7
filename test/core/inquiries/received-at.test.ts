import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInquiry, createInquiryInput } from '../../../src/core/inquiries/index.ts';
import { inquiries } from '../../../src/storage/schema/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

/** The bounds on a new inquiry's receipt time: not before 2000, not more than a day ahead of koe's clock. */

let t: ReturnType<typeof tempDb>;
beforeEach(() => {
  t = tempDb();
});
afterEach(() => t.cleanup());

const base = { source: 'web', body: 'hello' };
const DAY = 24 * 3_600_000;

describe('createInquiryInput: a receipt time not before 2000', () => {
  const refusal = (receivedAt: string) =>
    createInquiryInput.safeParse({ ...base, receivedAt }).error?.issues.map((i) => [i.path.join('.'), i.message]);

  it.each(['2000-01-01T00:00:00Z', '2000-01-01T09:00:00+09:00'])('accepts %s', (receivedAt) => {
    expect(refusal(receivedAt)).toBeUndefined();
  });

  it.each(['1999-12-31T23:59:59.999Z', '2000-01-01T08:59:59+09:00', '1969-07-20T20:17:00Z', '0000-01-01T00:00:00Z'])(
    'refuses %s at receivedAt',
    (receivedAt) => {
      expect(refusal(receivedAt)).toEqual([['receivedAt', 'must not be before 2000-01-01T00:00:00Z']]);
    },
  );

  it('refuses what is not a time once, for its format', () => {
    expect(refusal('yesterday')).toHaveLength(1);
  });
});

describe('createInquiry: a receipt time at most a day ahead of koe’s clock', () => {
  const clock = manualClock(Date.parse('2030-06-01T00:00:00Z'));
  const create = (receivedAt: string) => createInquiry(coreContext(t.db, { now: clock.now }), { ...base, receivedAt });

  it('stores one exactly a day ahead', () => {
    const out = create(new Date(clock.now() + DAY).toISOString());
    expect(out.ok && out.inquiry.receivedAt).toBe(clock.now() + DAY);
  });

  it.each([
    ['a day and a millisecond', DAY + 1],
    ['a year', 365 * DAY],
  ])('refuses one %s ahead with INVALID_INPUT at receivedAt, and stores nothing', (_what, ahead) => {
    const out = create(new Date(clock.now() + ahead).toISOString());
    const message = 'must not be more than a day ahead of now (2030-06-01T00:00:00.000Z)';
    expect(out).toEqual({ ok: false, code: 'INVALID_INPUT', message, issues: [{ path: 'receivedAt', message }] });
    expect(t.db.select().from(inquiries).all()).toEqual([]);
  });

  it('refuses 9999-12-31', () => {
    expect(create('9999-12-31T23:59:59Z').ok).toBe(false);
  });
});
