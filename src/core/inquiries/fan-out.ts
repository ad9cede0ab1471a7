import type { CoreContext } from '../context.ts';
import type { NewDelivery, StoreTx } from '../store.ts';
import { matchingRoutes } from './routing.ts';
import type { Inquiry } from './types.ts';

/**
 * Queues what must change in chat after `inquiry` changed, inside the caller's transaction:
 * a post to every newly matching route, and one in-place update per route already posted to.
 * Updates render the inquiry as it is at delivery time, so one queued update covers any number
 * of changes and a second is not queued. `isNew` says the inquiry was created in this transaction,
 * so nothing was routed yet and the look-up is skipped (intake's hot path).
 */
export function queueMirrorChanges(
  ctx: CoreContext,
  tx: StoreTx,
  inquiry: Inquiry,
  nowMs: number,
  isNew = false,
): void {
  const routed = new Set(isNew ? [] : tx.routedDestinations(inquiry.id));
  const rows: NewDelivery[] = [];
  for (const route of matchingRoutes(ctx.routes, inquiry)) {
    if (routed.has(route.name)) continue;
    rows.push({
      kind: 'post',
      inquiryId: inquiry.id,
      destination: route.name,
      platform: route.platform,
      channel: route.channel,
    });
  }
  for (const name of routed) {
    const route = ctx.routes.find((r) => r.name === name);
    if (!route || tx.hasPendingUpdate(inquiry.id, name)) continue;
    rows.push({
      kind: 'update',
      inquiryId: inquiry.id,
      destination: name,
      platform: route.platform,
      channel: route.channel,
    });
  }
  tx.enqueue(rows, nowMs);
}

/** Queues a message into the thread of every mirror of the inquiry (but `except`, where it was typed). */
export function queueThreadMessage(
  ctx: CoreContext,
  tx: StoreTx,
  inquiryId: number,
  messageId: number,
  nowMs: number,
  except?: string,
): void {
  const rows = threadRows(ctx, tx, 'thread', inquiryId, messageId);
  tx.enqueue(except === undefined ? rows : rows.filter((r) => r.destination !== except), nowMs);
}

/**
 * Queues an edit of a message's line in every mirror's thread (a reply's state changed). It renders
 * the message as it is when delivered, and it queues behind the thread post it edits.
 */
export function queueThreadUpdate(
  ctx: CoreContext,
  tx: StoreTx,
  inquiryId: number,
  messageId: number,
  nowMs: number,
): void {
  tx.enqueue(threadRows(ctx, tx, 'thread_update', inquiryId, messageId), nowMs);
}

function threadRows(
  ctx: CoreContext,
  tx: StoreTx,
  kind: 'thread' | 'thread_update',
  inquiryId: number,
  messageId: number,
): NewDelivery[] {
  const rows: NewDelivery[] = [];
  for (const name of tx.routedDestinations(inquiryId)) {
    const route = ctx.routes.find((r) => r.name === name);
    if (!route) continue;
    rows.push({ kind, inquiryId, messageId, destination: name, platform: route.platform, channel: route.channel });
  }
  return rows;
}
