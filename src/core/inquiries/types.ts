import type { ReasonSource } from '../reasons/taxonomy.ts';

export type InquiryStatus = 'open' | 'claimed' | 'resolved';
export type MessageDirection = 'inbound' | 'outbound' | 'note';

/** Someone who acts on an inquiry: `slack:U0123`, `discord:1122…`, `api`, or `system`. */
export interface Actor {
  id: string;
  name?: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'koe' };

export interface Inquiry {
  id: number;
  source: string;
  externalId: string | null;
  customerId: number | null;
  subject: string | null;
  body: string;
  url: string | null;
  reasonId: string | null;
  reasonSource: ReasonSource | null;
  reasonConfidence: number | null;
  status: InquiryStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  metadata: Record<string, unknown> | null;
  /** All timestamps are epoch milliseconds. */
  receivedAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface Customer {
  id: number;
  source: string;
  key: string;
  name: string | null;
  email: string | null;
}

/** Where a reply koe sends stands: in its undo window, sent, failed (with a Retry), or undone. */
export type ReplyState = 'queued' | 'sent' | 'failed' | 'undone';

export interface Message {
  id: number;
  inquiryId: number;
  direction: MessageDirection;
  body: string;
  authorId: string | null;
  authorName: string | null;
  externalId: string | null;
  createdAt: number;
  /** Set only on a reply koe sends (absent or null: a message recorded as given). */
  replyState?: ReplyState | null;
  /** Why the reply failed, in the channel's words. */
  replyError?: string | null;
  /** When the reply leaves (while queued: the end of its undo window) or left (once sent). */
  sentAt?: number | null;
}

export type EventType =
  | 'created'
  | 'claimed'
  | 'unclaimed'
  | 'assigned'
  | 'resolved'
  | 'reopened'
  | 'reason_set'
  | 'reacted'
  | 'unreacted'
  | 'message'
  | 'reply_undone'
  | 'reply_sent'
  | 'reply_failed'
  | 'reply_retried'
  /** A target's clock passed `warnAt` of its span (data: target, dueAt); once per inquiry and target. */
  | 'sla_due_soon'
  /** A target's clock passed its due time; once per inquiry and target. */
  | 'sla_breached';

export interface InquiryEvent {
  id: number;
  inquiryId: number;
  type: EventType;
  actorId: string | null;
  actorName: string | null;
  data: Record<string, unknown> | null;
  createdAt: number;
}

export interface Mirror {
  id: number;
  inquiryId: number;
  destination: string;
  platform: string;
  channel: string;
  messageRef: string;
  threadRef: string | null;
}

export interface Reaction {
  id: number;
  inquiryId: number;
  mirrorId: number | null;
  platform: string;
  userId: string;
  userName: string | null;
  emoji: string;
  createdAt: number;
  removedAt: number | null;
}

/** What a renderer needs to draw a mirror: the inquiry and the few facts around it. */
export interface InquiryView {
  inquiry: Inquiry;
  customer: Customer | null;
  messageCount: number;
  /** Live reactions per emoji, across all mirrors. */
  reactionCounts: Record<string, number>;
}
