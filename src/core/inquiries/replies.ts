import type { CoreContext, ReplyTarget } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import type { MessagePatch, StoreTx } from '../store.ts';
import { queueMirrorChanges, queueThreadMessage, queueThreadUpdate } from './fan-out.ts';
import type { Actor, Inquiry, Message } from './types.ts';

/**
 * Replies koe sends to the customer, where the customer wrote. Nothing here is reached by writing in
 * a mirror's thread (that stays a note): only the `reply` action, which a person takes on purpose.
 * A reply waits out the undo window as a pending outbox row; undo cancels that row, and the first
 * of undo and the worker's lease wins (both are single-row updates inside a write transaction).
 */

/** The outbox destination of an inquiry's replies: one per customer channel, so replies keep their order. */
export function replyDestination(target: ReplyTarget): string {
  return `reply:${target.platform}:${target.channel}`;
}

const MAX_ERROR_LENGTH = 500;

/** Queues a reply: it leaves after the undo window, and every mirror's thread shows it with its state. */
export function queueReply(
  ctx: CoreContext,
  input: { inquiryId: number; actor: Actor; body: string },
): Outcome<{ message: Message; target: ReplyTarget; sendsAt: number }> {
  const outcome = ctx.store.transaction((tx): Outcome<{ message: Message; target: ReplyTarget; sendsAt: number }> => {
    const inquiry = tx.findInquiry(input.inquiryId);
    if (!inquiry) return fail('NOT_FOUND', { inquiryId: input.inquiryId });
    const target = ctx.replies?.targetOf(inquiry) ?? null;
    if (!target) return noWayBack(inquiry);
    const nowMs = ctx.now();
    const sendsAt = nowMs + (ctx.replies?.undoMs ?? 0);
    const message = tx.insertMessage({
      inquiryId: inquiry.id,
      direction: 'outbound',
      body: input.body,
      authorId: input.actor.id,
      authorName: input.actor.name ?? null,
      externalId: null,
      createdAt: nowMs,
      replyState: 'queued',
      sentAt: sendsAt,
    });
    tx.appendEvent(
      inquiry.id,
      'message',
      input.actor,
      { direction: 'outbound', messageId: message.id, reply: true },
      nowMs,
    );
    tx.enqueue(
      [
        {
          kind: 'reply',
          inquiryId: inquiry.id,
          messageId: message.id,
          destination: replyDestination(target),
          platform: target.platform,
          channel: target.channel,
          notBefore: sendsAt,
        },
      ],
      nowMs,
    );
    queueThreadMessage(ctx, tx, inquiry.id, message.id, nowMs);
    return { ok: true, message, target, sendsAt };
  });
  if (outcome.ok) ctx.onEnqueued();
  return outcome;
}

function noWayBack(inquiry: Inquiry) {
  return fail('NO_WAY_BACK', { inquiryId: inquiry.id, source: inquiry.source, url: inquiry.url });
}

/** The reply `messageId` of inquiry `inquiryId`, or a refusal when there is no such reply. */
function replyOf(tx: StoreTx, inquiryId: number, messageId: number): Message | null {
  const message = tx.findMessage(messageId);
  if (!message || message.inquiryId !== inquiryId || !message.replyState) return null;
  return message;
}

type ReplyInput = { inquiryId: number; messageId: number; actor: Actor };

/**
 * A person's change to a reply's delivery (undo, retry), in one transaction: the reply must be in
 * `from` and `moveRow` must succeed on its outbox row (else `refusal`); then its new state, the
 * event, and the edit of every mirror's thread line.
 */
function changeReply(
  ctx: CoreContext,
  input: ReplyInput,
  change: {
    from: Message['replyState'];
    moveRow: (tx: StoreTx, messageId: number, nowMs: number) => boolean;
    refusal: 'TOO_LATE_TO_UNDO' | 'NOT_FAILED';
    patch: (nowMs: number) => MessagePatch;
    event: 'reply_undone' | 'reply_retried';
  },
): Outcome<{ message: Message }> {
  const outcome = ctx.store.transaction((tx): Outcome<{ message: Message }> => {
    const reply = replyOf(tx, input.inquiryId, input.messageId);
    if (!reply) return fail('NOT_FOUND', { inquiryId: input.inquiryId });
    const nowMs = ctx.now();
    if (reply.replyState !== change.from || !change.moveRow(tx, reply.id, nowMs)) {
      return fail(change.refusal, { inquiryId: input.inquiryId });
    }
    const message = tx.updateMessage(reply.id, change.patch(nowMs));
    tx.appendEvent(input.inquiryId, change.event, input.actor, { messageId: reply.id }, nowMs);
    queueThreadUpdate(ctx, tx, input.inquiryId, reply.id, nowMs);
    return { ok: true, message };
  });
  if (outcome.ok) ctx.onEnqueued();
  return outcome;
}

