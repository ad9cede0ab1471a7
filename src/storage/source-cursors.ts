import type { SourceCursors } from '../core/ports/source-cursors.ts';
import type { Db } from './db.ts';

export function createSourceCursors(db: Db): SourceCursors {
  const sqlite = db.$client;
  const note = sqlite.prepare<{ platform: string; channel: string; id: string; at: number }>(
    `INSERT INTO source_cursors (platform, channel, last_message_id, updated_at) VALUES (@platform, @channel, @id, @at)
     ON CONFLICT (platform, channel) DO UPDATE SET last_message_id = excluded.last_message_id, updated_at = excluded.updated_at
     WHERE length(excluded.last_message_id) > length(last_message_id)
        OR (length(excluded.last_message_id) = length(last_message_id) AND excluded.last_message_id > last_message_id)`,
  );
  const get = sqlite.prepare<{ platform: string; channel: string }, { id: string }>(
    `SELECT last_message_id AS id FROM source_cursors WHERE platform = @platform AND channel = @channel`,
  );
  return {
    note: (platform, channel, messageId, nowMs) => void note.run({ platform, channel, id: messageId, at: nowMs }),
    get: (platform, channel) => get.get({ platform, channel })?.id ?? null,
  };
}
