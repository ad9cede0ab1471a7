/**
 * First response and resolution over the inquiries received in a period, measured against what was
 * promised: each inquiry's due times on the business clock (its reason's targets), the time taken
 * on the wall clock and in business time side by side, and the breaches with who holds them.
 */
import { reasonLabel, type Locale, type Reason } from '../reasons/taxonomy.ts';
import { formatBusinessDuration } from '../sla/duration.ts';
import { inquirySla } from '../sla/inquiry-sla.ts';
import type { SlaPolicy } from '../sla/policy.ts';
import type { ReceivedRow } from './digest-source.ts';
import type { ReasonSla, Resolution, SlaBreach, SlaSummary, TargetKpi } from './types.ts';

const MINUTE_MS = 60_000;
export const WORST_BREACHES = 5;

const round1 = (n: number) => Math.round(n * 10) / 10;
const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

/** The value at nearest rank ⌈p·n⌉ of an ascending list (so an even count's median is the lower middle). */
export function nearestRank(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sortedAscending.length));
  return sortedAscending[rank - 1]!;
}

/** Collects one target's times; `finish` turns them into the KPI. */
class TargetTally {
  private readonly wall: number[] = [];
  private readonly business: number[] = [];
  done = 0;
  waiting = 0;
  /** Waiting and not yet past due: neither met nor missed, so out of the share until it is. */
  pending = 0;
  withinTarget = 0;

  add(wallMs: number, businessMs: number, within: boolean): void {
    this.done += 1;
    this.wall.push(Math.max(0, wallMs) / MINUTE_MS);
    this.business.push(businessMs / MINUTE_MS);
    if (within) this.withinTarget += 1;
  }

  finish(target: string, received: number): TargetKpi {
    const at = (list: number[], p: number) => {
      const v = nearestRank(
        list.sort((a, b) => a - b),
        p,
      );
      return v === null ? null : round1(v);
    };
    return {
      target,
      done: this.done,
      waiting: this.waiting,
      medianMinutes: at(this.wall, 0.5),
      p90Minutes: at(this.wall, 0.9),
      businessMedianMinutes: at(this.business, 0.5),
      businessP90Minutes: at(this.business, 0.9),
      withinTarget: this.withinTarget,
      withinTargetRate: ratio(this.withinTarget, received - this.pending),
    };
  }
}

export interface ResponseKpis {
  firstResponse: TargetKpi;
  resolution: Resolution;
  resolutionTime: TargetKpi;
  sla: SlaSummary;
  /** Per reason; the caller keeps it for weekly digests only. */
  reasonSla: ReasonSla[];
}

/**
 * A first response is the first reply that reached the customer; an inquiry resolved without one
 * (answered elsewhere) is not waiting: its clock stops at the resolution, outside the reply-time
 * percentiles. A target still running breaches once `nowMs` is past its due time.
 */
export function responseKpis(
  received: readonly ReceivedRow[],
  policy: SlaPolicy,
  labels: { reasons: readonly Reason[]; locale: Locale },
  nowMs: number,
): ResponseKpis {
  const first = new TargetTally();
  const resolution = new TargetTally();
  const breaches: SlaBreach[] = [];
  const byReason = new Map<string | null, ReasonTally>();
  let breached = 0;
  for (const row of received) {
    const sla = inquirySla(policy, row, nowMs);
    const answeredAt = row.firstResponseAt ?? row.resolvedAt;
    if (row.firstResponseAt !== null) {
      const ms = policy.clock.between(row.receivedAt, row.firstResponseAt);
      first.add(row.firstResponseAt - row.receivedAt, ms, !sla.firstResponseBreached);
    } else if (answeredAt !== null) {
      if (!sla.firstResponseBreached) first.withinTarget += 1;
    } else {
      first.waiting += 1;
      if (!sla.firstResponseBreached) first.pending += 1;
    }
    if (row.resolvedAt !== null) {
      const ms = policy.clock.between(row.receivedAt, row.resolvedAt);
      resolution.add(row.resolvedAt - row.receivedAt, ms, !sla.resolutionBreached);
    } else {
      resolution.waiting += 1;
      if (!sla.resolutionBreached) resolution.pending += 1;
    }
    if (sla.firstResponseBreached)
      breaches.push(breachOf(policy, row, 'first_response', sla.firstResponseDueAt, answeredAt, nowMs));
    if (sla.resolutionBreached)
      breaches.push(breachOf(policy, row, 'resolution', sla.resolutionDueAt, row.resolvedAt, nowMs));
    if (sla.firstResponseBreached || sla.resolutionBreached) breached += 1;
    const tally = byReason.get(row.reasonId) ?? { received: 0, first: 0, resolved: 0, firstOpen: 0, resolvedOpen: 0 };
    tally.received += 1;
    if (answeredAt !== null && !sla.firstResponseBreached) tally.first += 1;
    if (answeredAt === null && !sla.firstResponseBreached) tally.firstOpen += 1;
    if (row.resolvedAt !== null && !sla.resolutionBreached) tally.resolved += 1;
    if (row.resolvedAt === null && !sla.resolutionBreached) tally.resolvedOpen += 1;
    byReason.set(row.reasonId, tally);
  }
  breaches.sort((a, b) => b.overMinutes - a.overMinutes || a.inquiryId - b.inquiryId || a.kind.localeCompare(b.kind));
  const count = (kind: SlaBreach['kind'], done: boolean) =>
    breaches.filter((b) => b.kind === kind && b.done === done).length;
  const { settings } = policy;
  const resolved = resolution.done;
  return {
    firstResponse: first.finish(formatBusinessDuration(settings.firstResponse), received.length),
    resolution: { received: received.length, resolved, rate: ratio(resolved, received.length) },
    resolutionTime: resolution.finish(formatBusinessDuration(settings.resolution), received.length),
    sla: {
      breaches: breached,
      late: count('first_response', true),
      unanswered: count('first_response', false),
      resolvedLate: count('resolution', true),
      unresolved: count('resolution', false),
      worst: breaches.slice(0, WORST_BREACHES),
    },
    reasonSla: reasonSlaOf(byReason, labels),
  };
}

function breachOf(
  policy: SlaPolicy,
  row: ReceivedRow,
  kind: SlaBreach['kind'],
  dueAt: number,
  stoppedAt: number | null,
  nowMs: number,
): SlaBreach {
  return {
    inquiryId: row.id,
    reasonId: row.reasonId,
    receivedAt: row.receivedAt,
    kind,
    dueAt,
    overMinutes: Math.round(policy.clock.between(dueAt, stoppedAt ?? nowMs) / MINUTE_MS),
    done: stoppedAt !== null,
    owner: row.assigneeId === null ? null : { id: row.assigneeId, name: row.assigneeName },
  };
}

/** One reason's inquiries: met each target, and still inside it (neither met nor missed yet). */
interface ReasonTally {
  received: number;
  first: number;
  resolved: number;
  firstOpen: number;
  resolvedOpen: number;
}

function reasonSlaOf(
  byReason: ReadonlyMap<string | null, ReasonTally>,
  labels: { reasons: readonly Reason[]; locale: Locale },
): ReasonSla[] {
  return [...byReason]
    .map(([id, t]) => ({
      id,
      label: reasonLabel(labels.reasons, id, labels.locale),
      received: t.received,
      firstResponseRate: ratio(t.first, t.received - t.firstOpen),
      resolutionRate: ratio(t.resolved, t.received - t.resolvedOpen),
    }))
    .sort((a, b) => b.received - a.received || (a.id ?? '\uffff').localeCompare(b.id ?? '\uffff'));
}
