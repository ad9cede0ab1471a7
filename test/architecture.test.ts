import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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
        .filter(
          (spec) => forbidden.test(spec) || /\/(platforms|storage|intake|outbox|scheduler|cli|config)\//.test(spec),
        )
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

/** The top-level folder (or file) under src/ that a relative import from `file` lands in. */
function folderOf(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const target = relative(join(root, 'src'), join(file, '..', spec));
  if (target.startsWith('..')) return null;
  return target.split(/[\\/]/)[0] ?? null;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(join(root, 'src'))) {
    const from = relative(join(root, 'src'), file).split(/[\\/]/)[0]!;
    for (const spec of importsOf(file)) {
      const to = folderOf(file, spec);
      if (to && to !== from) graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
  }
  return graph;
}

/** Every cycle among folders, each as `a → b → a`, found by a depth-first walk from each folder. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found = new Set<string>();
  const walk = (path: string[]) => {
    for (const next of graph.get(path[path.length - 1]!) ?? []) {
      if (next === path[0]) found.add([...path, next].join(' → '));
      else if (!path.includes(next) && next > path[0]!) walk([...path, next]);
    }
  };
  for (const start of graph.keys()) walk([start]);
  return [...found];
}

describe('the database behind ports', () => {
  it('keeps platform adapters and the CLI off the database: no storage internals, drizzle or better-sqlite3', () => {
    const forbidden = /^(drizzle-orm|better-sqlite3)/;
    const leaks = ['src/platforms', 'src/cli'].flatMap((dir) =>
      sourceFiles(join(root, dir)).flatMap((file) =>
        importsOf(file)
          .filter((spec) => forbidden.test(spec) || (/\/storage\//.test(spec) && !spec.endsWith('/storage/index.ts')))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      ),
    );
    expect(leaks).toEqual([]);
  });

  it('has no cycles among the folders of src/', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });
});

describe('words in one place', () => {
  it('keeps Japanese in src/platforms to the words files and digest-words.ts (comment lines aside)', () => {
    const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
    const allowed = [join(root, 'src/platforms/words'), join(root, 'src/platforms/digest-words.ts')];
    const scattered = sourceFiles(join(root, 'src/platforms'))
      .filter((file) => !allowed.some((a) => file === a || file.startsWith(`${a}${sep}`)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line: line.trimStart(), at: `${relative(root, file)}:${i + 1}` })),
      )
      .filter(({ line }) => !line.startsWith('//') && !line.startsWith('*') && !line.startsWith('/*'))
      .filter(({ line }) => JAPANESE.test(line))
      .map(({ at, line }) => `${at}: ${line}`);
    expect(scattered).toEqual([]);
  });
});
