import { REST, Routes, type APIApplication, type APIApplicationCommand } from 'discord.js';
import { commandDefinitions } from './definitions.ts';

export interface RegisterOptions {
  token: string;
  /** Looked up with `GET /applications/@me` when not given. */
  applicationId?: string;
  /** REST base without version (`DISCORD_API_URL`). */
  apiUrl?: string;
  /** Register in one guild (instant, for trying koe out); omitted: globally. */
  guildId?: string;
}

export interface RegisterResult {
  applicationId: string;
  scope: 'global' | { guildId: string };
  commands: Array<{ id: string; name: string; type: number; change: 'created' | 'updated' | 'unchanged' }>;
  removed: string[];
}

/**
 * Registers koe's application commands with one bulk overwrite (`PUT …/commands`): idempotent by
 * construction, since Discord keeps a command's id when its name and type already exist, changes
 * nothing when the definition is the same, and removes commands that are no longer defined.
 */
export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl.replace(/\/+$/, '') } : {}).setToken(options.token);
  const applicationId = options.applicationId ?? ((await rest.get(Routes.currentApplication())) as APIApplication).id;
  const route = options.guildId
    ? Routes.applicationGuildCommands(applicationId, options.guildId)
    : Routes.applicationCommands(applicationId);
  const before = (await rest.get(route)) as APIApplicationCommand[];
  const after = (await rest.put(route, { body: commandDefinitions() })) as APIApplicationCommand[];
  const previous = new Map(before.map((c) => [c.id, c]));
  return {
    applicationId,
    scope: options.guildId ? { guildId: options.guildId } : 'global',
    commands: after.map((c) => {
      const old = previous.get(c.id);
      return {
        id: c.id,
        name: c.name,
        type: c.type,
        change: !old ? 'created' : old.version === c.version ? 'unchanged' : 'updated',
      };
    }),
    removed: before.filter((c) => !after.some((a) => a.id === c.id)).map((c) => c.name),
  };
}
