import type { CoreContext } from '../core/context.ts';
import { sweepSla } from '../core/inquiries/sla-sweep.ts';
import type { ReadModel } from '../core/ports/read-model.ts';
import type { Locale } from '../core/reasons/taxonomy.ts';
import type { Logger } from '../lib/logger.ts';
import { slaWarningWords } from '../platforms/sla-warning-words.ts';

export interface SlaSweeperOptions {
  ctx: CoreContext;
  read: Pick<ReadModel, 'unresolvedClocks' | 'unresolvedEventKeys'>;
  locale: Locale;
  timezone: string;
  log: Logger;
  /** Between sweeps; a warning is at most this late. Default one minute. */
  everyMs?: number;
}

export interface SlaSweeper {
  /** Sweeps at once (what came due while koe was down), then every `everyMs`. */
  start(): void;
  stop(): void;
  /** One sweep now; how many crossings it recorded. */
  sweep(): number;
}

/**
 * Runs the SLA sweep on a timer. The timer only says when to look: what to warn about is read from
 * the clocks and the events table each time, so a restart, a missed tick or two koe processes on
 * one database give each warning once.
 */
export function createSlaSweeper(options: SlaSweeperOptions): SlaSweeper {
  const { ctx, read, log } = options;
  const words = slaWarningWords(options.locale, options.timezone);
  let timer: ReturnType<typeof setInterval> | undefined;
  function sweep(): number {
    try {
      const recorded = sweepSla(ctx, read, words);
      if (recorded > 0) log.info({ recorded }, 'sla: warnings recorded and queued');
      return recorded;
    } catch (error) {
      // A failed sweep (the database busy past its timeout) is retried by the next tick.
      log.error({ err: error }, 'sla: sweep failed');
      return 0;
    }
  }
  return {
    start() {
      if (!ctx.sla || timer) return;
      sweep();
      timer = setInterval(sweep, options.everyMs ?? 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    sweep,
  };
}
