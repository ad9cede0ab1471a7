import type { Config } from '../config/load-config.ts';
import type { Platform } from '../config/schema.ts';
import type { CoreContext } from '../core/context.ts';
import type { Inquiry, InquiryView, Message, Mirror } from '../core/inquiries/types.ts';
import type { Locale, Reason } from '../core/reasons/taxonomy.ts';
import type { ShownDue } from '../core/sla/shown-due.ts';
import type { Logger } from '../lib/logger.ts';
import type { InboundLedger } from '../core/ports/inbound-ledger.ts';
import type { KnownNames } from '../core/ports/known-names.ts';
import type { ReadModel } from '../core/ports/read-model.ts';
import type { SourceCursors } from '../core/ports/source-cursors.ts';

/** What every renderer needs besides the thing it draws. */
export interface RenderSettings {
  locale: Locale;
  timezone: string;
  reasons: readonly Reason[];
  /**
   * The due time an inquiry shows and where it stands (the first response while owed, then the
   * resolution), read at render time from the business clock. Absent or null: no due line.
   */
  dueOf?: (inquiry: Inquiry) => ShownDue | null;
}

import type { DeliveryKind, PostedMessage } from '../core/store.ts';

export type { DeliveryKind, PostedMessage };

/**
 * The outbound port: one per platform. Senders do I/O and nothing else (rendering is pure and lives
 * beside them). They signal failures with the errors in `delivery-errors.ts`; anything else thrown
 * counts as transient and is retried with backoff.
 */
export interface Sender {
  readonly platform: Platform;
  /** Least gap between two calls to the same channel, in ms (Slack: ~1 message/second/channel). */
  paceMs(kind: DeliveryKind): number;
  postInquiry(req: { deliveryId: number; channel: string; view: InquiryView }): Promise<PostedMessage>;
  updateInquiry(req: { deliveryId: number; channel: string; mirror: Mirror; view: InquiryView }): Promise<void>;
  postToThread(req: {
    deliveryId: number;
    channel: string;
    mirror: Mirror;
    view: InquiryView;
    message: Message;
    /**
     * Someone the message is for (an actor id such as `slack:U123`; koe's SLA warnings carry the
     * assignee): a platform mentions them when the id is one of its users, and ignores it otherwise.
     */
    mention?: string | null;
  }): Promise<PostedMessage>;
  /** `digest` is the core's Digest model (src/core/digests), rendered by the platform. */
  postDigest(req: { deliveryId: number; channel: string; digest: unknown }): Promise<PostedMessage>;
  /**
   * Edits the line that shows `message` in a mirror's thread (`messageRef`, what postToThread
   * returned): a reply's state changed (sent, failed, undone, queued again). Absent: not shown.
   */
  updateThreadMessage?(req: {
    deliveryId: number;
    channel: string;
    mirror: Mirror;
    view: InquiryView;
    message: Message;
    messageRef: string;
  }): Promise<void>;
  /**
   * Posts one line of koe's own text to a channel (an SLA warning in `sla.alertChannel`), marked
   * with its delivery id so `findDelivered` (kind `alert`) finds it after a crash. Absent: refused.
   */
  postAlert?(req: { deliveryId: number; channel: string; text: string }): Promise<PostedMessage>;
  /** Tells `userId` (the platform's own id) privately that their reply `message` failed. Absent: not told. */
  notifyUser?(req: { deliveryId: number; userId: string; view: InquiryView; message: Message }): Promise<void>;
  /**
   * After an attempt that may have reached the platform (crash, timeout, 5xx): the message that
   * attempt posted, found by the delivery id it carries, or null when it never landed. This is what
   * keeps a mirror from being posted twice.
   */
  findDelivered(req: {
    deliveryId: number;
    kind: DeliveryKind;
    channel: string;
    mirror: Mirror | null;
    sinceMs: number;
  }): Promise<PostedMessage | null>;
}

/** What a customer channel's sender is given to deliver one reply. */
export interface ReplyDelivery {
  deliveryId: number;
  /** The reply target's channel (a source channel id, a webhook's source name). */
  channel: string;
  /** The inquiry answered: where the customer wrote (its source, external id, metadata) and who they are. */
  view: InquiryView;
  /** The reply: its body, author and id. */
  message: Message;
}

/**
 * The outbound half of a customer channel: sends a reply where the customer wrote. Errors as for
 * `Sender` (`delivery-errors.ts`): a permanent one fails the reply at once, anything else is retried.
 */
export interface ReplySender {
  /** Least gap between two replies to one channel, in ms. */
  paceMs(): number;
  sendReply(req: ReplyDelivery): Promise<PostedMessage>;
  /**
   * After an attempt that may have landed: the reply it sent, found by its delivery id, or null. A
   * channel that cannot look (a webhook) returns null and relies on the receiver's idempotency key.
   */
  findSentReply(req: ReplyDelivery & { sinceMs: number }): Promise<PostedMessage | null>;
  /** Acknowledges a new inquiry to its customer (the `acknowledge` kind); absent, the channel sends none. */
  sendAcknowledgement?(req: AcknowledgementDelivery): Promise<PostedMessage>;
  /** After an attempt that may have landed: the acknowledgement it sent, found by its delivery id, or null. */
  findSentAcknowledgement?(req: AcknowledgementDelivery & { sinceMs: number }): Promise<PostedMessage | null>;
}

/** One acknowledgement to send: the outbox row's id and channel, and the new inquiry. */
export type AcknowledgementDelivery = Omit<ReplyDelivery, 'message'>;

/**
 * What a platform adapter is built from; explicit so tests can build one with any config. Adapters
 * read through the ports and change things through the core's actions; they never hold the database.
 */
export interface PlatformDeps {
  config: Config;
  ctx: CoreContext;
  read: ReadModel;
  ledger: InboundLedger;
  cursors: SourceCursors;
  names: KnownNames;
  log: Logger;
  render: RenderSettings;
}

/** A running platform: its outbound sender, an optional HTTP route on koe's server, and its lifecycle. */
export interface PlatformRuntime {
  sender: Sender;
  /** Its source channels' way back (replies), when the platform carries sources. */
  replies?: ReplySender;
  /** e.g. Slack's `POST /slack/events` in HTTP mode. */
  http?: { method: 'POST'; path: string; handle(request: Request): Promise<Response> };
  start(): Promise<void>;
  stop(): Promise<void>;
}
