import { digestChecks } from '../checks/digests.ts';
import { databasePrivate, databaseWritable, portFree, tokenKinds } from '../checks/local.ts';
import { ConfigError, type Config, loadConfig } from '../config/load-config.ts';
import { type CheckResult, checkLine, failed, passed } from '../lib/check.ts';
import { type CommandSpec, parseOptions, wholeNumberOption } from './args.ts';
import type { Command } from './index.ts';

const spec: CommandSpec = {
  path: 'doctor',
  summary: 'check config, database, port, tokens, scopes, channels and digests; print each fix',
  args: '[--port N]',
  options: { port: { type: 'string', value: 'N', description: 'check this port instead of PORT' } },
  examples: ['npx koe doctor'],
};

/** The config, or the failed check that lists every problem in it. */
function configCheck(port: string | undefined): { config?: Config; result: CheckResult } {
  try {
    const loaded = loadConfig();
    const config =
      port === undefined ? loaded : { ...loaded, port: wholeNumberOption(spec.path, 'port', port, 0, 65535) };
    const where = config.configFileFound ? config.configPath : 'no config file: mirroring to the console';
    return { config, result: passed('config', `valid (${where})`) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      result: failed(
        'config',
        error.problems.join('; '),
        'fix each setting named above, then run npx koe doctor again',
      ),
    };
  }
}

/** The Slack and Discord checks, loaded only when the config uses them (each costs a network round trip). */
async function platformChecks(config: Config): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  if (config.slack.botToken)
    results.push(...(await (await import('../platforms/slack/preflight.ts')).slackChecks(config)));
  if (config.discord.token) {
    results.push(...(await (await import('../platforms/discord/preflight.ts')).discordChecks(config)));
  }
  return results;
}

export const command: Command = {
  spec,
  async run(args) {
    const { values } = parseOptions(spec, args);
    const { config, result } = configCheck(values.port as string | undefined);
    const results = [result];
    const print = (r: CheckResult) => console.log(checkLine(r));
    print(result);
    if (config) {
      const local = [
        databaseWritable(config.databasePath),
        databasePrivate(config.databasePath),
        await portFree(config.port, config.host),
        ...tokenKinds(config),
      ];
      local.forEach(print);
      results.push(...local);
      // A token of the wrong kind would only be refused again by the platform: say that once.
      const remote = local.some((r) => !r.ok && r.label.includes('TOKEN')) ? [] : await platformChecks(config);
      const later = [...remote, ...(await digestChecks(config))];
      later.forEach(print);
      results.push(...later);
    }
    const failures = results.filter((r) => !r.ok).length;
    console.log(failures === 0 ? '\nall checks passed' : `\n${failures} check${failures === 1 ? '' : 's'} failed`);
    return failures === 0 ? 0 : 1;
  },
};
