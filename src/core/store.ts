import type { DeliveryKind, Platform } from './surfaces.ts';
import type { Customer, EventType, Inquiry, Message, Mirror, Reaction } from './inquiries/types.ts';

/** A message koe posted: its platform id, and where its follow-ups go. */
export interface PostedMessage {
  messageRef: string;
  threadRef?: string | null;
}

export type { DeliveryKind };

/** A row to add to the outbox; committed with the change that caused it. */
export interface NewDelivery {
  kind: DeliveryKind;
  inquiryId: number | null;
  messageId?: number | null;
  destination: string;
  /** A team surface, or for a reply the customer channel's sender (`webhook`, …). */
  platform: Platform | (string & {});
  channel: string;
  payload?: unknown;
  /** Not before this instant (a reply's undo window); default: at once. */
  notBefore?: number;
}

/** What a reply's state change writes onto its message. */
export type MessagePatch = Partial<Pick<Message, 'replyState' | 'replyError' | 'sentAt' | 'externalId'>>;

/** The fields of a new inquiry; the store sets id, status and the bookkeeping timestamps. */
export type NewInquiry = Pick<
  Inquiry,
  | 'source'
  | 'externalId'
  | 'customerId'
  | 'subject'
  | 'body'
  | 'url'
  | 'reasonId'
  | 'reasonSource'
  | 'reasonConfidence'
  | 'metadata'
  | 'receivedAt'
>;

export type InquiryPatch = Partial<
  Pick<
    Inquiry,
    | 'status'
    | 'assigneeId'
    | 'assigneeName'
    | 'reasonId'
    | 'reasonSource'
    | 'reasonConfidence'
    | 'firstResponseAt'
    | 'resolvedAt'
  >
>;

/**
 * The port through which the core reads and writes state. Synchronous by design: SQLite runs in
 * process, and a synchronous transaction cannot interleave with another verb in the same process.
 */
export interface StoreTx {
  findInquiry(id: number): Inquiry | undefined;
  findInquiryByExternalId(source: string, externalId: string): Inquiry | undefined;
  /** The newest non-resolved inquiry of a customer from a source received at or after `sinceMs`. */
  findRecentOpenInquiry(customerId: number, source: string, sinceMs: number): Inquiry | undefined;
  /** The inquiry of this customer and source that a message with `externalId` already joined, whatever its status. */
  findJoinedInquiry(customerId: number, source: string, externalId: string): Inquiry | undefined;
  insertInquiry(row: NewInquiry, nowMs: number): Inquiry;
  updateInquiry(id: number, patch: InquiryPatch, nowMs: number): Inquiry;
  findCustomer(id: number): Customer | undefined;
  upsertCustomer(source: string, key: string, name: string | null, email: string | null, nowMs: number): Customer;
  insertMessage(row: Omit<Message, 'id'>): Message;
  findMessageByExternalId(inquiryId: number, externalId: string): Message | undefined;
  findMessage(id: number): Message | undefined;
  updateMessage(id: number, patch: MessagePatch): Message;
  /** Cancels a reply's delivery that has not started (its undo window); false when it already left or is leaving. */
  cancelPendingReply(messageId: number, nowMs: number): boolean;
  /**
   * Puts a failed reply's dead delivery back in the queue with a fresh budget of attempts; false when
   * it has none. Its last error stays, so the worker first looks for an attempt that landed after all.
   */
  requeueFailedReply(messageId: number, nowMs: number): boolean;
  appendEvent(
    inquiryId: number,
    type: EventType,
    actor: { id: string; name?: string | null } | null,
    data: Record<string, unknown> | null,
    nowMs: number,
  ): void;
  /**
   * Appends an event that may happen once only, under `key`; false (and nothing written) when an
   * event with that key exists. The store's unique index on the key is what makes it once.
   */
  appendEventOnce(
    inquiryId: number,
    type: EventType,
    key: string,
    data: Record<string, unknown> | null,
    nowMs: number,
  ): boolean;
  findMirrorByMessage(platform: string, channel: string, messageRef: string): Mirror | undefined;
  /** Inserts a live reaction; false when the same person's same emoji is already live (a retried event). */
  addReaction(row: Omit<Reaction, 'id' | 'removedAt'>): boolean;
  /** Marks a live reaction removed; false when there was none. */
  removeReaction(inquiryId: number, userId: string, emoji: string, nowMs: number): boolean;
  /** Destinations that already have a post queued or delivered for this inquiry. */
  routedDestinations(inquiryId: number): string[];
  /** Whether an `update` for this inquiry and destination is queued and not yet started (so another is redundant). */
  hasPendingUpdate(inquiryId: number, destination: string): boolean;
  enqueue(rows: NewDelivery[], nowMs: number): void;
}

export interface Store {
  /** Runs `fn` in one IMMEDIATE transaction: it holds the write lock from its first statement. */
  transaction<T>(fn: (tx: StoreTx) => T): T;
}
