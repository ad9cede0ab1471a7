import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { queueMirrorChanges, queueThreadMessage } from './fan-out.ts';
import type { Actor, Message, MessageDirection } from './types.ts';

/**
 * Adds a follow-up (inbound), a reply made elsewhere (outbound) or an internal note, and queues it
 * into the mirrors' threads. The first outbound message sets first-response time. A message with an
 * externalId already stored for the inquiry is a redelivery and adds nothing.
 */
export function addMessage(
  ctx: CoreContext,
  input: {
    inquiryId: number;
    direction: MessageDirection;
    body: string;
    author?: Actor;
    externalId?: string;
    at?: number;
    /** The mirror destination whose thread it was typed in: it is shown there already. */
    writtenIn?: string;
  },
): Outcome<{ message: Message; created: boolean }> {
  const outcome = ctx.store.transaction((tx): Outcome<{ message: Message; created: boolean }> => {
    const inquiry = tx.findInquiry(input.inquiryId);
    if (!inquiry) return fail('NOT_FOUND', { inquiryId: input.inquiryId });
    if (input.externalId) {
      const existing = tx.findMessageByExternalId(inquiry.id, input.externalId);
      if (existing) return { ok: true, message: existing, created: false };
    }
    const nowMs = ctx.now();
    const at = input.at ?? nowMs;
    const message = tx.insertMessage({
      inquiryId: inquiry.id,
      direction: input.direction,
      body: input.body,
      authorId: input.author?.id ?? null,
      authorName: input.author?.name ?? null,
      externalId: input.externalId ?? null,
      createdAt: at,
    });
    tx.appendEvent(
      inquiry.id,
      'message',
      input.author ?? null,
      { direction: input.direction, messageId: message.id },
      nowMs,
    );
    if (input.direction === 'outbound' && inquiry.firstResponseAt === null) {
      const answered = tx.updateInquiry(inquiry.id, { firstResponseAt: at }, nowMs);
      // The mirrors' due line moves on from the first response to the resolution.
      if (ctx.sla) queueMirrorChanges(ctx, tx, answered, nowMs);
    }
    queueThreadMessage(ctx, tx, inquiry.id, message.id, nowMs, input.writtenIn);
    return { ok: true, message, created: true };
  });
  if (outcome.ok && outcome.created) ctx.onEnqueued();
  return outcome;
}
