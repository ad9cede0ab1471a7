import type { KnownNames } from '../core/ports/known-names.ts';
import type { Db } from './db.ts';

export function createKnownNames(db: Db): KnownNames {
  const sqlite = db.$client;
  const get = sqlite.prepare<[string, string], { name: string; fetchedAtMs: number }>(
    `SELECT name, fetched_at AS fetchedAtMs FROM user_directory WHERE platform = ? AND user_id = ?`,
  );
  const put = sqlite.prepare<[string, string, string, number]>(
    `INSERT INTO user_directory (platform, user_id, name, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (platform, user_id) DO UPDATE SET name = excluded.name, fetched_at = excluded.fetched_at`,
  );
  return {
    get: (platform, userId) => get.get(platform, userId),
    put: (platform, userId, name, nowMs) => void put.run(platform, userId, name, nowMs),
  };
}
