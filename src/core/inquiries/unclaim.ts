import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/** Gives a claimed inquiry back to the pool. Anyone may do it (phase-1 teams share everything); the event says who. */
export function unclaim(ctx: CoreContext, input: { inquiryId: number; actor: Actor }): Outcome<{ inquiry: Inquiry }> {
  return transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    if (inquiry.status !== 'claimed') return fail('NOT_CLAIMED', { inquiryId: inquiry.id });
    const updated = tx.updateInquiry(inquiry.id, { status: 'open', assigneeId: null, assigneeName: null }, nowMs);
    tx.appendEvent(inquiry.id, 'unclaimed', input.actor, { previous: inquiry.assigneeId }, nowMs);
    return { ok: true, inquiry: updated };
  });
}
