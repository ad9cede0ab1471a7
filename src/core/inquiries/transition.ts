import type { CoreContext } from '../context.ts';
import { fail, type Outcome } from '../errors.ts';
import type { StoreTx } from '../store.ts';
import { queueMirrorChanges } from './fan-out.ts';
import type { Inquiry } from './types.ts';

/**
 * The frame every state-changing verb shares: one IMMEDIATE transaction that loads the inquiry,
 * lets `change` check its state and write (returning the patched inquiry, or a refusal), then
 * queues the mirror updates when something changed. The worker is woken only after the commit.
 */
export function transition(
  ctx: CoreContext,
  inquiryId: number,
  change: (tx: StoreTx, inquiry: Inquiry, nowMs: number) => Outcome<{ inquiry: Inquiry }>,
): Outcome<{ inquiry: Inquiry }> {
  const outcome = ctx.store.transaction((tx) => {
    const current = tx.findInquiry(inquiryId);
    if (!current) return fail('NOT_FOUND', { inquiryId });
    const nowMs = ctx.now();
    const result = change(tx, current, nowMs);
    // A verb that changed nothing hands back the inquiry it was given: nothing to show in chat.
    if (result.ok && result.inquiry !== current) queueMirrorChanges(ctx, tx, result.inquiry, nowMs);
    return result;
  });
  if (outcome.ok) ctx.onEnqueued();
  return outcome;
}

/** The claimant as the refusal reports it. */
export function holder(inquiry: Inquiry): { id: string; name: string | null } {
  return { id: inquiry.assigneeId ?? 'unknown', name: inquiry.assigneeName };
}
