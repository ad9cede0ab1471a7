import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/** Hands an unresolved inquiry to `assignee`, whoever holds it now. */
export function assign(
  ctx: CoreContext,
  input: { inquiryId: number; actor: Actor; assignee: Actor },
): Outcome<{ inquiry: Inquiry }> {
  return transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    if (inquiry.status === 'resolved') return fail('ALREADY_RESOLVED', { inquiryId: inquiry.id });
    if (inquiry.status === 'claimed' && inquiry.assigneeId === input.assignee.id) {
      return fail('ALREADY_YOURS', { inquiryId: inquiry.id });
    }
    const updated = tx.updateInquiry(
      inquiry.id,
      { status: 'claimed', assigneeId: input.assignee.id, assigneeName: input.assignee.name ?? null },
      nowMs,
    );
    tx.appendEvent(
      inquiry.id,
      'assigned',
      input.actor,
      { assigneeId: input.assignee.id, assigneeName: input.assignee.name ?? null, previous: inquiry.assigneeId },
      nowMs,
    );
    return { ok: true, inquiry: updated };
  });
}
