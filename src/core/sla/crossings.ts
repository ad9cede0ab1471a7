/**
 * Which warnings an inquiry's clocks owe at an instant. Time passing changes nothing in the
 * database, so the sweep asks this, for every unresolved inquiry, which thresholds a running target
 * has crossed; the recorder then records each crossing once (a unique event key) and queues its
 * deliveries. Nothing here remembers anything: a restart asks again and gets the same answer.
 */
import { type SlaClockInput, inquirySla, warnInstant } from './inquiry-sla.ts';
import type { SlaPolicy } from './policy.ts';

export type SlaTarget = 'first_response' | 'resolution';
export type SlaLevel = 'due_soon' | 'breached';

export interface SlaCrossing {
  inquiryId: number;
  target: SlaTarget;
  level: SlaLevel;
  dueAt: number;
  /**
   * A "due soon" passed over by a breach seen in the same sweep (koe was down through the warning
   * window, or the target shrank): it is recorded, so it never comes later, but says nothing.
   */
  silent: boolean;
}

/** The unique key of a crossing's event: one per inquiry, target and level, ever. */
export function crossingKey(c: Pick<SlaCrossing, 'inquiryId' | 'target' | 'level'>): string {
  return `sla:${c.inquiryId}:${c.target}:${c.level}`;
}

/**
 * The crossings of the inquiry's running targets at `nowMs`, lowest level first. A stopped clock
 * (first response given, or resolved) owes nothing: its outcome is history, not a warning.
 */
export function crossingsAt(policy: SlaPolicy, inquiry: SlaClockInput & { id: number }, nowMs: number): SlaCrossing[] {
  const sla = inquirySla(policy, inquiry, nowMs);
  const running: Array<[SlaTarget, number, boolean]> = [
    ['first_response', sla.firstResponseDueAt, inquiry.firstResponseAt === null && inquiry.resolvedAt === null],
    ['resolution', sla.resolutionDueAt, inquiry.resolvedAt === null],
  ];
  const out: SlaCrossing[] = [];
  for (const [target, dueAt, isRunning] of running) {
    if (!isRunning || nowMs < warnInstant(policy, inquiry.receivedAt, dueAt)) continue;
    const breached = nowMs > dueAt;
    out.push({ inquiryId: inquiry.id, target, level: 'due_soon', dueAt, silent: breached });
    if (breached) out.push({ inquiryId: inquiry.id, target, level: 'breached', dueAt, silent: false });
  }
  return out;
}
