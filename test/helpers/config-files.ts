import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { tempDir } from './temp-db.ts';

/**
 * For config tests: a fresh directory per test, `load` writes koe.config.yaml there (or none, for
 * null) and loads it with `env` (no .env file), and `problems` returns the ConfigError's lines.
 * Call it at the top level of a test file: it registers its own beforeEach/afterEach.
 */
export function configFiles() {
  let t: ReturnType<typeof tempDir> | undefined;
  beforeEach(() => {
    t = tempDir();
  });
  afterEach(() => t?.cleanup());

  function load(yaml: string | null, env: Record<string, string> = {}) {
    const dir = t!.dir;
    if (yaml !== null) writeFileSync(join(dir, 'koe.config.yaml'), yaml);
    return loadConfig({ env, cwd: dir, dotenv: false });
  }

  function problems(yaml: string | null, env: Record<string, string> = {}): string[] {
    try {
      load(yaml, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  return { load, problems };
}
