import { once } from 'node:events';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('koe start, as a fresh clone runs it', () => {
  it('starts with no config, generates an intake token file, mirrors a curl-style inquiry to the terminal, and stops on SIGTERM', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const koe = startCli({ cwd: t.dir, env: { PORT: '0', HOST: '127.0.0.1' } });
    try {
      await waitFor(() => koe.output().includes('koe is listening'), 20_000, 'koe listening');
      const port = Number(/"port":(\d+)/.exec(koe.output())?.[1]);
      const tokenFile = join(t.dir, 'data/intake-token');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(koe.output()).not.toContain(token);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/inquiries`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          source: 'web',
          body: '領収書をダウンロードできません',
          customer: { name: '山田 太郎' },
        }),
      });
      expect(res.status).toBe(201);
      await waitFor(() => koe.output().includes('── koe #1'), 10_000, 'console mirror');
      expect(koe.output()).toContain('[請求・支払い] 未対応');
    } finally {
      koe.child.kill('SIGTERM');
    }
    const [code] = await once(koe.child, 'exit');
    expect(code).toBe(0);
  }, 40_000);

  it('exits 78 listing every config problem, without starting', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      'locale: fr\ndestinations:\n  - { name: a, platform: teams, channel: x }\n',
    );
    const result = await runCli(['start'], { cwd: t.dir, env: { PORT: '0' } });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('locale: expected "ja" | "en", got "fr"');
    expect(result.stderr).toContain('destinations[0].platform: expected "slack" | "discord" | "console", got "teams"');
  }, 30_000);
});
