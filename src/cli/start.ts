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
      log.info({ path: config.configPath }, 'no config file: mirroring to the console (copy koe.config.example.yaml to start)');
    }
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
