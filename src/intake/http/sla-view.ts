/**
 * The SLA as the API shows it: an inquiry's due times and breaches in ISO 8601, and the inquiries an
 * `?sla=breached|due_soon` filter picks. Both come from the core's business clock (ctx.sla).
 */
import { inquirySla, inquirySlaState, matchesSlaFilter, type SlaFilter } from '../../core/sla/inquiry-sla.ts';
import type { SlaPolicy } from '../../core/sla/policy.ts';
import type { Inquiry } from '../../core/inquiries/types.ts';
import type { ReadModel } from '../../core/ports/read-model.ts';

export const SLA_FILTERS = ['breached', 'due_soon'] as const satisfies readonly SlaFilter[];

/** `sla: { firstResponseDueAt, resolutionDueAt, firstResponseBreached, resolutionBreached }` at `nowMs`. */
export function serializeSla(policy: SlaPolicy, inquiry: Inquiry, nowMs: number) {
  const sla = inquirySla(policy, inquiry, nowMs);
  return {
    firstResponseDueAt: new Date(sla.firstResponseDueAt).toISOString(),
    resolutionDueAt: new Date(sla.resolutionDueAt).toISOString(),
    firstResponseBreached: sla.firstResponseBreached,
    resolutionBreached: sla.resolutionBreached,
  };
}

/**
 * The unresolved inquiries an `?sla=` filter keeps: `breached`, either target missed or running past
 * due; `due_soon`, a running target past `warnAt` of it and nothing breached yet. Resolved inquiries
 * are history, so the filter looks only at the work still waiting.
 */
export function slaFilterIds(read: ReadModel, policy: SlaPolicy, filter: SlaFilter, nowMs: number): number[] {
  return read
    .unresolvedClocks()
    .filter((row) => matchesSlaFilter(inquirySlaState(policy, row, nowMs), filter))
    .map((row) => row.id);
}
