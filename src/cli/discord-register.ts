import { loadConfig } from '../config/load-config.ts';
import { type CommandSpec, parseOptions, UsageError } from './args.ts';
import { didYouMean } from './did-you-mean.ts';
import type { Command } from './index.ts';

const register: CommandSpec = {
  path: 'discord register',
  summary: 'register the /koe and "Record as customer inquiry" commands, idempotently',
  args: '[--guild ID]',
  options: {
    guild: {
      type: 'string',
      value: 'ID',
      description: 'one server’s id: its commands show at once (global ones can take a while)',
    },
  },
  examples: ['npx koe discord register --guild 112233445566778899'],
};

const spec: CommandSpec = {
  path: 'discord',
  summary: 'register the /koe and "Record as customer inquiry" commands',
  args: 'register [--guild ID]',
  options: register.options,
  positionals: 1,
  examples: register.examples,
};

export const command: Command = {
  spec,
  subcommands: [register],
  async run(args) {
    const { values, positionals } = parseOptions(spec, args);
    const word = positionals[0];
    if (word !== 'register') {
      const what = word === undefined ? 'say what to do: register' : `unknown command "${word}" (register).`;
      throw new UsageError(spec.path, `${what}${word === undefined ? '.' : didYouMean(word, ['register'])}`);
    }
    const guild = values.guild as string | undefined;
    if (guild !== undefined && !/^\d{5,25}$/.test(guild)) {
      throw new UsageError(register.path, `--guild expects a server id (a number); got "${guild}".`);
    }
    const config = loadConfig();
    const token = config.discord.token;
    if (!token) {
      console.error('koe discord register: DISCORD_TOKEN is not set (the bot token from the developer portal)');
      return 78; // EX_CONFIG
    }
    // Loaded here so other commands never load discord.js.
    const { registerCommands } = await import('../platforms/discord/commands/register.ts');
    const result = await registerCommands({
      token: token.reveal(),
      applicationId: config.discord.applicationId,
      apiUrl: config.discord.apiUrl,
      guildId: guild,
    });
    const where =
      result.scope === 'global'
        ? 'globally (may take a while to show in every server)'
        : `in server ${result.scope.guildId}`;
    console.log(`koe: application ${result.applicationId}: ${result.commands.length} commands registered ${where}`);
    for (const c of result.commands)
      console.log(`  ${c.change.padEnd(9)} ${c.type === 1 ? `/${c.name}` : `"${c.name}" (message menu)`}  ${c.id}`);
    for (const name of result.removed) console.log(`  removed   ${name}`);
    return 0;
  },
};
