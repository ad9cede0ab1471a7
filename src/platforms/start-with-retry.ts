import type { Logger } from '../lib/logger.ts';
import { explainStartFailure, PlatformRefusedError } from './start-errors.ts';
import type { PlatformRuntime } from './types.ts';

/** Waits between tries to reach a platform that was unreachable at start: 2 s doubling to a minute. */
export const START_RETRY_DELAYS_MS = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

const NAMES: Record<string, string> = { slack: 'Slack', discord: 'Discord', email: 'The mail server (email.imap)' };

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Starts a platform. A refusal (a wrong token) throws PlatformRefusedError with the sentence that
 * says which setting to fix. An unreachable platform does not stop koe: the API keeps taking
 * inquiries (the outbox holds what is to be posted) while this keeps trying in the background, with
 * backoff, saying so each time. Anything else is thrown as it was, as before.
 */
export async function startPlatform(
  platform: string,
  runtime: Pick<PlatformRuntime, 'start'>,
  options: { log: Logger; delaysMs?: readonly number[] },
): Promise<{ stop(): void }> {
  const { log } = options;
  const delays = options.delaysMs ?? START_RETRY_DELAYS_MS;
  const name = NAMES[platform] ?? platform;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let tries = 0;

  const attempt = async (): Promise<void> => {
    try {
      await runtime.start();
      if (tries > 0) log.info({ platform, tries: tries + 1 }, `${name} is reachable again; koe is connected`);
    } catch (error) {
      const failure = explainStartFailure(platform, error);
      const debug = log.isLevelEnabled('debug') ? { err: error } : {};
      if (failure.kind === 'refused') throw new PlatformRefusedError(failure.sentence);
      if (failure.kind === 'unknown') throw error;
      if (stopped) return;
      const delay = delays[Math.min(tries, delays.length - 1)]!;
      tries++;
      log.warn(
        { platform, ...debug },
        `${name} is unreachable (${failure.reason}); koe keeps taking inquiries and tries again in ${seconds(delay)}`,
      );
      timer = setTimeout(() => void later(), delay);
    }
  };
  // A later try's refusal cannot stop a running koe; it is logged with its fix, and trying ends.
  const later = async () => {
    try {
      await attempt();
    } catch (error) {
      if (error instanceof PlatformRefusedError) log.error({ platform }, error.message);
      else log.error({ platform, err: error }, `${name}: could not start; koe stops trying`);
    }
  };

  await attempt();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
