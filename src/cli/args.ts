import { parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.ts';

/** One option of a command, as parsed and as its help shows it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's placeholder in help (`N`, `YYYY-MM-DD`); choices are shown instead when given. */
  value?: string;
  description: string;
  /** The only values allowed; anything else is refused with the list (and a guess). */
  choices?: readonly string[];
}

/** What `--help` shows for a command or subcommand, and what its arguments may be. */
export interface CommandSpec {
  /** The words after `koe`: `deliveries retry`. */
  path: string;
  summary: string;
  /** Arguments after the path, for the usage line: `[--id N …] [--all]`. */
  args: string;
  options: Record<string, OptionSpec>;
  /** How many positional words it takes (default none). */
  positionals?: number;
  examples: string[];
}

/**
 * A mistake in how koe was called: said in one sentence, with exit code 2 and a pointer to
 * `--help`, never as a stack trace.
 */
export class UsageError extends Error {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

const flag = (name: string) => `--${name}`;

/** The parsed options and positionals of `args`, or a UsageError that says what is wrong and what was meant. */
export function parseOptions(spec: CommandSpec, args: string[]): { values: ParsedValues; positionals: string[] } {
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(spec.options).map(([name, o]) => [name, { type: o.type, multiple: o.multiple ?? false }]),
      ),
    }) as { values: ParsedValues; positionals: string[] };
  } catch (error) {
    throw new UsageError(spec.path, parseErrorSentence(spec, error as Error & { code?: string }));
  }
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    const extra = parsed.positionals[spec.positionals ?? 0]!;
    throw new UsageError(spec.path, `unexpected argument "${extra}".`);
  }
  for (const [name, option] of Object.entries(spec.options)) checkChoice(spec, name, option, parsed.values[name]);
  return parsed;
}

// node:util's parseArgs says what went wrong in an English sentence with a code; koe keeps the
// sentence short and adds the guess, so `--perod` is one line and never a TypeError stack.
function parseErrorSentence(spec: CommandSpec, error: Error & { code?: string }): string {
  const known = Object.keys(spec.options).map(flag);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'([^']+)'/.exec(error.message)?.[1] ?? '';
    const name = typed.replace(/=.*$/, '');
    return `unknown option ${name}.${didYouMean(name, [...known, '--help'])}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([\w-]+)/.exec(error.message)?.[1] ?? '';
    const option = spec.options[name];
    return option?.type === 'boolean'
      ? `--${name} takes no value.`
      : `--${name} needs a value (${placeholder(option)}).`;
  }
  return error.message;
}

function checkChoice(spec: CommandSpec, name: string, option: OptionSpec, value: ParsedValues[string]): void {
  if (!option.choices || typeof value !== 'string' || option.choices.includes(value)) return;
  throw new UsageError(
    spec.path,
    `--${name} must be one of ${option.choices.join(', ')}; got "${value}".${didYouMean(value, option.choices)}`,
  );
}

function placeholder(option: OptionSpec | undefined): string {
  if (!option) return 'a value';
  return option.choices?.join('|') ?? option.value ?? 'a value';
}

/** The `--help` text: usage, what it does, its options, an example. */
export function helpText(spec: CommandSpec, subcommands: readonly CommandSpec[] = []): string {
  const lines = [`Usage: npx koe ${spec.path}${spec.args ? ` ${spec.args}` : ''}`, '', spec.summary, ''];
  if (subcommands.length > 0) {
    lines.push('Commands:');
    const width = Math.max(...subcommands.map((s) => s.path.length));
    for (const s of subcommands) lines.push(`  ${s.path.padEnd(width)}  ${s.summary}`);
    lines.push('');
  }
  const options = Object.entries(spec.options).map(([name, o]) => ({
    left: `--${name}${o.type === 'string' ? ` ${placeholder(o)}` : ''}${o.multiple ? ' …' : ''}`,
    right: o.description,
  }));
  options.push({ left: '-h, --help', right: 'show this help' });
  const width = Math.max(...options.map((o) => o.left.length));
  lines.push('Options:', ...options.map((o) => `  ${o.left.padEnd(width)}  ${o.right}`), '');
  lines.push(spec.examples.length > 1 ? 'Examples:' : 'Example:', ...spec.examples.map((e) => `  ${e}`));
  if (subcommands.length > 0) lines.push('', `Run npx koe ${spec.path} <command> --help for a command's options.`);
  return lines.join('\n');
}

/** Whether the arguments ask for help (anywhere, as people type it after a subcommand too). */
export function asksForHelp(args: readonly string[]): boolean {
  return args.some((a) => a === '--help' || a === '-h');
}

/** A whole number from `min` to `max` given to option `name`, or a UsageError saying what it takes. */
export function wholeNumberOption(command: string, name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(command, `--${name} must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}
