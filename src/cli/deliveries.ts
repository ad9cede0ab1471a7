import { loadConfig } from '../config/load-config.ts';
import { type DeliveryStatus, openStorage, type Storage } from '../storage/index.ts';
import { type CommandSpec, parseOptions, UsageError } from './args.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Command } from './index.ts';

const STATUSES: readonly DeliveryStatus[] = ['dead', 'pending', 'in_flight', 'done'];

const list: CommandSpec = {
  path: 'deliveries list',
  summary: 'list deliveries by status (default: dead-lettered ones)',
  args: '[--status dead|pending|in_flight|done]',
  options: { status: { type: 'string', choices: STATUSES, description: 'which deliveries to list (default dead)' } },
  examples: ['npx koe deliveries list --status pending'],
};

const retry: CommandSpec = {
  path: 'deliveries retry',
  summary: 'put dead deliveries back in the queue; a running koe picks them up within seconds',
  args: '(--id N … | --all)',
  options: {
    id: { type: 'string', multiple: true, value: 'N', description: 'a dead delivery’s id (repeatable)' },
    all: { type: 'boolean', description: 'every dead delivery' },
  },
  examples: ['npx koe deliveries retry --id 12 --id 13', 'npx koe deliveries retry --all'],
};

const spec: CommandSpec = {
  path: 'deliveries',
  summary: 'list dead-lettered deliveries, or retry them',
  args: '[list|retry] [options]',
  options: list.options,
  positionals: 1,
  examples: ['npx koe deliveries', 'npx koe deliveries retry --all'],
};

/** `list` or `retry` and the arguments for it; `koe deliveries --status pending` means list. */
function splitAction(args: string[]): { action: 'list' | 'retry'; rest: string[] } {
  // Only the first word names the command: a later one is an option's value (`--status dead`).
  const at = args[0] !== undefined && !args[0].startsWith('-') ? 0 : -1;
  if (at === -1) return { action: 'list', rest: args };
  const word = args[at]!;
  if (word !== 'list' && word !== 'retry') {
    throw new UsageError(spec.path, `unknown command "${word}" (list | retry).${didYouMean(word, ['list', 'retry'])}`);
  }
  return { action: word, rest: args.filter((_, i) => i !== at) };
}

function listDeliveries(storage: Storage, status: DeliveryStatus): number {
  const rows = storage.listDeliveries(status, 200);
  if (rows.length === 0) console.log(`no ${status} deliveries`);
  for (const r of rows) {
    console.log(
      `${String(r.id).padStart(6)}  ${r.kind.padEnd(6)} #${r.inquiry_id ?? '-'} → ${r.destination} (${r.platform}:${r.channel})  attempts=${r.attempts}  ${r.last_error ?? ''}`,
    );
  }
  return 0;
}

/** Requeues each id on its own, so the ones that are not dead deliveries can be named. */
function retryDeliveries(storage: Storage, ids: number[] | 'all'): number {
  const now = Date.now();
  const missing = ids === 'all' ? [] : ids.filter((id) => storage.requeueDead([id], now) === 0);
  const changes = ids === 'all' ? storage.requeueDead('all', now) : ids.length - missing.length;
  if (changes > 0) {
    console.log(
      `requeued ${changes} dead deliver${changes === 1 ? 'y' : 'ies'}; a running koe delivers them within a second`,
    );
  }
  if (missing.length > 0) {
    console.error(
      `koe deliveries retry: no dead delivery with id ${missing.join(', ')}; npx koe deliveries lists the dead ones.`,
    );
    return 1;
  }
  if (changes === 0) console.log('no dead deliveries to retry');
  return 0;
}

export const command: Command = {
  spec,
  subcommands: [list, retry],
  async run(args) {
    const { action, rest } = splitAction(args);
    const { values } = parseOptions(action === 'list' ? list : retry, rest);
    let ids: number[] | 'all' = 'all';
    if (action === 'retry' && !values.all) {
      const given = (values.id as string[] | undefined) ?? [];
      const bad = given.find((v) => !/^\d+$/.test(v));
      if (given.length === 0 || bad !== undefined) {
        const why = bad === undefined ? 'give --id N (repeatable) or --all' : `--id takes a number, got "${bad}"`;
        throw new UsageError(retry.path, `${why}.`);
      }
      ids = given.map(Number);
    }
    const config = loadConfig();
    const storage = openStorage(config.databasePath);
    try {
      if (action === 'list') return listDeliveries(storage, (values.status as DeliveryStatus | undefined) ?? 'dead');
      return retryDeliveries(storage, ids);
    } finally {
      storage.close();
    }
  },
};
