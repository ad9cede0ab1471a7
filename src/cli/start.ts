import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../lib/logger.ts';
import { createKoe } from '../wire.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'start',
  summary: 'run koe: intake API, platforms, delivery worker, digests',
  usage: 'start',
  async run() {
    const config = loadConfig();
    const log = createLogger(config.logLevel);
    if (!config.configFileFound) {
      log.info(
        { path: config.configPath },
        'no config file: mirroring to the console (copy koe.config.example.yaml to start)',
      );
    }
    for (const notice of config.notices) log.info(notice);
    // A promise rejection nobody handled must not end koe. discord.js, for one, rejects inside its
    // gateway handler on a removed reaction whose emoji name is not valid percent-encoding (it calls
    // decodeURIComponent on it), and Node's default for that is to exit. Everything koe must not
    // lose is in SQLite already and each payload is handled on its own, so log it and keep serving.
    // (Uncaught exceptions keep Node's default: after one, the process state is not trustworthy.)
    process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection; koe keeps running'));
    const koe = await createKoe(config, { log });
    await koe.start();
    await new Promise<void>((resolve) => {
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
    return 0;
  },
};
