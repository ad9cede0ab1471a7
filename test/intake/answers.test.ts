import { describe, expect, it } from 'vitest';
import { parseJsonBody, refusal } from '../../src/intake/http/answers.ts';
import { bearerMatches } from '../../src/intake/http/auth.ts';
import type { Failure } from '../../src/core/errors.ts';

/**
 * The API's answers without a server: what each refusal says over HTTP, how a body's JSON is read
 * (lone surrogates made well-formed wherever they are), and which Authorization headers carry the
 * token.
 */

const fail = (f: Omit<Failure, 'ok'>): Failure => ({ ok: false, ...f });

describe('refusal', () => {
  it.each([
    [
      'ALREADY_CLAIMED by a named person',
      fail({ code: 'ALREADY_CLAIMED', inquiryId: 7, by: { id: 'api:sato', name: 'Sato' } }),
      'inquiry 7 is already claimed by Sato; assign it to take it over',
    ],
    [
      'ALREADY_CLAIMED by someone without a name',
      fail({ code: 'ALREADY_CLAIMED', inquiryId: 7, by: { id: 'api:sato', name: null } }),
      'inquiry 7 is already claimed by api:sato; assign it to take it over',
    ],
    [
      'ALREADY_CLAIMED by nobody known',
      fail({ code: 'ALREADY_CLAIMED', inquiryId: 7 }),
      'inquiry 7 is already claimed by someone; assign it to take it over',
    ],
    ['ALREADY_YOURS', fail({ code: 'ALREADY_YOURS', inquiryId: 7 }), 'inquiry 7 is already held by that actor'],
    [
      'TOO_LATE_TO_UNDO',
      fail({ code: 'TOO_LATE_TO_UNDO', inquiryId: 7 }),
      'that reply of inquiry 7 has already left (or was undone), so it cannot be taken back',
    ],
    [
      'NOT_FAILED',
      fail({ code: 'NOT_FAILED', inquiryId: 7 }),
      'that reply of inquiry 7 has not failed; only a failed reply can be retried',
    ],
    [
      'a code without words of its own, by its message',
      fail({ code: 'NOT_A_MIRROR', message: 'not a mirror' }),
      'not a mirror',
    ],
    ['a code without words or message, by its code', fail({ code: 'NOT_A_MIRROR' }), 'NOT_A_MIRROR'],
  ])('answers 409 for %s, in a sentence', (_what, failure, message) => {
    const answer = refusal(failure);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: failure.code.toLowerCase(),
      message,
      ...(failure.by && { by: failure.by }),
    });
  });

  it('speaks of the inquiry without a number when the failure names none', () => {
    expect(refusal(fail({ code: 'NOT_CLAIMED' })).body).toMatchObject({ message: 'inquiry is not claimed by anyone' });
  });

  it('answers an unknown reason with a 400 even when the failure lists no valid reasons', () => {
    expect(refusal(fail({ code: 'UNKNOWN_REASON' }))).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        issues: [{ path: 'reason', message: 'unknown reason; valid ids: undefined' }],
        validReasons: undefined,
      },
    });
  });

  it('offers a reply webhook to every source that is not a chat, even one whose name contains slack:', () => {
    const message = (source: string) =>
      (refusal(fail({ code: 'NO_WAY_BACK', inquiryId: 3, source })).body as { message: string }).message;
    expect(message('slack:C0123')).toBe(
      'koe has no way back to the customer of inquiry 3 (source "slack:C0123"): answer the customer in slack:C0123',
    );
    expect(message('crm-slack:1')).toBe(
      'koe has no way back to the customer of inquiry 3 (source "crm-slack:1"): answer the customer in crm-slack:1, or give "crm-slack:1" a reply webhook in replies.webhooks',
    );
  });
});

describe('parseJsonBody', () => {
  it('replaces each lone surrogate with one U+FFFD in strings, array items, keys and nested objects', () => {
    const text = '{"a":"x\\ud800y","b":["\\udc00",1,null,true],"\\ud83dk":{"n":2,"s":"\\ud83d\\ude00 ok"},"z":null}';
    expect(parseJsonBody(text)).toEqual({
      ok: true,
      value: { a: 'x\uFFFDy', b: ['\uFFFD', 1, null, true], '\uFFFDk': { n: 2, s: '\u{1F600} ok' }, z: null },
    });
  });

  it('leaves well-formed pairs and other values as parsed', () => {
    expect(parseJsonBody('"\\ud83d\\ude00"')).toEqual({ ok: true, value: '\u{1F600}' });
    expect(parseJsonBody('["\\ud800"]')).toEqual({ ok: true, value: ['\uFFFD'] });
    expect(parseJsonBody('{"n":1,"s":"\\ud800"}')).toEqual({ ok: true, value: { n: 1, s: '\uFFFD' } });
  });
});

describe('bearerMatches, the header’s shape', () => {
  const token = 'KoeIntake-Tok3n';
  it.each([
    ['one space', `Bearer ${token}`, true],
    ['several spaces and a tab', `Bearer  \t${token}`, true],
    ['trailing spaces', `Bearer ${token}  `, true],
    ['text before the scheme', `xBearer ${token}`, false],
    ['another scheme ending in Bearer', `NotBearer ${token}`, false],
  ])('%s: %s', (_what, header, ok) => {
    expect(bearerMatches(header, token)).toBe(ok);
  });

  it('never lets a request without a token in, even against an empty expected token', () => {
    expect(bearerMatches(undefined, '')).toBe(false);
    expect(bearerMatches('Basic Zmlyc3Q=', '')).toBe(false);
  });
});
