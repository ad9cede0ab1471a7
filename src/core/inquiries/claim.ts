import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { holder, transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/** Takes an open inquiry for `actor`. Of simultaneous claims exactly one wins; the rest learn who has it. */
export function claim(ctx: CoreContext, input: { inquiryId: number; actor: Actor }): Outcome<{ inquiry: Inquiry }> {
  return transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    if (inquiry.status === 'resolved') return fail('ALREADY_RESOLVED', { inquiryId: inquiry.id });
    if (inquiry.status === 'claimed') {
      return inquiry.assigneeId === input.actor.id
        ? fail('ALREADY_YOURS', { inquiryId: inquiry.id })
        : fail('ALREADY_CLAIMED', { inquiryId: inquiry.id, by: holder(inquiry) });
    }
    const updated = tx.updateInquiry(
      inquiry.id,
      { status: 'claimed', assigneeId: input.actor.id, assigneeName: input.actor.name ?? null },
      nowMs,
    );
    tx.appendEvent(inquiry.id, 'claimed', input.actor, null, nowMs);
    return { ok: true, inquiry: updated };
  });
}
