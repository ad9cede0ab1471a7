import { ConfigError } from '../config/load-config.ts';
import { asksForHelp, type CommandSpec, helpText, UsageError } from './args.ts';
import { didYouMean } from './did-you-mean.ts';
import { koeVersion } from './version.ts';

/** A CLI command: `run` gets the arguments after its name and returns the exit code. */
export interface Command {
  spec: CommandSpec;
  /** Its subcommands (`deliveries list`, `deliveries retry`), each with its own help. */
  subcommands?: readonly CommandSpec[];
  run(args: string[]): Promise<number>;
}

// One line per command module; each file in this folder is one command.
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.ts')).command,
  doctor: async () => (await import('./doctor.ts')).command,
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
    'Usage: npx koe <command> [options]',
    '',
    'Commands:',
  ];
  for (const load of Object.values(COMMANDS)) {
    const { spec } = await load();
    const usage = `${spec.path} ${spec.args}`.trim();
    // Long usages get their summary on the next line, so the summaries stay in one column.
    if (usage.length > 44) lines.push(`  ${usage}`, `  ${''.padEnd(44)} ${spec.summary}`);
    else lines.push(`  ${usage.padEnd(44)} ${spec.summary}`);
  }
  lines.push(
    '',
    'Options:',
    '  -h, --help     show help (after a command: that command’s help)',
    '  -v, --version  show koe’s version',
    '',
    'Example:',
    '  npx koe doctor',
  );
  return lines.join('\n');
}

/** The help of `command`, or of its subcommand when the arguments name one. */
function commandHelp(command: Command, args: readonly string[]): string {
  const sub = command.subcommands?.find((s) => s.path.split(' ').at(-1) === args[0]);
  return sub ? helpText(sub) : helpText(command.spec, command.subcommands);
}

const tryHelp = (path: string) => `Run npx koe ${path ? `${path} ` : ''}--help for usage.`;

/** Runs `koe <command> …`; returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const asked = name === 'help' && args[0] ? COMMANDS[args[0]] : undefined;
    console.log(asked ? commandHelp(await asked(), args.slice(1)) : await help());
    return name ? 0 : 1;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(`koe ${koeVersion()}`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command "${name}"`;
    const known = name.startsWith('-') ? ['--help', '--version'] : Object.keys(COMMANDS);
    console.error(`koe: ${what}.${didYouMean(name, known)}\n${tryHelp('')}`);
    return 2;
  }
  const command = await load();
  if (asksForHelp(args)) {
    console.log(commandHelp(command, args));
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`koe ${error.command}: ${error.message}\n${tryHelp(error.command)}`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`koe: ${error.message}`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}
