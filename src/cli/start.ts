import { startChecks } from '../checks/local.ts';
import { type Config, loadConfig } from '../config/load-config.ts';
import { problemSentence } from '../lib/check.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { createKoe, type Koe } from '../wire.ts';
import { type CommandSpec, parseOptions, wholeNumberOption } from './args.ts';
import type { Command } from './index.ts';
import { startErrorSentence } from './start-errors.ts';

const spec: CommandSpec = {
  path: 'start',
  summary: 'run koe: intake API, platforms, delivery worker, digests',
  args: '[--port N]',
  options: { port: { type: 'string', value: 'N', description: 'the HTTP port (default: PORT, else 3000)' } },
  examples: ['npx koe start --port 4000'],
};

/** The config, with `--port` over PORT. */
function configFor(args: string[]): Config {
  const { values } = parseOptions(spec, args);
  const port = values.port as string | undefined;
  const config = loadConfig();
  return port === undefined ? config : { ...config, port: wholeNumberOption(spec.path, 'port', port, 0, 65535) };
}

/** Starts koe; an error a person can fix is logged as its sentence (its stack at debug only) and gives 1. */
async function startKoe(config: Config, log: Logger): Promise<Koe | number> {
  let koe: Koe | undefined;
  try {
    koe = await createKoe(config, { log });
    await koe.start();
    return koe;
  } catch (error) {
    const sentence = startErrorSentence(error, config);
    if (sentence === null) throw error;
    log.error(log.isLevelEnabled('debug') ? { err: error } : {}, sentence);
    await koe?.stop().catch(() => {});
    return 1;
  }
}

/**
 * Once koe runs: each configured Slack or Discord channel koe cannot post in, as a warning naming the
 * channel and the fix (its deliveries wait meanwhile instead of failing). Off the start's path: the
 * API already takes inquiries while this asks the platforms.
 */
async function reportChannels(config: Config, log: Logger): Promise<void> {
  const checks = await Promise.all([
    config.slack.botToken ? (await import('../platforms/slack/preflight.ts')).slackChannelChecks(config) : [],
    config.discord.token ? (await import('../platforms/discord/preflight.ts')).discordChannelChecks(config) : [],
  ]);
  for (const problem of checks.flat().filter((c) => !c.ok)) {
    log.warn(
      { check: problem.label },
      `${problemSentence(problem)} (its deliveries wait until then; npx koe doctor checks it)`,
    );
  }
}

/** Resolves once SIGINT or SIGTERM stopped koe. */
function untilStopped(koe: Koe, log: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'koe is stopping');
      koe.stop().then(resolve, (error) => {
        log.error({ err: error }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

export const command: Command = {
  spec,
  async run(args) {
    const config = configFor(args);
    const log = createLogger(config.logLevel, undefined, { format: config.logFormat, timezone: config.timezone });
    if (!config.configFileFound) {
      log.info(
        { path: config.configPath },
        'no config file: mirroring to the console (copy koe.config.example.yaml to start)',
      );
    }
    for (const notice of config.notices) log.info(notice);
    // The cheap checks first: each problem is one line with its fix, instead of a stack from deep inside.
    const problems = (await startChecks(config)).filter((c) => !c.ok);
    for (const problem of problems) log.error({ check: problem.label }, problemSentence(problem));
    if (problems.length > 0) return 1;
    // A promise rejection nobody handled must not end koe. discord.js, for one, rejects inside its
    // gateway handler on a removed reaction whose emoji name is not valid percent-encoding (it calls
    // decodeURIComponent on it), and Node's default for that is to exit. Everything koe must not
    // lose is in SQLite already and each payload is handled on its own, so log it and keep serving.
    // (Uncaught exceptions keep Node's default: after one, the process state is not trustworthy.)
    process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection; koe keeps running'));
    const koe = await startKoe(config, log);
    if (typeof koe === 'number') return koe;
    void reportChannels(config, log).catch((error) => log.debug({ err: error }, 'could not check the channels'));
    await untilStopped(koe, log);
    log.info('koe stopped');
    return 0;
  },
};
