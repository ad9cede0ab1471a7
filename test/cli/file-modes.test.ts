import { once } from 'node:events';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveIntakeToken } from '../../src/intake/http/intake-token.ts';
import { startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * koe's files hold customer data and the intake token: under the usual umask 022 they must still be
 * readable by their owner only (files 0600, the data directory 0700), and a start on files left
 * looser (an older koe, a copy, a restore) tightens them and says so.
 */

let previousUmask: number;
beforeAll(() => {
  previousUmask = process.umask(0o022); // what most systems give: new files 0644 unless koe says otherwise
});
afterAll(() => {
  process.umask(previousUmask);
});

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const modeOf = (path: string) => statSync(path).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(4, '0');

type Koe = ReturnType<typeof startCli>;

async function start(dir: string): Promise<{ koe: Koe; port: number }> {
  const koe = startCli({ cwd: dir, env: { PORT: '0', HOST: '127.0.0.1' } });
  await waitFor(() => koe.output().includes('koe is listening') || koe.child.exitCode !== null, 20_000, 'koe');
  if (!koe.output().includes('koe is listening')) throw new Error(koe.output());
  return { koe, port: Number(/"port":(\d+)/.exec(koe.output())?.[1]) };
}

async function inquiry(port: number, token: string, body: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/inquiries`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'web', body }),
  });
  return res.status;
}

describe('the files koe keeps', () => {
  it('are its owner’s only after a first start, and a start tightens looser ones, one log line each', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const data = join(t.dir, 'data');
    const files = ['koe.db', 'koe.db-wal', 'koe.db-shm', 'intake-token'].map((f) => join(data, f));

    const first = await start(t.dir);
    const token = readFileSync(join(data, 'intake-token'), 'utf8').trim();
    expect(await inquiry(first.port, token, 'first start')).toBe(201);
    await waitFor(() => first.koe.output().includes('── koe #1'), 10_000, 'the mirror');
    expect(Object.fromEntries(files.map((f) => [f, octal(modeOf(f))]))).toEqual(
      Object.fromEntries(files.map((f) => [f, '0600'])),
    );
    expect(octal(modeOf(data))).toBe('0700');
    expect(first.koe.output()).not.toContain('tightened');
    // Killed, so the WAL and shared-memory files stay behind for the next start.
    first.koe.child.kill('SIGKILL');
    await once(first.koe.child, 'exit');

    // As an older koe (or a copy under umask 022) left them.
    for (const f of files) {
      expect(existsSync(f), f).toBe(true);
      chmodSync(f, 0o644);
    }
    chmodSync(data, 0o755);
    const second = await start(t.dir);
    try {
      expect(Object.fromEntries(files.map((f) => [f, octal(modeOf(f))]))).toEqual(
        Object.fromEntries(files.map((f) => [f, '0600'])),
      );
      expect(octal(modeOf(data))).toBe('0700');
      const lines = second.koe
        .output()
        .split('\n')
        .filter((l) => l.includes('tightened'))
        .map((l) => JSON.parse(l) as { level: number; path: string; was: string });
      expect(lines.map((l) => [l.path, l.was]).sort()).toEqual(
        [...files, data].map((f) => [f, f === data ? '0755' : '0644']).sort(),
      );
      expect(lines.every((l) => l.level === 40)).toBe(true);
      // The same token still works: koe tightened the file, it did not replace the token.
      expect(readFileSync(join(data, 'intake-token'), 'utf8').trim()).toBe(token);
      expect(await inquiry(second.port, token, 'second start')).toBe(201);
    } finally {
      second.koe.child.kill('SIGTERM');
      await once(second.koe.child, 'exit');
    }
  }, 60_000);

  it('writes a new token into an empty, world-readable token file as a file of its own, 0600', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'intake-token');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const { token } = resolveIntakeToken(undefined, file);
    expect(octal(modeOf(file))).toBe('0600');
    expect(readFileSync(file, 'utf8').trim()).toBe(token.reveal());
  });
});
