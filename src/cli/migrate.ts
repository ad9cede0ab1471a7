import { loadConfig } from '../config/load-config.ts';
import { openStorage } from '../storage/index.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'migrate',
  summary: 'apply database migrations (start does this too)',
  usage: 'migrate',
  async run() {
    const config = loadConfig();
    openStorage(config.databasePath).close();
    console.log(`koe: database ${config.databasePath} is up to date`);
    return 0;
  },
};
