export { createDiscordRuntime, type DiscordRuntime, type DiscordRuntimeOptions } from './runtime.ts';
export { commandDefinitions, KOE_COMMAND, RECORD_COMMAND } from './commands/definitions.ts';
