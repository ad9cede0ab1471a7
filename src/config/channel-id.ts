import type { Platform } from '../core/surfaces.ts';

/**
 * A Slack or Discord channel in koe.config.yaml must be its id: Slack's are upper-case letters and
 * digits (C0123456789), Discord's a number (a snowflake). A name (`#support`, `support`), a mention
 * or a link is what people paste first; this says how to copy the id instead. Nothing about the
 * console, whose channel is any label.
 */

const HOW_TO_COPY: Partial<Record<Platform, string>> = {
  slack:
    'copy the channel id in Slack: open the channel, click its name (channel details) → About → Channel ID at the bottom (C…), e.g. channel: "C0123456789"',
  discord:
    'copy the channel id in Discord: turn on Developer Mode (User Settings → Advanced), then right-click the channel → Copy Channel ID (a number), e.g. channel: "1234567890123456789"',
};

/** The problem with `channel` as a channel id on `platform`, with how to copy the right one; null when it may be an id. */
export function channelIdProblem(platform: Platform, channel: string): string | null {
  const howTo = HOW_TO_COPY[platform];
  if (!howTo) return null;
  // Ids never hold a #, a space, a lower-case letter, a slash or the brackets of a mention.
  if (!/[#\s/<>a-z]/.test(channel)) return null;
  return `"${channel}" is a channel name or link, not its id; ${howTo}`;
}
