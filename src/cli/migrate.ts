import { loadConfig } from '../config/load-config.ts';
import { migrateDb, openDb } from '../storage/db.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'migrate',
  summary: 'apply database migrations (start does this too)',
  usage: 'migrate',
  async run() {
    const config = loadConfig();
    const db = openDb(config.databasePath);
    migrateDb(db);
    db.$client.close();
    console.log(`koe: database ${config.databasePath} is up to date`);
    return 0;
  },
};
