import type { KnownNames, UserStanding } from '../core/ports/known-names.ts';
import type { Db } from './db.ts';

const STANDINGS = new Set<string>(['member', 'guest', 'stranger', 'bot', 'deleted']);

export function createKnownNames(db: Db): KnownNames {
  const sqlite = db.$client;
  const get = sqlite.prepare<
    [string, string],
    { name: string; fetchedAtMs: number; teamId: string | null; standing: string | null }
  >(
    `SELECT name, fetched_at AS fetchedAtMs, team_id AS teamId, standing
     FROM user_directory WHERE platform = ? AND user_id = ?`,
  );
  const put = sqlite.prepare<[string, string, string, number, string | null, string | null]>(
    `INSERT INTO user_directory (platform, user_id, name, fetched_at, team_id, standing) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (platform, user_id) DO UPDATE SET
       name = excluded.name, fetched_at = excluded.fetched_at, team_id = excluded.team_id, standing = excluded.standing`,
  );
  return {
    get(platform, userId) {
      const row = get.get(platform, userId);
      if (!row) return undefined;
      const standing =
        row.standing !== null && STANDINGS.has(row.standing)
          ? { teamId: row.teamId, kind: row.standing as UserStanding['kind'] }
          : null;
      return { name: row.name, fetchedAtMs: row.fetchedAtMs, standing };
    },
    put: (platform, userId, name, nowMs, standing = null) =>
      void put.run(platform, userId, name, nowMs, standing?.teamId ?? null, standing?.kind ?? null),
  };
}
