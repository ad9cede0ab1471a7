import { parseArgs } from 'node:util';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { loadConfig } from '../config/load-config.ts';
import { migrateDb, openDb } from '../storage/db.ts';
import { deliveries } from '../storage/schema/index.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'deliveries',
  summary: 'list dead-lettered deliveries, or retry them',
  usage: 'deliveries [list|retry] [--id N …] [--all]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { id: { type: 'string', multiple: true }, all: { type: 'boolean' }, status: { type: 'string' } },
    });
    const action = positionals[0] ?? 'list';
    const config = loadConfig();
    const db = openDb(config.databasePath);
    migrateDb(db);
    try {
      if (action === 'list') {
        const status = (values.status ?? 'dead') as 'dead' | 'pending' | 'in_flight' | 'done';
        const rows = db
          .select()
          .from(deliveries)
          .where(eq(deliveries.status, status))
          .orderBy(desc(deliveries.id))
          .limit(200)
          .all();
        if (rows.length === 0) console.log(`no ${status} deliveries`);
        for (const r of rows) {
          console.log(
            `${String(r.id).padStart(6)}  ${r.kind.padEnd(6)} #${r.inquiryId ?? '-'} → ${r.destination} (${r.platform}:${r.channel})  attempts=${r.attempts}  ${r.lastError ?? ''}`,
          );
        }
        return 0;
      }
      if (action === 'retry') {
        const ids = (values.id ?? []).map(Number);
        if (!values.all && (ids.length === 0 || ids.some((n) => !Number.isInteger(n)))) {
          console.error('koe deliveries retry: give --id N (repeatable) or --all');
          return 2;
        }
        const now = Date.now();
        const where = values.all
          ? eq(deliveries.status, 'dead')
          : and(eq(deliveries.status, 'dead'), inArray(deliveries.id, ids));
        // A fresh budget of attempts; `last_error` stays, which tells the worker an earlier attempt may
        // have landed (a lost answer), so it looks the post up before posting it again.
        const result = db
          .update(deliveries)
          .set({ status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now })
          .where(where)
          .run();
        console.log(
          `requeued ${result.changes} dead deliver${result.changes === 1 ? 'y' : 'ies'}; a running koe delivers them within a second`,
        );
        return 0;
      }
      console.error(`koe deliveries: unknown action "${action}" (list | retry)`);
      return 2;
    } finally {
      db.$client.close();
    }
  },
};
