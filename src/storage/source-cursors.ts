import type { Db } from './db.ts';

/**
 * The newest message koe handled in each customer-facing source channel, per platform, so a restart
 * can read back what customers wrote while koe was away. Ids compare as platforms mint them: Discord
 * snowflakes and Slack timestamps are decimal strings where, of two, the longer is newer, and of
 * equal length the greater.
 */
export interface SourceCursors {
  /** Remembers `messageId` for the channel, unless a newer one is already remembered. */
  note(platform: 'slack' | 'discord', channel: string, messageId: string, nowMs: number): void;
  /** The newest message id handled in the channel, or null before the first. */
  get(platform: 'slack' | 'discord', channel: string): string | null;
}

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
