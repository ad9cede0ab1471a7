import { parseArgs } from 'node:util';
import { slackManifest } from '../platforms/slack/manifest.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'slack-manifest',
  summary: 'print the Slack app manifest (Socket Mode, or HTTP mode with --url)',
  usage: 'slack-manifest [--url https://koe.example.com]',
  async run(args) {
    const { values } = parseArgs({ args, options: { url: { type: 'string' } } });
    if (values.url !== undefined && !/^https:\/\//.test(values.url)) {
      console.error('koe slack-manifest: --url must be the https:// address Slack can reach koe at');
      return 2;
    }
    process.stdout.write(slackManifest({ baseUrl: values.url }));
    return 0;
  },
};
