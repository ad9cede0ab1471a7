import { describe, expect, it } from 'vitest';
import { replyStatus, serializeDetail, serializeInquiry, serializeSummary } from '../../src/intake/http/serialize.ts';
import { customer, inquiry, message, RECEIVED_AT } from '../helpers/inquiry-fixtures.ts';

/** The API's JSON, field by field, for the cases a round trip through the database rarely builds. */
const AT = '2026-11-23T00:05:00.000Z';
const LATER = RECEIVED_AT + 60_000;
const LATER_ISO = '2026-11-23T00:06:00.000Z';

describe('serializeInquiry', () => {
  it('gives ISO times, null for those that have not happened, and no customer key unless given one', () => {
    const json = serializeInquiry(inquiry());
    expect(json).toMatchObject({
      receivedAt: AT,
      createdAt: AT,
      updatedAt: AT,
      firstResponseAt: null,
      resolvedAt: null,
      assignee: null,
    });
    expect(json).not.toHaveProperty('customer');
  });

  it('nests the assignee and the customer, and says null for a customer koe does not know', () => {
    const json = serializeInquiry(
      inquiry({ assigneeId: 'api:alice', assigneeName: 'Alice', resolvedAt: LATER, firstResponseAt: LATER }),
      customer(),
    );
    expect(json).toMatchObject({
      assignee: { id: 'api:alice', name: 'Alice' },
      customer: { id: 'c-1', name: '山田 花子', email: 'hanako@example.com' },
      resolvedAt: LATER_ISO,
      firstResponseAt: LATER_ISO,
    });
    expect(serializeInquiry(inquiry(), null).customer).toBeNull();
  });

  it('in a list: metadata only when asked for, with bodyTruncated and the customer', () => {
    const item = { ...inquiry({ metadata: { plan: 'pro' } }), bodyTruncated: true, customer: customer() };
    expect(serializeSummary(item, false)).not.toHaveProperty('metadata');
    expect(serializeSummary(item, true)).toMatchObject({ metadata: { plan: 'pro' }, bodyTruncated: true });
    expect(serializeSummary(item, false).customer).toEqual({
      id: 'c-1',
      name: '山田 花子',
      email: 'hanako@example.com',
    });
    expect(serializeSummary({ ...item, customer: null }, false).customer).toBeNull();
  });
});

describe('serializeDetail', () => {
  const detail = (over: Partial<Parameters<typeof serializeDetail>[0]> = {}) =>
    serializeDetail({
      inquiry: inquiry(),
      customer: customer(),
      messages: [],
      events: [],
      mirrors: [],
      reactions: [],
      ...over,
    });

  it('names a message’s author by id or by name alone, and gives none when it has neither', () => {
    const { messages } = detail({
      messages: [
        message({ id: 1, authorId: 'api:bob', authorName: null }),
        message({ id: 2, authorId: null, authorName: 'Bob' }),
        message({ id: 3, authorId: null, authorName: null }),
      ],
    });
    expect(messages.map((m) => m.author)).toEqual([{ id: 'api:bob', name: null }, { id: null, name: 'Bob' }, null]);
    expect(messages[0]).toEqual({
      id: 1,
      direction: 'inbound',
      body: '追加の情報です',
      author: { id: 'api:bob', name: null },
      createdAt: AT,
    });
  });

  it('gives an event its actor, or null for an event no one did', () => {
    const { events } = detail({
      events: [
        {
          id: 1,
          inquiryId: 12,
          type: 'claimed',
          actorId: 'api:alice',
          actorName: 'Alice',
          data: null,
          createdAt: RECEIVED_AT,
        },
        {
          id: 2,
          inquiryId: 12,
          type: 'created',
          actorId: null,
          actorName: null,
          data: { via: 'api' },
          createdAt: LATER,
        },
      ],
    });
    expect(events).toEqual([
      { id: 1, type: 'claimed', actor: { id: 'api:alice', name: 'Alice' }, data: null, createdAt: AT },
      { id: 2, type: 'created', actor: null, data: { via: 'api' }, createdAt: LATER_ISO },
    ]);
  });

  it('gives mirrors where they are, and reactions with who, what and when (removed or not)', () => {
    const json = detail({
      mirrors: [
        {
          id: 1,
          inquiryId: 12,
          destination: 'everyone',
          platform: 'slack',
          channel: 'C1',
          messageRef: '1.2',
          threadRef: null,
        },
      ],
      reactions: [
        {
          id: 1,
          inquiryId: 12,
          mirrorId: 1,
          platform: 'slack',
          userId: 'U1',
          userName: 'ann',
          emoji: 'eyes',
          createdAt: RECEIVED_AT,
          removedAt: null,
        },
        {
          id: 2,
          inquiryId: 12,
          mirrorId: 1,
          platform: 'slack',
          userId: 'U2',
          userName: null,
          emoji: 'white_check_mark',
          createdAt: RECEIVED_AT,
          removedAt: LATER,
        },
      ],
    });
    expect(json.mirrors).toEqual([{ destination: 'everyone', platform: 'slack', channel: 'C1', messageRef: '1.2' }]);
    expect(json.reactions).toEqual([
      { platform: 'slack', user: { id: 'U1', name: 'ann' }, emoji: 'eyes', createdAt: AT, removedAt: null },
      {
        platform: 'slack',
        user: { id: 'U2', name: null },
        emoji: 'white_check_mark',
        createdAt: AT,
        removedAt: LATER_ISO,
      },
    ]);
  });

  it('gives a reply koe sends its state; a message only recorded has no reply key', () => {
    const { messages } = detail({
      messages: [
        message({ id: 1 }),
        message({ id: 2, direction: 'outbound', replyState: 'queued', sentAt: LATER }),
        message({ id: 3, direction: 'outbound', replyState: 'sent', sentAt: LATER }),
        message({ id: 4, direction: 'outbound', replyState: 'failed', replyError: 'mailbox full' }),
      ],
    });
    expect(messages[0]).not.toHaveProperty('reply');
    expect(messages.slice(1).map((m) => (m as { reply?: unknown }).reply)).toEqual([
      { state: 'queued', sendsAt: LATER_ISO, sentAt: null, error: null },
      { state: 'sent', sendsAt: null, sentAt: LATER_ISO, error: null },
      { state: 'failed', sendsAt: null, sentAt: null, error: 'mailbox full' },
    ]);
    expect(replyStatus(message({ replyState: 'queued' })).sendsAt).toBe(AT);
  });
});
