import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { queueThreadMessage } from './fan-out.ts';
import { transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/** Marks an inquiry resolved, optionally with an internal note that goes to the mirrors' threads. */
export function resolve(
  ctx: CoreContext,
  input: { inquiryId: number; actor: Actor; note?: string },
): Outcome<{ inquiry: Inquiry }> {
  return transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    if (inquiry.status === 'resolved') return fail('ALREADY_RESOLVED', { inquiryId: inquiry.id });
    const updated = tx.updateInquiry(inquiry.id, { status: 'resolved', resolvedAt: nowMs }, nowMs);
    tx.appendEvent(inquiry.id, 'resolved', input.actor, input.note ? { note: input.note } : null, nowMs);
    const note = input.note?.trim();
    if (note) {
      const message = tx.insertMessage({
        inquiryId: inquiry.id,
        direction: 'note',
        body: note,
        authorId: input.actor.id,
        authorName: input.actor.name ?? null,
        externalId: null,
        createdAt: nowMs,
      });
      queueThreadMessage(ctx, tx, inquiry.id, message.id, nowMs);
    }
    return { ok: true, inquiry: updated };
  });
}
