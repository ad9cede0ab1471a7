import type { Customer, Inquiry, InquiryView, Message } from '../../src/core/inquiries/types.ts';

/**
 * Inquiries, customers and messages for tests that render them without a database. Each builder
 * spells out every field once, typed from src/core/inquiries/types.ts, so a new field is a type
 * error here and nowhere else; a test overrides only what it is about.
 */

/** When the default inquiry came in: 00:05 UTC, 09:05 in Tokyo (render tests read it back). */
export const RECEIVED_AT = Date.parse('2026-11-23T00:05:00Z');

/** Inquiry #12 from the web form: open, reason `account` by rule, received at `RECEIVED_AT`. */
export function inquiry(over: Partial<Inquiry> = {}): Inquiry {
  return {
    id: 12,
    source: 'web',
    externalId: null,
    customerId: 1,
    subject: 'ログインできません',
    body: 'パスワードを再設定してもログインできません。',
    url: 'https://example.com/form/42',
    reasonId: 'account',
    reasonSource: 'rule',
    reasonConfidence: null,
    status: 'open',
    assigneeId: null,
    assigneeName: null,
    metadata: null,
    receivedAt: RECEIVED_AT,
    firstResponseAt: null,
    resolvedAt: null,
    createdAt: RECEIVED_AT,
    updatedAt: RECEIVED_AT,
    ...over,
  };
}

/** Customer 1 from the web form, with a name and an email. */
export function customer(over: Partial<Customer> = {}): Customer {
  return {
    id: 1,
    source: 'web',
    key: 'c-1',
    name: '山田 花子',
    email: 'hanako@example.com',
    ...over,
  };
}

/** A follow-up from the customer on inquiry #12. */
export function message(over: Partial<Message> = {}): Message {
  return {
    id: 1,
    inquiryId: 12,
    direction: 'inbound',
    body: '追加の情報です',
    authorId: 'slack:U0CUST',
    authorName: 'cust',
    externalId: null,
    createdAt: RECEIVED_AT,
    ...over,
  };
}

/** What a renderer is given: `inquiry(over)` with `customer()`, no messages and no reactions. */
export function inquiryView(over: Partial<Inquiry> = {}, extra: Partial<InquiryView> = {}): InquiryView {
  return { inquiry: inquiry(over), customer: customer(), messageCount: 0, reactionCounts: {}, ...extra };
}
