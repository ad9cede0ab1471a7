import { slackManifest } from '../platforms/slack/manifest.ts';
import { type CommandSpec, parseOptions, UsageError } from './args.ts';
import type { Command } from './index.ts';

const spec: CommandSpec = {
  path: 'slack-manifest',
  summary: 'print the Slack app manifest (Socket Mode, or HTTP mode with --url)',
  args: '[--url https://koe.example.com]',
  options: {
    url: {
      type: 'string',
      value: 'URL',
      description: 'the https:// address Slack reaches koe at (HTTP mode); /slack/events is added',
    },
  },
  examples: ['npx koe slack-manifest --url https://koe.example.com > manifest.yaml'],
};

/**
 * The base address the manifest's request URLs are built on. People paste the events URL they
 * already know (`…/slack/events`); the manifest adds that path itself, so it is taken off here
 * rather than printed twice.
 */
export function manifestBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/slack\/events$/, '');
}

export const command: Command = {
  spec,
  async run(args) {
    const { values } = parseOptions(spec, args);
    const url = values.url as string | undefined;
    if (url !== undefined && !/^https:\/\/[^/]/.test(url)) {
      throw new UsageError(spec.path, `--url must be the https:// address Slack can reach koe at; got "${url}".`);
    }
    process.stdout.write(slackManifest({ baseUrl: url === undefined ? undefined : manifestBaseUrl(url) }));
    return 0;
  },
};
