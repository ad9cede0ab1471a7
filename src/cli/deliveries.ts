import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import { type DeliveryStatus, openStorage } from '../storage/index.ts';
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
    const storage = openStorage(config.databasePath);
    try {
      if (action === 'list') {
        const status = (values.status ?? 'dead') as DeliveryStatus;
        const rows = storage.listDeliveries(status, 200);
        if (rows.length === 0) console.log(`no ${status} deliveries`);
        for (const r of rows) {
          console.log(
            `${String(r.id).padStart(6)}  ${r.kind.padEnd(6)} #${r.inquiry_id ?? '-'} → ${r.destination} (${r.platform}:${r.channel})  attempts=${r.attempts}  ${r.last_error ?? ''}`,
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
        const changes = storage.requeueDead(values.all ? 'all' : ids, Date.now());
        console.log(
          `requeued ${changes} dead deliver${changes === 1 ? 'y' : 'ies'}; a running koe delivers them within a second`,
        );
        return 0;
      }
      console.error(`koe deliveries: unknown action "${action}" (list | retry)`);
      return 2;
    } finally {
      storage.close();
    }
  },
};
