import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { createKoe, type Koe, type KoeOptions } from '../../src/wire.ts';
import { tempDir } from './temp-db.ts';

export const TEST_TOKEN = 'test-intake-token-0123456789';

/** A fetch Response whose JSON tests may read without casting. */
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };

/** The outbox of a koe under test: polled every 20 ms, retried after 50 ms up to 200 ms, so tests are quick. */
export const QUICK_OUTBOX: KoeOptions['outbox'] = { pollMs: 20, backoff: { baseMs: 50, capMs: 200 } };

export interface RunningKoe {
  koe: Koe;
  url: string;
  dir: string;
  /** Everything the console destination printed so far. */
  consoleText: () => string;
  /** fetch against koe with the intake token. */
  api: (path: string, init?: RequestInit & { json?: unknown }) => Promise<JsonResponse>;
  stop: () => Promise<void>;
}

/**
 * koe's config for a test whose data lives in `dir`: the SQLite file there, HTTP on 127.0.0.1:0,
 * no `.env`; `env` adds the intake token and whatever the test needs.
 */
export function loadTestConfig(dir: string, env: Record<string, string>) {
  return loadConfig({
    cwd: dir,
    dotenv: false,
    env: { DATABASE_URL: join(dir, 'koe.db'), PORT: '0', HOST: '127.0.0.1', ...env },
  });
}

/** Starts a real koe on 127.0.0.1:0 with a temp SQLite file and the given YAML config and env. */
export async function startKoe(
  yaml: string | null = null,
  env: Record<string, string> = {},
  options: Partial<KoeOptions> = {},
): Promise<RunningKoe> {
  const { dir, cleanup } = tempDir();
  if (yaml !== null) writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  const config = loadTestConfig(dir, { KOE_INTAKE_TOKEN: TEST_TOKEN, ...env });
  const out = new PassThrough();
  let printed = '';
  out.setEncoding('utf8');
  out.on('data', (d: string) => (printed += d));
  const koe = await createKoe(config, { log: silentLogger(), consoleOut: out, outbox: { pollMs: 20 }, ...options });
  const { port } = await koe.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    koe,
    url,
    dir,
    consoleText: () => printed,
    api: (path, init = {}) => {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${TEST_TOKEN}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    stop: async () => {
      await koe.stop();
      cleanup();
    },
  };
}
