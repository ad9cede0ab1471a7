/**
 * The one due time a mirror, `/koe show` and `/koe open` show: the first response while it is owed,
 * then the resolution. A stopped clock (resolved) shows none; its outcome is the digest's business.
 */
import type { SlaTarget } from './crossings.ts';
import { type SlaClockInput, inquirySlaState, type TargetState } from './inquiry-sla.ts';
import type { SlaPolicy } from './policy.ts';

export type RunningState = Extract<TargetState, 'on_track' | 'due_soon' | 'breached'>;

export interface ShownDue {
  target: SlaTarget;
  dueAt: number;
  state: RunningState;
}

const running = (s: TargetState): s is RunningState => s === 'on_track' || s === 'due_soon' || s === 'breached';

export function shownDue(policy: SlaPolicy, inquiry: SlaClockInput, nowMs: number): ShownDue | null {
  const s = inquirySlaState(policy, inquiry, nowMs);
  if (running(s.firstResponse))
    return { target: 'first_response', dueAt: s.firstResponseDueAt, state: s.firstResponse };
  if (running(s.resolution)) return { target: 'resolution', dueAt: s.resolutionDueAt, state: s.resolution };
  return null;
}
