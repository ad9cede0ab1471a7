import { loadConfig } from '../config/load-config.ts';
import { openStorage } from '../storage/index.ts';
import { type CommandSpec, parseOptions } from './args.ts';
import type { Command } from './index.ts';

const spec: CommandSpec = {
  path: 'migrate',
  summary: 'apply database migrations (start does this too)',
  args: '',
  options: {},
  examples: ['DATABASE_URL=./data/koe.db npx koe migrate'],
};

export const command: Command = {
  spec,
  async run(args) {
    parseOptions(spec, args);
    const config = loadConfig();
    openStorage(config.databasePath).close();
    console.log(`koe: database ${config.databasePath} is up to date`);
    return 0;
  },
};
