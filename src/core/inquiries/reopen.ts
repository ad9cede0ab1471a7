import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/** Reopens a resolved inquiry; it goes back to whoever held it, or to the pool. */
export function reopen(ctx: CoreContext, input: { inquiryId: number; actor: Actor }): Outcome<{ inquiry: Inquiry }> {
  return transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    if (inquiry.status !== 'resolved') return fail('NOT_RESOLVED', { inquiryId: inquiry.id });
    const updated = tx.updateInquiry(
      inquiry.id,
      { status: inquiry.assigneeId ? 'claimed' : 'open', resolvedAt: null },
      nowMs,
    );
    tx.appendEvent(inquiry.id, 'reopened', input.actor, null, nowMs);
    return { ok: true, inquiry: updated };
  });
}
