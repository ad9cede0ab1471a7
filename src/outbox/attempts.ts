import type { Platform } from '../core/surfaces.ts';
import { PermanentDeliveryError } from '../platforms/delivery-errors.ts';
import type { PostedMessage, ReplySender, Sender } from '../platforms/types.ts';
import type { DeliveryRow, OutboxStore } from '../storage/outbox-store.ts';
import type { createViewLoader } from '../storage/view-loader.ts';
import { attemptNotice, attemptReply, attemptThreadUpdate, type ReplyHooks } from './reply-attempts.ts';

/**
 * One delivery attempt per outbox row, by kind: what the worker calls once it holds a row's lease.
 * The worker decides when and in what order; this decides what one row does.
 */

/** What an attempt reads: the senders, the queue's look-ups, the view loader and the clock. */
export interface AttemptDeps {
  senders: Partial<Record<Platform, Sender>>;
  replySenders: Partial<Record<string, ReplySender>>;
  replyHooks?: ReplyHooks;
  store: OutboxStore;
  loadView: ReturnType<typeof createViewLoader>;
  now: () => number;
}

/** One attempt, by the sender its kind needs: a customer channel's for a reply, the team surface's otherwise. */
export async function attemptDelivery(
  w: AttemptDeps,
  row: DeliveryRow,
  uncertain: boolean,
): Promise<{ posted: PostedMessage | null; renderedAt: number }> {
  if (row.kind === 'reply') {
    const replies = w.replySenders[row.platform];
    if (!replies) throw new PermanentDeliveryError(`no way to reply through "${row.platform}" is configured`);
    return { posted: await attemptReply(w, replies, row, uncertain), renderedAt: 0 };
  }
  if (row.kind === 'acknowledge') return { posted: await attemptAcknowledgement(w, row, uncertain), renderedAt: 0 };
  const sender = w.senders[row.platform as Platform];
  if (!sender) throw new PermanentDeliveryError(`no sender configured for platform "${row.platform}"`);
  if (row.kind === 'thread_update') {
    await attemptThreadUpdate(w, sender, row);
    return { posted: null, renderedAt: 0 };
  }
  if (row.kind === 'notice') {
    await attemptNotice(w, sender, row);
    return { posted: null, renderedAt: 0 };
  }
  if (row.kind === 'alert') return { posted: await attemptAlert(sender, row, uncertain), renderedAt: 0 };
  return attemptTeamDelivery(w, sender, row, uncertain);
}

/**
 * A new inquiry's acknowledgement, through its customer channel; after an interrupted attempt, the
 * one that attempt sent, if the channel finds it. No message and no first response is recorded.
 */
async function attemptAcknowledgement(w: AttemptDeps, row: DeliveryRow, uncertain: boolean): Promise<PostedMessage> {
  const replies = w.replySenders[row.platform];
  if (!replies?.sendAcknowledgement) {
    throw new PermanentDeliveryError(`no way to acknowledge through "${row.platform}" is configured`);
  }
  const view = row.inquiry_id === null ? undefined : w.loadView(row.inquiry_id);
  if (!view) throw new PermanentDeliveryError(`inquiry ${row.inquiry_id} does not exist`);
  const req = { deliveryId: row.id, channel: row.channel, view };
  const found = uncertain
    ? await replies.findSentAcknowledgement?.({ ...req, sinceMs: row.created_at - 60_000 })
    : null;
  return found ?? (await replies.sendAcknowledgement(req));
}

/** One line of text to a channel; after an interrupted attempt, the line that attempt posted, if any. */
async function attemptAlert(sender: Sender, row: DeliveryRow, uncertain: boolean): Promise<PostedMessage> {
  if (!sender.postAlert) throw new PermanentDeliveryError(`${sender.platform} cannot post an alert line`);
  if (uncertain) {
    const found = await sender.findDelivered({
      deliveryId: row.id,
      kind: row.kind,
      channel: row.channel,
      mirror: null,
      sinceMs: row.created_at - 60_000,
    });
    if (found) return found;
  }
  const payload = row.payload === null ? null : (JSON.parse(row.payload) as { text?: unknown });
  if (typeof payload?.text !== 'string') throw new PermanentDeliveryError('alert delivery without text');
  return sender.postAlert({ deliveryId: row.id, channel: row.channel, text: payload.text });
}

/** Whom a thread row's message is for (an SLA warning's assignee), from the row's payload. */
function mentionOf(row: DeliveryRow): string | null {
  const payload = row.payload === null ? null : (JSON.parse(row.payload) as { mention?: unknown });
  return typeof payload?.mention === 'string' ? payload.mention : null;
}

/**
 * One attempt. Returns the posted message for kinds that post one, and when the inquiry was read
 * for rendering: a mirror shows every change committed before that instant, so a queued update
 * older than it has nothing new to show (0 when nothing was rendered).
 */
async function attemptTeamDelivery(
  w: AttemptDeps,
  sender: Sender,
  row: DeliveryRow,
  uncertain: boolean,
): Promise<{ posted: PostedMessage | null; renderedAt: number }> {
  const mirror = w.store.mirror(row.inquiry_id, row.destination);
  const lookUp = () =>
    sender.findDelivered({
      deliveryId: row.id,
      kind: row.kind,
      channel: row.channel,
      mirror,
      sinceMs: row.created_at - 60_000,
    });

  if (row.kind === 'digest') {
    if (uncertain) {
      const found = await lookUp();
      if (found) return { posted: found, renderedAt: 0 };
    }
    const digest = row.payload === null ? null : JSON.parse(row.payload);
    return { posted: await sender.postDigest({ deliveryId: row.id, channel: row.channel, digest }), renderedAt: 0 };
  }

  if (row.inquiry_id === null) throw new PermanentDeliveryError(`${row.kind} delivery without an inquiry`);
  const renderedAt = w.now();
  const view = w.loadView(row.inquiry_id);
  if (!view) throw new PermanentDeliveryError(`inquiry ${row.inquiry_id} does not exist`);

  if (row.kind === 'post') {
    if (mirror) return { posted: null, renderedAt: 0 };
    if (uncertain) {
      const found = await lookUp();
      // What the lost attempt rendered is unknown: leave the mirror due for every later update.
      if (found) return { posted: found, renderedAt: 0 };
    }
    return { posted: await sender.postInquiry({ deliveryId: row.id, channel: row.channel, view }), renderedAt };
  }

  // Updates and thread messages need the mirror; ordering guarantees its post is done.
  if (!mirror) throw new PermanentDeliveryError(`no mirror of inquiry ${row.inquiry_id} in ${row.destination}`);
  if (row.kind === 'update') {
    // The post (or a later update) already rendered a state at least this new.
    if (w.store.mirrorUpdatedAt(mirror.id) > row.created_at) return { posted: null, renderedAt: 0 };
    await sender.updateInquiry({ deliveryId: row.id, channel: row.channel, mirror, view });
    return { posted: null, renderedAt };
  }

  const message = w.store.message(row.message_id);
  if (!message) throw new PermanentDeliveryError(`message ${row.message_id} does not exist`);
  if (uncertain) {
    const found = await lookUp();
    if (found) return { posted: found, renderedAt: 0 };
  }
  const mention = mentionOf(row);
  const posted = await sender.postToThread({
    deliveryId: row.id,
    channel: row.channel,
    mirror,
    view,
    message,
    ...(mention && { mention }),
  });
  // A sender that opened the thread on first use (Discord) reports it; later replies go there.
  if (posted.threadRef && !mirror.threadRef) w.store.setThread(mirror.id, posted.threadRef);
  return { posted, renderedAt: 0 };
}
