import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches } from '../../src/intake/http/auth.ts';
import { startKoe, type RunningKoe } from '../helpers/koe-instance.ts';

// Like a generated token (base64url), this one has upper and lower case letters.
const TOKEN = 'KoeIntake-Tok3n_MixedCASE-0123456789abcXYZ';

/** The token with the case of each letter swapped: the same word to a case-blind check, a wrong one to koe. */
const swapCase = (s: string) =>
  s.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

describe('the intake bearer token', () => {
  let k: RunningKoe;
  beforeAll(async () => {
    k = await startKoe(null, { KOE_INTAKE_TOKEN: TOKEN });
    const first = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: { source: 'web', body: 'the inquiry the messages go to' },
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect((await first.json()).id).toBe(1);
  });
  afterAll(async () => k.stop());

  // Both doors: the intake lane serves POST /inquiries itself; the app serves the rest.
  const doors = [
    {
      name: 'POST /api/v1/inquiries (the intake lane)',
      call: (authorization: string) =>
        k.api('/api/v1/inquiries', {
          method: 'POST',
          json: { source: 'web', body: 'token check' },
          headers: { authorization },
        }),
      ok: 201,
    },
    {
      name: 'GET /api/v1/inquiries (the app)',
      call: (authorization: string) => k.api('/api/v1/inquiries', { headers: { authorization } }),
      ok: 200,
    },
    {
      name: 'POST /api/v1/inquiries/:id/messages (the app)',
      call: (authorization: string) =>
        k.api('/api/v1/inquiries/1/messages', {
          method: 'POST',
          json: { direction: 'note', body: 'token check' },
          headers: { authorization },
        }),
      ok: 201,
    },
  ];

  describe.each(doors)('$name', (door) => {
    it('lets in the configured token, upper and lower case as configured', async () => {
      expect((await door.call(`Bearer ${TOKEN}`)).status).toBe(door.ok);
    });

    it('takes the scheme in any case (it is case-insensitive; the token is not)', async () => {
      expect((await door.call(`bearer ${TOKEN}`)).status).toBe(door.ok);
    });

    it.each([
      ['all lower case', TOKEN.toLowerCase()],
      ['all upper case', TOKEN.toUpperCase()],
      ['every letter’s case swapped', swapCase(TOKEN)],
      ['one letter’s case changed', `k${TOKEN.slice(1)}`],
    ])('refuses the token %s with 401', async (_how, token) => {
      const res = await door.call(`Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    });

    it.each([
      ['with a character more', `Bearer ${TOKEN}x`],
      ['followed by another word', `Bearer ${TOKEN} extra`],
      ['without the scheme', TOKEN],
    ])('refuses the token %s with 401', async (_how, authorization) => {
      expect((await door.call(authorization)).status).toBe(401);
    });
  });
});

describe('bearerMatches', () => {
  it('checks against the token it is given each time, not one it saw before', () => {
    expect(bearerMatches('Bearer first-Token', 'first-Token')).toBe(true);
    expect(bearerMatches('Bearer first-Token', 'second-Token')).toBe(false);
    expect(bearerMatches('Bearer second-Token', 'second-Token')).toBe(true);
  });

  it('refuses a missing header, an empty one, and a scheme without a token', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic Zmlyc3Q=']) {
      expect(bearerMatches(header, 'first-Token')).toBe(false);
    }
  });
});
