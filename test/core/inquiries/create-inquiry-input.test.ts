import { describe, expect, it } from 'vitest';
import { createInquiryInput } from '../../../src/core/inquiries/index.ts';

/**
 * The limits every intake edge (HTTP API, chat sources) puts on a new inquiry: each one is pinned
 * exactly at the limit (accepted) and one past it (refused, with the path the caller is told).
 */

const base = { source: 'web', body: 'ログインできません' };

/** The paths of the issues `input` is refused with; [] when it is accepted. */
function refusedAt(input: unknown): string[] {
  const parsed = createInquiryInput.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
}

/** An address of exactly `length` characters. */
const email = (length: number) => `${'a'.repeat(length - '@example.com'.length)}@example.com`;
/** A URL of exactly `length` characters. */
const url = (length: number) => `https://example.com/${'p'.repeat(length - 'https://example.com/'.length)}`;

describe('createInquiryInput', () => {
  it('accepts an inquiry with every field, as given', () => {
    const full = {
      source: 'web',
      externalId: 'form-42',
      customer: { id: 'c-1', name: '山田 花子', email: 'hanako@example.com' },
      subject: 'ログイン',
      body: 'ログインできません',
      url: 'https://example.com/form/42',
      reason: 'account',
      receivedAt: '2026-11-20T09:00:00+09:00',
      metadata: { plan: 'pro', seats: 3 },
    };
    expect(createInquiryInput.parse(full)).toEqual(full);
    expect(refusedAt(base)).toEqual([]);
  });

  it('refuses a key it does not know, at the top and in the customer', () => {
    expect(refusedAt({ ...base, priority: 'high' })).toEqual(['']);
    expect(refusedAt({ ...base, customer: { id: 'c-1', phone: '03' } })).toEqual(['customer']);
  });

  it('trims the source, and refuses one that is blank or over 200 characters', () => {
    expect(createInquiryInput.parse({ ...base, source: '  slack:C1 ' }).source).toBe('slack:C1');
    expect(refusedAt({ ...base, source: 's'.repeat(200) })).toEqual([]);
    expect(refusedAt({ ...base, source: ` ${'s'.repeat(200)} ` })).toEqual([]);
    expect(refusedAt({ ...base, source: 's'.repeat(201) })).toEqual(['source']);
    expect(refusedAt({ ...base, source: '   ' })).toEqual(['source']);
    expect(refusedAt({ ...base, source: '' })).toEqual(['source']);
  });

  it.each([
    ['externalId', 500, (n: number) => ({ externalId: 'e'.repeat(n) })],
    ['customer.id', 500, (n: number) => ({ customer: { id: 'c'.repeat(n) } })],
    ['customer.name', 500, (n: number) => ({ customer: { name: 'n'.repeat(n) } })],
    ['customer.email', 500, (n: number) => ({ customer: { email: email(n) } })],
    ['subject', 1000, (n: number) => ({ subject: 's'.repeat(n) })],
    ['body', 100_000, (n: number) => ({ body: 'あ'.repeat(n) })],
    ['url', 3000, (n: number) => ({ url: url(n) })],
    ['reason', 100, (n: number) => ({ reason: 'r'.repeat(n) })],
  ])('accepts %s of up to %i characters and refuses one more', (path, max, field) => {
    expect(refusedAt({ ...base, ...field(max) })).toEqual([]);
    expect(refusedAt({ ...base, ...field(max + 1) })).toEqual([path]);
  });

  it.each([
    ['externalId', { externalId: 'e2' }],
    ['customer.id', { customer: { id: 'U2' } }],
    ['customer.name', { customer: { name: 'T' } }],
    ['customer.email', { customer: { email: 'a@b.co' } }],
    ['subject', { subject: 'Hi' }],
    ['body', { body: 'a' }],
    ['url', { url: 'https://x.co' }],
    ['reason', { reason: 'bug' }],
  ])('accepts a short %s', (_path, field) => {
    expect(refusedAt({ ...base, ...field })).toEqual([]);
  });

  it.each([
    ['externalId', { externalId: '' }],
    ['customer.id', { customer: { id: '' } }],
    ['reason', { reason: '' }],
  ])('refuses an empty %s', (path, field) => {
    expect(refusedAt({ ...base, ...field })).toEqual([path]);
  });

  it('accepts an empty subject and an empty customer name (they are stored as none)', () => {
    expect(refusedAt({ ...base, subject: '' })).toEqual([]);
    expect(refusedAt({ ...base, customer: { name: '' } })).toEqual([]);
  });

  it('refuses an empty body, and a body of only whitespace as blank, and keeps a body’s own spaces', () => {
    const empty = createInquiryInput.safeParse({ ...base, body: '' });
    expect(empty.error?.issues.map((i) => i.path.join('.'))).toEqual(['body', 'body']); // too short, and blank
    const blank = createInquiryInput.safeParse({ ...base, body: ' \n\t ' });
    expect(blank.success).toBe(false);
    expect(blank.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['body', 'must not be blank']]);
    expect(createInquiryInput.parse({ ...base, body: '  hi  ' }).body).toBe('  hi  ');
  });

  it('refuses an email or a URL that is not one', () => {
    expect(refusedAt({ ...base, customer: { email: 'not an address' } })).toEqual(['customer.email']);
    expect(refusedAt({ ...base, url: 'example.com/form' })).toEqual(['url']);
  });

  it('accepts a receipt time in UTC or with an offset, and refuses one without either', () => {
    expect(refusedAt({ ...base, receivedAt: '2026-11-20T00:00:00Z' })).toEqual([]);
    expect(refusedAt({ ...base, receivedAt: '2026-11-20T09:00:00+09:00' })).toEqual([]);
    expect(refusedAt({ ...base, receivedAt: '2026-11-20T09:00:00' })).toEqual(['receivedAt']);
    expect(refusedAt({ ...base, receivedAt: '20 Nov 2026' })).toEqual(['receivedAt']);
  });
});
