import type { CoreContext } from '../context.ts';
import type { ReadModel } from '../ports/read-model.ts';
import { crossingKey, crossingsAt } from '../sla/crossings.ts';
import { recordSlaCrossing, type SlaWarningWords } from './sla-warnings.ts';

/**
 * One pass over the unresolved inquiries: every threshold a running clock has crossed and no event
 * records yet is recorded, one transaction each (`recordSlaCrossing`). The look-up of recorded keys
 * only spares those transactions; the unique key inside each is what makes a warning once, so two
 * sweeps racing (or one racing a restart) still give it once. Returns how many were recorded now.
 */
export function sweepSla(
  ctx: CoreContext,
  read: Pick<ReadModel, 'unresolvedClocks' | 'unresolvedEventKeys'>,
  words: SlaWarningWords,
): number {
  const policy = ctx.sla;
  if (!policy) return 0;
  const recorded = new Set(read.unresolvedEventKeys());
  const nowMs = ctx.now();
  let count = 0;
  for (const clock of read.unresolvedClocks()) {
    for (const crossing of crossingsAt(policy, clock, nowMs)) {
      if (recorded.has(crossingKey(crossing))) continue;
      if (recordSlaCrossing(ctx, crossing, words)) count += 1;
    }
  }
  return count;
}
