import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../../../src/platforms/slack/verify-signature.ts';

// The official test vector from bolt-js's tests (shared/PLATFORM-FACTS.md).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = Number(TIMESTAMP) * 1000;

const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) =>
  verifySlackSignature({
    signingSecret: SECRET,
    rawBody: BODY,
    timestamp: TIMESTAMP,
    signature: SIGNATURE,
    nowMs: AT,
    ...over,
  });

describe('verifySlackSignature', () => {
  it('computes the official test vector', () => {
    expect(signSlackRequest(SECRET, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('accepts the official test vector at its own time', () => {
    expect(check()).toEqual({ ok: true });
  });

  it.each([
    ['4 min 59 s late', AT + 299_000],
    ['4 min 59 s early', AT - 299_000],
    ['exactly 5 min late', AT + 300_000],
  ])('accepts a timestamp %s', (_label, nowMs) => {
    expect(check({ nowMs })).toEqual({ ok: true });
  });

  it.each([
    ['more than 5 minutes old', AT + 300_001],
    ['more than 5 minutes in the future', AT - 300_001],
    ['a day old', AT + 86_400_000],
  ])('refuses a timestamp %s', (_label, nowMs) => {
    expect(check({ nowMs })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a float or negative timestamp even when it is signed as sent', () => {
    for (const timestamp of ['1531420618.5', '-1531420618']) {
      const signature = signSlackRequest(SECRET, timestamp, BODY);
      expect(check({ timestamp, signature })).toEqual({ ok: false, reason: 'bad_timestamp' });
    }
  });

  it('refuses a body swapped for another request’s, under the first one’s signature', () => {
    const other = BODY.replace('command=%2Fwebhook-collect', 'command=%2Fkoe&text=resolve+1');
    expect(check({ rawBody: other })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ rawBody: `${BODY}&user_id=U0EVIL` })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a body changed after signing', () => {
    expect(check({ rawBody: BODY.replace('roadrunner', 'coyote') })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a signature made with another secret', () => {
    expect(check({ signature: signSlackRequest('another-secret', TIMESTAMP, BODY) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature for another timestamp (replay with a fresh timestamp)', () => {
    const fresh = String(Number(TIMESTAMP) + 60);
    expect(check({ timestamp: fresh, nowMs: Number(fresh) * 1000 })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('refuses a %s signature header', (_label, signature) => {
    expect(check({ signature })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it.each([
    ['truncated', SIGNATURE.slice(0, -1)],
    ['without the v0= prefix', SIGNATURE.slice(3)],
    ['in upper case', SIGNATURE.toUpperCase()],
    ['with the right prefix and its hex in upper case', `v0=${SIGNATURE.slice(3).toUpperCase()}`],
    ['with another version prefix (v1=)', `v1=${SIGNATURE.slice(3)}`],
    ['with the prefix in upper case (V0=)', `V0=${SIGNATURE.slice(3)}`],
    ['with a trailing byte', `${SIGNATURE}0`],
  ])('refuses a signature %s', (_label, signature) => {
    expect(check({ signature })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([['abc'], ['1531420618.5'], ['1531420618.0'], ['-1531420618'], ['-1'], ['1e9'], [' 1531420618'], ['0x5B4']])(
    'refuses the non-numeric timestamp %s',
    (timestamp) => {
      expect(check({ timestamp })).toEqual({ ok: false, reason: 'bad_timestamp' });
    },
  );
});
