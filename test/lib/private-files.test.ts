import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateDir } from '../../src/lib/private-files.ts';
import { tempDir } from '../helpers/temp-db.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const modeOf = (path: string) => statSync(path).mode & 0o777;

function recorder() {
  const lines: Array<{ obj: Record<string, unknown>; msg: string }> = [];
  return { lines, log: { warn: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) } as never };
}

describe('the directory of koe’s files', () => {
  it('is tightened to 0700 when it holds only koe’s own files, with one warning naming it', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'koe.db'), '');
    chmodSync(dir, 0o755);
    const { lines, log } = recorder();
    privateDir(dir, (name) => name === 'koe.db', log);
    expect(modeOf(dir)).toBe(0o700);
    expect(lines.map((l) => l.obj)).toEqual([{ path: dir, was: '0755', now: '0700' }]);
  });

  it('keeps its mode when it holds other files too (the working directory, /tmp), and says so', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(join(t.dir, 'koe.db'), '');
    writeFileSync(join(t.dir, 'notes.txt'), '');
    chmodSync(t.dir, 0o755);
    const { lines, log } = recorder();
    privateDir(t.dir, (name) => name === 'koe.db', log);
    expect(modeOf(t.dir)).toBe(0o755);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({ path: t.dir, mode: '0755' });
  });

  it('is created 0700 with its parents', () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dir = join(t.dir, 'a', 'b');
    privateDir(dir, () => true, undefined);
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(join(t.dir, 'a'))).toBe(0o700);
  });
});
