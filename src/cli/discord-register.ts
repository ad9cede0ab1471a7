import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load-config.ts';
import type { Command } from './index.ts';

export const command: Command = {
  name: 'discord',
  summary: 'register the /koe and "Record as customer inquiry" commands',
  usage: 'discord register [--guild ID]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { guild: { type: 'string' } } });
    if (positionals[0] !== 'register' || positionals.length > 1) {
      console.error('usage: koe discord register [--guild ID]');
      return 2;
    }
    if (values.guild !== undefined && !/^\d{5,25}$/.test(values.guild)) {
      console.error(`koe discord register: --guild expects a server id (a number), got "${values.guild}"`);
      return 2;
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
      guildId: values.guild,
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