/** Stops a reply inside its undo window. Too late once the worker has taken it (it may be on the wire). */
export function undoReply(ctx: CoreContext, input: ReplyInput): Outcome<{ message: Message }> {
  return changeReply(ctx, input, {
    from: 'queued',
    moveRow: (tx, id, nowMs) => tx.cancelPendingReply(id, nowMs),
    refusal: 'TOO_LATE_TO_UNDO',
    patch: () => ({ replyState: 'undone' }),
    event: 'reply_undone',
  });
}

/** Sends a failed reply again (its own delivery, so an attempt that landed after all is found, not repeated). */
export function retryReply(ctx: CoreContext, input: ReplyInput): Outcome<{ message: Message }> {
  return changeReply(ctx, input, {
    from: 'failed',
    moveRow: (tx, id, nowMs) => tx.requeueFailedReply(id, nowMs),
    refusal: 'NOT_FAILED',
    patch: (nowMs) => ({ replyState: 'queued', replyError: null, sentAt: nowMs }),
    event: 'reply_retried',
  });
}

/**
 * The outbox delivered the reply (`ref`: the channel's id for it). Idempotent: a worker that crashed
 * after sending finds the reply again and calls this a second time. The first reply that reached the
 * customer sets first-response time, not the moment it was queued.
 */
export function markReplySent(ctx: CoreContext, input: { messageId: number; ref: string | null; at: number }): void {
  const changed = ctx.store.transaction((tx) => {
    const reply = tx.findMessage(input.messageId);
    if (!reply?.replyState || reply.replyState === 'sent') return false;
    const nowMs = ctx.now();
    // The channel's id makes the reply's own echo (Slack and Discord send koe its own messages) a redelivery.
    const taken = input.ref !== null && tx.findMessageByExternalId(reply.inquiryId, input.ref) !== undefined;
    tx.updateMessage(reply.id, {
      replyState: 'sent',
      replyError: null,
      sentAt: input.at,
      ...(input.ref !== null && !taken && !reply.externalId && { externalId: input.ref }),
    });
    const inquiry = tx.findInquiry(reply.inquiryId);
    if (inquiry && (inquiry.firstResponseAt === null || inquiry.firstResponseAt > input.at)) {
      const answered = tx.updateInquiry(inquiry.id, { firstResponseAt: input.at }, nowMs);
      // The mirrors' due line moves on from the first response to the resolution.
      if (ctx.sla && inquiry.firstResponseAt === null) queueMirrorChanges(ctx, tx, answered, nowMs);
    }
    tx.appendEvent(reply.inquiryId, 'reply_sent', authorOf(reply), { messageId: reply.id }, nowMs);
    queueThreadUpdate(ctx, tx, reply.inquiryId, reply.id, nowMs);
    return true;
  });
  if (changed) ctx.onEnqueued();
}

/**
 * The outbox gave up on the reply (a permanent refusal, or its last attempt). Every mirror's thread
 * shows the failure with a Retry, and its author is told privately: a failed reply is never silent.
 */
export function markReplyFailed(ctx: CoreContext, input: { messageId: number; error: string }): void {
  const changed = ctx.store.transaction((tx) => {
    const reply = tx.findMessage(input.messageId);
    if (!reply?.replyState || reply.replyState === 'sent' || reply.replyState === 'undone') return false;
    const nowMs = ctx.now();
    tx.updateMessage(reply.id, { replyState: 'failed', replyError: input.error.slice(0, MAX_ERROR_LENGTH) });
    tx.appendEvent(reply.inquiryId, 'reply_failed', null, { messageId: reply.id, error: input.error }, nowMs);
    queueThreadUpdate(ctx, tx, reply.inquiryId, reply.id, nowMs);
    queueAuthorNotice(ctx, tx, reply, nowMs);
    return true;
  });
  if (changed) ctx.onEnqueued();
}

function authorOf(message: Message): Actor | null {
  return message.authorId ? { id: message.authorId, name: message.authorName } : null;
}

/** A private notice to the reply's author on the chat platform they sent it from (`slack:U…`, `discord:…`). */
function queueAuthorNotice(ctx: CoreContext, tx: StoreTx, reply: Message, nowMs: number): void {
  const match = /^(slack|discord):(.+)$/.exec(reply.authorId ?? '');
  if (!match) return;
  const [, platform, user] = match as unknown as [string, 'slack' | 'discord', string];
  // Only a platform koe runs (a route on it) can deliver the notice.
  if (!ctx.routes.some((r) => r.platform === platform)) return;
  tx.enqueue(
    [
      {
        kind: 'notice',
        inquiryId: reply.inquiryId,
        messageId: reply.id,
        destination: `notice:${platform}:${user}`,
        platform,
        channel: user,
      },
    ],
    nowMs,
  );
}
