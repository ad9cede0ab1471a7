import { describe, expect, it } from 'vitest';
import { ChannelPacer } from '../../src/outbox/channel-pacer.ts';
import { manualClock } from '../helpers/temp-db.ts';

/** A pacer and the clock its times come from; nothing here reads the wall clock or sleeps. */
function setup() {
  const clock = manualClock();
  return { pacer: new ChannelPacer(), clock, start: clock.now() };
}

describe('the channel pacer', () => {
  it('starts free: no attempt in progress and no wait', () => {
    const { pacer, clock } = setup();
    expect(pacer.busy).toBe(false);
    expect(pacer.pausedUntil).toBe(0);
    expect(pacer.waitMs(clock.now())).toBe(0);
    expect(pacer.isFree(clock.now())).toBe(true);
  });

  it('makes one attempt at a time: busy from begin to end, free again after', () => {
    const { pacer, clock } = setup();
    pacer.begin();
    expect(pacer.busy).toBe(true);
    expect(pacer.isFree(clock.now())).toBe(false);
    clock.advance(60_000); // time alone does not end an attempt
    expect(pacer.isFree(clock.now())).toBe(false);
    expect(pacer.waitMs(clock.now())).toBe(0); // busy is not a wait: nothing to wake up for
    pacer.end();
    expect(pacer.busy).toBe(false);
    expect(pacer.isFree(clock.now())).toBe(true);
  });

  it('waits out the pace after a delivery: not one millisecond less, and free exactly when it is over', () => {
    const { pacer, clock, start } = setup();
    pacer.paced(start, 1_000);
    expect(pacer.pausedUntil).toBe(start + 1_000);
    expect(pacer.waitMs(start)).toBe(1_000);
    expect(pacer.isFree(start)).toBe(false);
    clock.set(start + 999);
    expect(pacer.waitMs(clock.now())).toBe(1);
    expect(pacer.isFree(clock.now())).toBe(false);
    clock.set(start + 1_000);
    expect(pacer.waitMs(clock.now())).toBe(0);
    expect(pacer.isFree(clock.now())).toBe(true);
    clock.set(start + 5_000);
    expect(pacer.waitMs(clock.now())).toBe(0); // never a negative wait
  });

  it('counts the pace from when the delivery went out, not from the last wait', () => {
    const { pacer, start } = setup();
    pacer.paced(start, 1_000);
    pacer.paced(start + 1_500, 1_000);
    expect(pacer.pausedUntil).toBe(start + 2_500);
    expect(pacer.isFree(start + 2_499)).toBe(false);
    expect(pacer.isFree(start + 2_500)).toBe(true);
  });

  it('sets no wait for a platform that asks for no pace', () => {
    const { pacer, start } = setup();
    pacer.paced(start, 0);
    expect(pacer.pausedUntil).toBe(0);
    expect(pacer.isFree(start)).toBe(true);
  });

  it('holds the channel for the whole Retry-After of a 429 and returns when it ends', () => {
    const { pacer, clock, start } = setup();
    expect(pacer.rateLimited(start, 60_000)).toBe(start + 60_000);
    expect(pacer.pausedUntil).toBe(start + 60_000);
    expect(pacer.waitMs(start)).toBe(60_000);
    clock.set(start + 59_999);
    expect(pacer.waitMs(clock.now())).toBe(1);
    expect(pacer.isFree(clock.now())).toBe(false);
    clock.set(start + 60_000);
    expect(pacer.isFree(clock.now())).toBe(true);
  });

  it('lets a 429 after a delivery hold the channel past the pace, for the full Retry-After', () => {
    const { pacer, start } = setup();
    pacer.paced(start, 1_000);
    // The next attempt, at the end of the pace, is answered 429 for 5 s.
    expect(pacer.rateLimited(start + 1_000, 5_000)).toBe(start + 6_000);
    expect(pacer.waitMs(start + 1_000)).toBe(5_000);
    expect(pacer.isFree(start + 5_999)).toBe(false);
    expect(pacer.isFree(start + 6_000)).toBe(true);
  });

  it('stays held while paused even with no attempt in progress, and while busy even with no wait', () => {
    const { pacer, start } = setup();
    pacer.begin();
    pacer.rateLimited(start, 100);
    pacer.end();
    expect(pacer.isFree(start + 99)).toBe(false);
    expect(pacer.isFree(start + 100)).toBe(true);
    pacer.begin();
    expect(pacer.isFree(start + 100)).toBe(false);
  });

  it('keeps each channel’s state to itself', () => {
    const { start } = setup();
    const slow = new ChannelPacer();
    const fast = new ChannelPacer();
    slow.begin();
    slow.rateLimited(start, 1_000);
    expect(fast.busy).toBe(false);
    expect(fast.isFree(start)).toBe(true);
  });
});
