import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import { findReason, type ReasonSource } from '../reasons/taxonomy.ts';
import { transition } from './transition.ts';
import type { Actor, Inquiry } from './types.ts';

/**
 * Sets the contact reason. A human's choice always wins: rules and the classifier never overwrite
 * a reason a human or the customer (intake) set. Routing follows the new reason.
 */
export function setReason(
  ctx: CoreContext,
  input: { inquiryId: number; actor: Actor; reasonId: string; source: ReasonSource; confidence?: number | null },
): Outcome<{ inquiry: Inquiry; changed: boolean }> {
  if (!findReason(ctx.reasons, input.reasonId)) {
    return fail('UNKNOWN_REASON', {
      inquiryId: input.inquiryId,
      reason: input.reasonId,
      validReasons: ctx.reasons.map((r) => r.id),
    });
  }
  let changed = false;
  const outcome = transition(ctx, input.inquiryId, (tx, inquiry, nowMs) => {
    const machine = input.source === 'rule' || input.source === 'classifier';
    const heldByPerson = inquiry.reasonSource === 'human' || inquiry.reasonSource === 'intake';
    if ((machine && heldByPerson) || (inquiry.reasonId === input.reasonId && inquiry.reasonSource === input.source)) {
      return { ok: true, inquiry };
    }
    changed = true;
    const updated = tx.updateInquiry(
      inquiry.id,
      { reasonId: input.reasonId, reasonSource: input.source, reasonConfidence: input.confidence ?? null },
      nowMs,
    );
    tx.appendEvent(
      inquiry.id,
      'reason_set',
      input.actor,
      { reasonId: input.reasonId, previous: inquiry.reasonId, source: input.source },
      nowMs,
    );
    return { ok: true, inquiry: updated };
  });
  if (outcome.ok && changed && input.source === 'human') ctx.onLabeled?.(input.inquiryId);
  return outcome.ok ? { ...outcome, changed } : outcome;
}
