import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { SLACK_EVENTS_PATH } from './context.ts';

/** The manifest shipped at the repository's top level (Socket Mode). */
export const MANIFEST_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../slack-app-manifest.yaml');

/**
 * The app manifest, as shipped (Socket Mode) or, given koe's public base URL, for HTTP mode: Socket
 * Mode off and every request URL (events, interactivity, /koe) pointing at `<url>/slack/events`.
 * Comments in the file are kept.
 */
export function slackManifest(options: { baseUrl?: string; text?: string } = {}): string {
  const doc = parseDocument(options.text ?? readFileSync(MANIFEST_PATH, 'utf8'));
  if (options.baseUrl) {
    const url = new URL(
      SLACK_EVENTS_PATH,
      options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    ).toString();
    doc.setIn(['settings', 'socket_mode_enabled'], false);
    doc.setIn(['settings', 'event_subscriptions', 'request_url'], url);
    doc.setIn(['settings', 'interactivity', 'request_url'], url);
    const commands = doc.getIn(['features', 'slash_commands']) as { items: unknown[] } | undefined;
    commands?.items.forEach((_item, i) => {
      doc.setIn(['features', 'slash_commands', i, 'url'], url);
    });
  }
  return doc.toString();
}
