// Child process for the two-schedulers race: opens the shared SQLite file, waits for "go" on stdin
// so every child fires at once, fires the daily digest, and prints the outcome as one JSON line.
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createDigestScheduler } from '../../src/scheduler/digest-scheduler.ts';
import { openDb } from '../../src/storage/db.ts';
import { testSlaSettings } from './sla.ts';

const [dbPath, firedAt] = process.argv.slice(2);
const db = openDb(dbPath!);
const scheduler = createDigestScheduler({
  db,
  digests: [{ name: 'daily', platform: 'console', channel: 'stdout', period: 'day', schedule: '0 9 * * *' }],
  timezone: 'Asia/Tokyo',
  locale: 'ja',
  reasons: DEFAULT_REASONS,
  sla: testSlaSettings(),
  log: silentLogger(),
  now: () => Number(firedAt),
});
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const outcome = scheduler.fire('daily', Number(firedAt));
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  db.$client.close();
  process.exit(0);
});
