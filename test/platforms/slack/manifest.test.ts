import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { slackManifest } from '../../../src/platforms/slack/manifest.ts';
import { RECORD_SHORTCUT } from '../../../src/platforms/slack/listeners/shortcuts.ts';
import { SEND_TO_CUSTOMER_CALLBACK } from '../../../src/platforms/slack/render.ts';

describe('slack-app-manifest.yaml', () => {
  const manifest = parse(slackManifest());

  it('is Socket Mode with the /koe command, the message shortcuts, interactivity and the events koe listens to', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/koe', should_escape: true }),
    ]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: RECORD_SHORTCUT, name: 'Record as customer inquiry' }),
      expect.objectContaining({ type: 'message', callback_id: SEND_TO_CUSTOMER_CALLBACK, name: 'Send to customer' }),
    ]);
    expect(manifest.features.slash_commands[0].usage_hint).toContain('reply <id> <text>');
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      'app_mention',
      'message.channels',
      'message.groups',
      'reaction_added',
      'reaction_removed',
    ]);
  });

  it('asks for every scope the calls koe makes need', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      [
        'app_mentions:read',
        'channels:history',
        'chat:write',
        // Optional (replies under their author's name; without it a name line), and DMs for failed replies.
        'chat:write.customize',
        'im:write',
        'commands',
        'groups:history',
        'reactions:read',
        'users:read',
      ].sort(),
    );
  });

  it('stays within the manifest limits (name 35, description 140, long description 174…4000)', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(174);
    for (const shortcut of manifest.features.shortcuts) {
      expect(shortcut.description.length).toBeLessThanOrEqual(150);
    }
  });

  it('prints an HTTP-mode variant with every request URL at /slack/events', () => {
    const http = parse(slackManifest({ baseUrl: 'https://koe.example.com' }));
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toBe('https://koe.example.com/slack/events');
    expect(http.settings.interactivity.request_url).toBe('https://koe.example.com/slack/events');
    expect(http.features.slash_commands[0].url).toBe('https://koe.example.com/slack/events');
  });
});
