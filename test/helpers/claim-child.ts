// Child process for the cross-process claim race: opens the shared SQLite file, waits for "go" on
// stdin so every child starts at once, claims, and prints the outcome as one JSON line.
import { claim } from '../../src/core/inquiries/index.ts';
import { openDb } from '../../src/storage/db.ts';
import { coreContext } from './temp-db.ts';

const [dbPath, inquiryId, actorId] = process.argv.slice(2);
const db = openDb(dbPath!);
const ctx = coreContext(db);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const outcome = claim(ctx, { inquiryId: Number(inquiryId), actor: { id: actorId!, name: actorId } });
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  db.$client.close();
  process.exit(0);
});
