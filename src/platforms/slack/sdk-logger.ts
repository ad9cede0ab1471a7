import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../lib/logger.ts';

/**
 * The Slack SDKs' logger interface over koe's pino logger. The SDKs are chatty at info, so their
 * levels shift down one step (info → debug, debug → trace); warnings and errors stay as they are.
 */
export function slackSdkLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'slack-sdk' });
  const text = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const errorOf = (msg: unknown[]) => msg.find((m): m is Error => m instanceof Error);
  let level = LogLevel.WARN;
  return {
    debug: (...msg) => child.trace(text(msg)),
    info: (...msg) => child.debug(text(msg)),
    warn: (...msg) => child.warn({ err: errorOf(msg) }, text(msg)),
    error: (...msg) => child.error({ err: errorOf(msg) }, text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
