import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for.ts';

describe('waitFor', () => {
  it('returns the first truthy value the condition gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), 5_000, 'the third call');
    expect(value).toEqual({ calls: 3 });
  });

  it('awaits an async condition: a promise of false is not a truthy value', async () => {
    let calls = 0;
    await expect(waitFor(async () => false, 100, 'never')).rejects.toThrow(/never/);
    await waitFor(async () => ++calls === 2, 5_000, 'the second call');
    expect(calls).toBe(2);
  });

  it('asks again after a throw and names what it waited for, with the last error, at the deadline', async () => {
    let calls = 0;
    expect(await waitFor(() => (++calls < 3 ? JSON.parse('{') : 'parsed'), 5_000)).toBe('parsed');
    await expect(
      waitFor(
        () => {
          throw new Error('no row yet');
        },
        50,
        'the row',
      ),
    ).rejects.toThrow(/waiting for the row; it last threw: Error: no row yet/);
  });

  it('quotes the condition when it was given no words for it', async () => {
    const ready = false;
    await expect(waitFor(() => ready, 50)).rejects.toThrow('waiting for () => ready');
  });
});
