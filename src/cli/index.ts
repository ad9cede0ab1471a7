import { ConfigError } from '../config/load-config.ts';

/** A CLI command: `run` gets the arguments after its name and returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

// One line per command module; each file in this folder is one command.
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.ts')).command,
  migrate: async () => (await import('./migrate.ts')).command,
  deliveries: async () => (await import('./deliveries.ts')).command,
  digest: async () => (await import('./digest.ts')).command,
  reasons: async () => (await import('./reasons.ts')).command,
  discord: async () => (await import('./discord-register.ts')).command,
  'slack-manifest': async () => (await import('./slack-manifest.ts')).command,
};

async function help(): Promise<string> {
  const lines = [
    'koe (声): every customer inquiry in front of the whole company',
    '',
    'Usage: koe <command> [options]',
    '',
  ];
  for (const load of Object.values(COMMANDS)) {
    const c = await load();
    // Long usages get their summary on the next line, so the summaries stay in one column.
    if (c.usage.length > 44) lines.push(`  ${c.usage}`, `  ${''.padEnd(44)} ${c.summary}`);
    else lines.push(`  ${c.usage.padEnd(44)} ${c.summary}`);
  }
  return lines.join('\n');
}

/** Runs `koe <command> …`; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(await help());
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`koe: unknown command "${name}"\n\n${await help()}`);
    return 2;
  }
  try {
    return await (await load()).run(args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`koe: ${error.message}`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}
