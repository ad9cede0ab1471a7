import type Database from 'better-sqlite3';

// Connections currently running a batch whose jobs' own transactions are flattened into it.
const flat = new WeakSet<Database.Database>();

/**
 * Runs `fn` (already inside a transaction on `sqlite`) with the Store's transactions flattened
 * into it: no SAVEPOINT per verb. Group commit uses it for its optimistic first try; a savepoint
 * journals every page its verb touches, a real share of an intake write (README, Benchmarks).
 */
export function runFlattened<T>(sqlite: Database.Database, fn: () => T): T {
  flat.add(sqlite);
  try {
    return fn();
  } finally {
    flat.delete(sqlite);
  }
}

export const isFlattened = (sqlite: Database.Database): boolean => flat.has(sqlite);
