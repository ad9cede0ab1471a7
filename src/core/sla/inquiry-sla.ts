/**
 * An inquiry's due times and where it stands against them. The first-response clock stops at the
 * first reply that reached the customer (`firstResponseAt`), or at a resolution without one (it was
 * answered elsewhere); the resolution clock stops at the resolution.
 */
import type { SlaPolicy } from './policy.ts';

export interface SlaClockInput {
  receivedAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  reasonId: string | null;
}

export interface InquirySla {
  firstResponseDueAt: number;
  resolutionDueAt: number;
  /** The clock stopped after the due time, or is still running past it at `nowMs`. */
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
}

/** Where one target stands: met or missed once its clock stopped; otherwise on track, due soon or breached. */
export type TargetState = 'met' | 'missed' | 'on_track' | 'due_soon' | 'breached';

export interface InquirySlaState extends InquirySla {
  firstResponse: TargetState;
  resolution: TargetState;
}

/** The due times, and whether each was (or is by `nowMs`) breached. */
export function inquirySla(policy: SlaPolicy, inquiry: SlaClockInput, nowMs: number): InquirySla {
  const targets = policy.targetsFor(inquiry.reasonId);
  const firstResponseDueAt = policy.clock.add(inquiry.receivedAt, targets.firstResponse);
  const resolutionDueAt = policy.clock.add(inquiry.receivedAt, targets.resolution);
  const answeredAt = inquiry.firstResponseAt ?? inquiry.resolvedAt;
  return {
    firstResponseDueAt,
    resolutionDueAt,
    firstResponseBreached: (answeredAt ?? nowMs) > firstResponseDueAt,
    resolutionBreached: (inquiry.resolvedAt ?? nowMs) > resolutionDueAt,
  };
}

/**
 * The instant a running target turns "due soon": `warnAt` of the business time between receipt and
 * the due time (so a `2d` target warns at the same share of its two business days as `16h` would).
 */
export function warnInstant(policy: SlaPolicy, receivedAt: number, dueAt: number): number {
  const span = policy.clock.between(receivedAt, dueAt);
  return policy.clock.addMinutes(receivedAt, (span * policy.settings.warnAt) / 60_000);
}

function stateOf(policy: SlaPolicy, receivedAt: number, dueAt: number, stoppedAt: number | null, nowMs: number) {
  if (stoppedAt !== null) return stoppedAt > dueAt ? 'missed' : 'met';
  if (nowMs > dueAt) return 'breached';
  return nowMs >= warnInstant(policy, receivedAt, dueAt) ? 'due_soon' : 'on_track';
}

/** The due times with each target's state at `nowMs`. */
export function inquirySlaState(policy: SlaPolicy, inquiry: SlaClockInput, nowMs: number): InquirySlaState {
  const sla = inquirySla(policy, inquiry, nowMs);
  const answeredAt = inquiry.firstResponseAt ?? inquiry.resolvedAt;
  return {
    ...sla,
    firstResponse: stateOf(policy, inquiry.receivedAt, sla.firstResponseDueAt, answeredAt, nowMs),
    resolution: stateOf(policy, inquiry.receivedAt, sla.resolutionDueAt, inquiry.resolvedAt, nowMs),
  };
}

/** `?sla=` of the list: breached (either target missed or running late), or due soon (warned, not yet late). */
export type SlaFilter = 'breached' | 'due_soon';

export function matchesSlaFilter(state: InquirySlaState, filter: SlaFilter): boolean {
  const states = [state.firstResponse, state.resolution];
  if (filter === 'breached') return states.some((s) => s === 'breached' || s === 'missed');
  return states.includes('due_soon') && !states.some((s) => s === 'breached' || s === 'missed');
}
