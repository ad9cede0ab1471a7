import { describe, expect, it } from 'vitest';
import { clientKey } from '../../src/intake/http/contact/client-key.ts';
import { createWindowLimiter, NO_LIMIT } from '../../src/lib/window-limiter.ts';

describe('createWindowLimiter', () => {
  it('lets max events through per window, then says how long until the window ends', () => {
    const limiter = createWindowLimiter({ max: 2, windowMs: 1_000 });
    expect(limiter.take('a', 0)).toEqual({ ok: true });
    expect(limiter.take('a', 100)).toEqual({ ok: true });
    expect(limiter.take('a', 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(limiter.take('b', 400)).toEqual({ ok: true }); // another address has its own count
    expect(limiter.take('a', 1_000)).toEqual({ ok: true }); // a new window
  });

  it('keeps at most maxKeys keys, however many addresses come', () => {
    const limiter = createWindowLimiter({ max: 1, windowMs: 60_000, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, i);
    expect(limiter.size()).toBe(100);
  });

  it('makes room by dropping an expired key before it forgets one that is still counting', () => {
    const limiter = createWindowLimiter({ max: 1, windowMs: 1_000, maxKeys: 2 });
    limiter.take('old', 0);
    limiter.take('live', 900);
    limiter.take('new', 1_500); // full: old has expired, live has not
    expect(limiter.size()).toBe(2);
    expect(limiter.take('live', 1_600).ok).toBe(false);
    expect(limiter.take('new', 1_600).ok).toBe(false);
  });

  it('forgets the oldest counting key when every kept key is still counting', () => {
    const limiter = createWindowLimiter({ max: 1, windowMs: 1_000, maxKeys: 2 });
    limiter.take('a', 0);
    limiter.take('b', 1);
    limiter.take('c', 2);
    expect(limiter.take('b', 3).ok).toBe(false);
    expect(limiter.take('a', 3).ok).toBe(true);
  });

  it('NO_LIMIT never refuses', () => {
    for (let i = 0; i < 100; i++) expect(NO_LIMIT.take('proxy', i).ok).toBe(true);
  });
});

describe('clientKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0:0:0:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('counts %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
