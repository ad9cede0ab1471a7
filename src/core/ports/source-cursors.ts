/** The customer channels that read back: chat sources by message id, the support mailbox (`email`) by IMAP UID. */
export type CursorPlatform = 'slack' | 'discord' | 'email';

/**
 * The newest message koe handled in each customer-facing source channel, per platform, so a restart
 * can read back what customers wrote while koe was away. Ids compare as platforms mint them: Discord
 * snowflakes and Slack timestamps are decimal strings where, of two, the longer is newer, and of
 * equal length the greater. IMAP UIDs are decimal strings too, and compare the same way.
 */
export interface SourceCursors {
  /** Remembers `messageId` for the channel, unless a newer one is already remembered. */
  note(platform: CursorPlatform, channel: string, messageId: string, nowMs: number): void;
  /** The newest message id handled in the channel, or null before the first. */
  get(platform: CursorPlatform, channel: string): string | null;
}
