import type { InboundLedger } from '../core/ports/inbound-ledger.ts';
import type { Db } from './db.ts';

export function createInboundLedger(db: Db, now: () => number = Date.now): InboundLedger {
  const sqlite = db.$client;
  const has = sqlite.prepare<[string], { key: string }>(`SELECT key FROM inbound_events WHERE key = ?`);
  const insert = sqlite.prepare<[string, number]>(
    `INSERT OR IGNORE INTO inbound_events (key, received_at) VALUES (?, ?)`,
  );
  const remove = sqlite.prepare<[string]>(`DELETE FROM inbound_events WHERE key = ?`);
  // substr instead of LIKE: a prefix is matched literally, whatever characters it holds.
  const prune = sqlite.prepare<{ prefix: string; before: number }>(
    `DELETE FROM inbound_events WHERE substr(key, 1, length(@prefix)) = @prefix AND received_at < @before`,
  );
  return {
    has: (key) => has.get(key) !== undefined,
    claim: (key) => insert.run(key, now()).changes > 0,
    release: (key) => void remove.run(key),
    prune: (prefix, keepMs) => prune.run({ prefix, before: now() - keepMs }).changes,
  };
}
