import type { Message } from '../core/inquiries/types.ts';
import { PermanentDeliveryError } from '../platforms/delivery-errors.ts';
import type { PostedMessage, ReplySender, Sender } from '../platforms/types.ts';
import type { DeliveryRow, OutboxStore } from '../storage/outbox-store.ts';
import type { createViewLoader } from '../storage/view-loader.ts';

/** What the core does when a reply's delivery ends (wired to markReplySent / markReplyFailed). */
export interface ReplyHooks {
  sent(messageId: number, posted: PostedMessage | null, atMs: number): void;
  failed(messageId: number, error: string): void;
}

/** What the reply kinds' attempts read. */
export interface ReplyAttemptDeps {
  store: OutboxStore;
  loadView: ReturnType<typeof createViewLoader>;
  now: () => number;
  replyHooks?: ReplyHooks;
}

function loadReply(
  deps: ReplyAttemptDeps,
  row: DeliveryRow,
): { view: NonNullable<ReturnType<ReplyAttemptDeps['loadView']>>; message: Message } {
  const view = row.inquiry_id === null ? undefined : deps.loadView(row.inquiry_id);
  if (!view) throw new PermanentDeliveryError(`inquiry ${row.inquiry_id} does not exist`);
  const message = deps.store.message(row.message_id);
  if (!message) throw new PermanentDeliveryError(`message ${row.message_id} does not exist`);
  return { view, message };
}

/**
 * Sends one reply to the customer's channel. The core hears of it before the row is marked done: a
 * crash in between leaves the row in flight, and the next attempt finds the sent reply (it carries
 * its delivery id) and tells the core again, which is idempotent. So the reply leaves once and is
 * recorded once.
 */
export async function attemptReply(
  deps: ReplyAttemptDeps,
  sender: ReplySender,
  row: DeliveryRow,
  uncertain: boolean,
): Promise<PostedMessage | null> {
  const { view, message } = loadReply(deps, row);
  // Undo cancels the row before any lease; an undone or already-sent reply here is a stale row.
  if (message.replyState === 'undone' || message.replyState === 'sent') return null;
  const req = { deliveryId: row.id, channel: row.channel, view, message };
  const found = uncertain ? await sender.findSentReply({ ...req, sinceMs: row.created_at - 60_000 }) : null;
  const posted = found ?? (await sender.sendReply(req));
  deps.replyHooks?.sent(message.id, posted, deps.now());
  return posted;
}

/** Edits a message's line in a mirror's thread; nothing to edit when its thread post never went out. */
export async function attemptThreadUpdate(deps: ReplyAttemptDeps, sender: Sender, row: DeliveryRow): Promise<void> {
  const mirror = deps.store.mirror(row.inquiry_id, row.destination);
  const messageRef = row.message_id === null ? null : deps.store.threadPostRef(row.message_id, row.destination);
  if (!mirror || !messageRef || !sender.updateThreadMessage) return;
  const { view, message } = loadReply(deps, row);
  await sender.updateThreadMessage({ deliveryId: row.id, channel: row.channel, mirror, view, message, messageRef });
}

/** Tells a reply's author privately that it failed (the row's channel is their user id). */
export async function attemptNotice(deps: ReplyAttemptDeps, sender: Sender, row: DeliveryRow): Promise<void> {
  if (!sender.notifyUser) return;
  const { view, message } = loadReply(deps, row);
  await sender.notifyUser({ deliveryId: row.id, userId: row.channel, view, message });
}
