import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The boundaries of ARCHITECTURE.md, checked on every test run rather than remembered.

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm),
  ].map((m) => (m[1] ?? m[2])!);
}

const root = join(import.meta.dirname, '..');

describe('module boundaries', () => {
  it('keeps the core free of platforms, drivers, schedulers, HTTP and the query builder', () => {
    const forbidden =
      /^(@slack\/|discord\.js|discord-api-types|@discordjs\/|node-cron|better-sqlite3|drizzle-orm|hono|@hono\/|pino|node:http)/;
    const leaks = sourceFiles(join(root, 'src/core')).flatMap((file) =>
      importsOf(file)
        .filter((spec) => forbidden.test(spec) || /\/(platforms|storage|intake|outbox|scheduler|cli)\//.test(spec))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(leaks).toEqual([]);
  });

  it('lets only src/config read process.env', () => {
    const readers = sourceFiles(join(root, 'src'))
      .filter((file) => !file.includes(`${join('src', 'config')}`))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(readers).toEqual([]);
  });

  it('keeps Slack and Discord adapters out of each other', () => {
    const crossings = [
      ...sourceFiles(join(root, 'src/platforms/slack')).flatMap((f) =>
        importsOf(f)
          .filter((s) => /discord/.test(s))
          .map((s) => `${relative(root, f)} imports ${s}`),
      ),
      ...sourceFiles(join(root, 'src/platforms/discord')).flatMap((f) =>
        importsOf(f)
          .filter((s) => /slack/.test(s))
          .map((s) => `${relative(root, f)} imports ${s}`),
      ),
    ];
    expect(crossings).toEqual([]);
  });
});
