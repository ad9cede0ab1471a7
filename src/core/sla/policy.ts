/**
 * The team's promises: the business calendar, the first-response and resolution targets (with
 * per-reason overrides), and when to warn. Plain data, as the config gives it; `createSlaPolicy`
 * adds the business clock, built once and kept, since it caches the calendar it lays out.
 */
import { type BusinessClock, createBusinessClock } from './business-clock.ts';
import type { BusinessCalendarSpec } from './calendar.ts';
import type { BusinessDuration } from './duration.ts';

export interface SlaTargets {
  firstResponse: BusinessDuration;
  resolution: BusinessDuration;
}

/** Where the one-line warnings go (the issue's `alertChannel`); the outbox delivers them. */
export interface SlaAlertChannel {
  platform: 'slack' | 'discord';
  channel: string;
}

export interface SlaSettings extends SlaTargets {
  calendar: BusinessCalendarSpec;
  /** Share of a target (0 … 1, exclusive) at which the owner is warned. */
  warnAt: number;
  alertChannel?: SlaAlertChannel;
  /** Per-reason targets; a reason not listed, or a target left out, takes the default. */
  byReason: Readonly<Record<string, Partial<SlaTargets>>>;
}

export interface SlaPolicy {
  readonly settings: SlaSettings;
  readonly clock: BusinessClock;
  /** The targets an inquiry with this reason is held to. */
  targetsFor(reasonId: string | null): SlaTargets;
}

export function createSlaPolicy(settings: SlaSettings): SlaPolicy {
  const clock = createBusinessClock(settings.calendar);
  return {
    settings,
    clock,
    targetsFor(reasonId) {
      const own = reasonId === null ? undefined : settings.byReason[reasonId];
      return {
        firstResponse: own?.firstResponse ?? settings.firstResponse,
        resolution: own?.resolution ?? settings.resolution,
      };
    },
  };
}
