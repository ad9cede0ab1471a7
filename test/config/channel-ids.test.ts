import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { tempDir } from '../helpers/temp-db.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const ENV = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 'd.t' };

function problems(yaml: string): string[] {
  writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  try {
    loadConfig({ env: ENV, cwd: dir, dotenv: false });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const SLACK_HOW = 'click its name (channel details) → About → Channel ID at the bottom (C…)';
const DISCORD_HOW = 'turn on Developer Mode (User Settings → Advanced), then right-click the channel → Copy Channel ID';

describe('a channel name where the config wants its id', () => {
  it('says, for destinations, sources and digests, how to copy the id on each platform', () => {
    const found = problems(`
destinations:
  - { name: team, platform: slack, channel: "#support" }
  - { name: community, platform: discord, channel: "general" }
sources:
  - { platform: slack, channel: "customers" }
  - { platform: discord, channel: "<#1234567890123456789>" }
digests:
  - { platform: slack, channel: "https://acme.slack.com/archives/C0123456789" }
`);
    expect(found).toEqual([
      `destinations[0].channel: "#support" is a channel name or link, not its id; copy the channel id in Slack: open the channel, ${SLACK_HOW}, e.g. channel: "C0123456789"`,
      `destinations[1].channel: "general" is a channel name or link, not its id; copy the channel id in Discord: ${DISCORD_HOW} (a number), e.g. channel: "1234567890123456789"`,
      expect.stringMatching(
        /^sources\[0\]\.channel: "customers" is a channel name or link, not its id; copy the channel id in Slack/,
      ),
      expect.stringMatching(/^sources\[1\]\.channel: "<#1234567890123456789>" .+ in Discord/),
      expect.stringMatching(/^digests\[0\]\.channel: "https:\/\/acme\.slack\.com\/archives\/C0123456789" .+ in Slack/),
    ]);
  });

  it('takes ids as they are, and any label for the console', () => {
    expect(
      problems(`
destinations:
  - { name: team, platform: slack, channel: C0123456789 }
  - { name: community, platform: discord, channel: "1234567890123456789" }
  - { name: here, platform: console, channel: "#anything goes" }
sources:
  - { platform: slack, channel: G01PRIVATE }
digests:
  - { platform: discord, channel: "1234567890123456789" }
`),
    ).toEqual([]);
  });
});
