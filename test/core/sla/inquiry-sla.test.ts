import { describe, expect, it } from 'vitest';
import { inquirySla, inquirySlaState, matchesSlaFilter, warnInstant } from '../../../src/core/sla/inquiry-sla.ts';
import { overdueBefore } from '../../../src/core/sla/overdue.ts';
import { testSlaPolicy, tokyo } from '../../helpers/sla.ts';

// Weekdays 09:00-18:00 in Tokyo, 2h and 2d, warned at 75 %; bug answers within 1h.
const policy = testSlaPolicy({ byReason: { bug: { firstResponse: { unit: 'h', amount: 1 } } } });
const tue = (time: string) => tokyo(`2026-11-24 ${time}`);
const open = { firstResponseAt: null, resolvedAt: null, reasonId: null };

describe("an inquiry's due times", () => {
  it('holds each reason to its own target', () => {
    expect(inquirySla(policy, { ...open, receivedAt: tue('09:00') }, tue('09:00')).firstResponseDueAt).toBe(
      tue('11:00'),
    );
    const bug = inquirySla(policy, { ...open, reasonId: 'bug', receivedAt: tue('09:00') }, tue('09:00'));
    expect(bug.firstResponseDueAt).toBe(tue('10:00'));
  });

  it('stops the first-response clock at the first reply, or at a resolution without one', () => {
    const received = { ...open, receivedAt: tue('09:00') };
    expect(inquirySla(policy, { ...received, firstResponseAt: tue('10:59') }, tue('17:00')).firstResponseBreached).toBe(
      false,
    );
    expect(inquirySla(policy, { ...received, resolvedAt: tue('11:01') }, tue('17:00')).firstResponseBreached).toBe(
      true,
    );
    expect(inquirySla(policy, received, tue('11:00')).firstResponseBreached).toBe(false); // due at 11:00 itself
    expect(inquirySla(policy, received, tue('11:01')).firstResponseBreached).toBe(true);
  });

  it('turns due soon at warnAt of the business time to the due time', () => {
    expect(warnInstant(policy, tue('09:00'), tue('11:00'))).toBe(tue('10:30'));
    const received = { ...open, receivedAt: tue('09:00') };
    expect(inquirySlaState(policy, received, tue('10:29')).firstResponse).toBe('on_track');
    expect(inquirySlaState(policy, received, tue('10:30')).firstResponse).toBe('due_soon');
    expect(inquirySlaState(policy, received, tue('11:01')).firstResponse).toBe('breached');
    expect(inquirySlaState(policy, { ...received, firstResponseAt: tue('10:00') }, tue('12:00')).firstResponse).toBe(
      'met',
    );
  });

  it('lets a filter keep breached, or due soon with nothing breached', () => {
    const received = { ...open, receivedAt: tue('09:00') };
    expect(matchesSlaFilter(inquirySlaState(policy, received, tue('10:45')), 'due_soon')).toBe(true);
    expect(matchesSlaFilter(inquirySlaState(policy, received, tue('10:45')), 'breached')).toBe(false);
    expect(matchesSlaFilter(inquirySlaState(policy, received, tue('12:00')), 'breached')).toBe(true);
    expect(matchesSlaFilter(inquirySlaState(policy, received, tue('12:00')), 'due_soon')).toBe(false);
  });
});

describe('overdue as a receipt cutoff', () => {
  it('is the first receipt time whose due time has not yet passed', () => {
    const now = tue('12:00');
    const cutoff = overdueBefore(policy, { unit: 'h', amount: 2 }, now);
    expect(policy.clock.addMinutes(cutoff - 1, 120)).toBeLessThan(now);
    expect(policy.clock.addMinutes(cutoff, 120)).toBeGreaterThanOrEqual(now);
    expect(cutoff).toBe(tue('10:00'));
  });
});
