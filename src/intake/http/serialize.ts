import type { Customer, Inquiry, InquiryEvent, Message, Mirror, Reaction } from '../../core/inquiries/types.ts';
import type { InquiryDetail, ListedInquiry } from '../../core/ports/read-model.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The API's JSON for an inquiry: ISO timestamps, nested reason and assignee. */
export function serializeInquiry(inquiry: Inquiry, customer?: Customer | null) {
  return {
    id: inquiry.id,
    source: inquiry.source,
    externalId: inquiry.externalId,
    ...(customer !== undefined && {
      customer: customer && { id: customer.key, name: customer.name, email: customer.email },
    }),
    subject: inquiry.subject,
    body: inquiry.body,
    url: inquiry.url,
    status: inquiry.status,
    reason: inquiry.reasonId,
    reasonSource: inquiry.reasonSource,
    reasonConfidence: inquiry.reasonConfidence,
    assignee: inquiry.assigneeId ? { id: inquiry.assigneeId, name: inquiry.assigneeName } : null,
    metadata: inquiry.metadata,
    receivedAt: iso(inquiry.receivedAt),
    firstResponseAt: iso(inquiry.firstResponseAt),
    resolvedAt: iso(inquiry.resolvedAt),
    createdAt: iso(inquiry.createdAt),
    updatedAt: iso(inquiry.updatedAt),
  };
}

/**
 * An inquiry in a list: its body as the list cut it, with `bodyTruncated`, and its metadata only
 * when asked for (`?include=metadata`).
 */
export function serializeSummary(item: ListedInquiry, withMetadata: boolean) {
  const { metadata, ...rest } = serializeInquiry(item, item.customer);
  return { ...rest, bodyTruncated: item.bodyTruncated, ...(withMetadata && { metadata }) };
}

/**
 * Where a reply koe sends stands, with every key always present: `sendsAt` while it waits (the end
 * of its undo window, or when it is tried again), `sentAt` once the customer's channel took it,
 * `error` once it failed.
 */
export function replyStatus(m: Message) {
  return {
    state: m.replyState ?? null,
    sendsAt: m.replyState === 'queued' ? iso(m.sentAt ?? m.createdAt) : null,
    sentAt: m.replyState === 'sent' ? iso(m.sentAt ?? null) : null,
    error: m.replyState === 'failed' ? (m.replyError ?? null) : null,
  };
}

/** A message; a reply koe sends carries `reply` (its state), a message only recorded does not. */
const serializeMessage = (m: Message) => ({
  id: m.id,
  direction: m.direction,
  body: m.body,
  author: m.authorId || m.authorName ? { id: m.authorId, name: m.authorName } : null,
  createdAt: iso(m.createdAt),
  ...(m.replyState && { reply: replyStatus(m) }),
});

const serializeEvent = (e: InquiryEvent) => ({
  id: e.id,
  type: e.type,
  actor: e.actorId ? { id: e.actorId, name: e.actorName } : null,
  data: e.data,
  createdAt: iso(e.createdAt),
});

const serializeMirror = (m: Mirror) => ({
  destination: m.destination,
  platform: m.platform,
  channel: m.channel,
  messageRef: m.messageRef,
});

const serializeReaction = (r: Reaction) => ({
  platform: r.platform,
  user: { id: r.userId, name: r.userName },
  emoji: r.emoji,
  createdAt: iso(r.createdAt),
  removedAt: iso(r.removedAt),
});

/** The API's JSON for GET /inquiries/:id. */
export function serializeDetail(detail: InquiryDetail) {
  return {
    ...serializeInquiry(detail.inquiry, detail.customer),
    messages: detail.messages.map(serializeMessage),
    events: detail.events.map(serializeEvent),
    mirrors: detail.mirrors.map(serializeMirror),
    reactions: detail.reactions.map(serializeReaction),
  };
}

export { serializeMessage };
