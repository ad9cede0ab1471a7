// The servers bench/intake.ts compares, each run in its own child process:
//   baseline:    bare node:http + JSON.parse + one prepared better-sqlite3 insert per request
//   koe-slack:   the real koe (createKoe) as deployed: auth, zod validation, the create-inquiry
//                transaction with its event and outbox rows, mirrored to a Slack channel (a fake Slack
//                Web API in this process, through the real Bolt client) at Slack's pace of ~1 post/s
//   koe-console: the real koe with the default config: every mirror rendered and printed (to a
//                sink) by the outbox worker as fast as inquiries arrive, in the same process
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.ts';
import { silentLogger } from '../src/lib/logger.ts';
import { openDb } from '../src/storage/db.ts';
import { createKoe } from '../src/wire.ts';

const [mode, dir, token] = process.argv.slice(-3);

if (mode === 'baseline') {
  // Same file pragmas as koe (openDb), so the comparison is of the code path, not of durability.
  const sqlite = openDb(join(dir!, 'baseline.db')).$client;
  sqlite.exec(
    'CREATE TABLE IF NOT EXISTS inquiries (id INTEGER PRIMARY KEY, source TEXT, body TEXT, received_at INTEGER)',
  );
  const insert = sqlite.prepare('INSERT INTO inquiries (source, body, received_at) VALUES (?, ?, ?)');
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const json = JSON.parse(body) as { source: string; body: string };
      const { lastInsertRowid } = insert.run(json.source, json.body, Date.now());
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: Number(lastInsertRowid) }));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
} else {
  const env: Record<string, string> = {
    DATABASE_URL: join(dir!, 'koe.db'),
    PORT: '0',
    HOST: '127.0.0.1',
    KOE_INTAKE_TOKEN: token!,
    LOG_LEVEL: 'silent',
  };
  let yaml = process.env.KOE_BENCH_YAML;
  if (mode === 'koe-slack') {
    const { startFakeSlack } = await import('../test/fakes/slack/fake-slack.ts');
    const slack = await startFakeSlack();
    Object.assign(env, {
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789abcdef',
      SLACK_API_URL: slack.apiUrl,
    });
    yaml ??= 'destinations:\n  - name: support\n    platform: slack\n    channel: C0SUPPORT\n';
  }
  if (yaml) writeFileSync(join(dir!, 'koe.config.yaml'), yaml);
  const config = loadConfig({ cwd: dir!, dotenv: false, env });
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const koe = await createKoe(config, { log: silentLogger(), consoleOut: sink });
  const { port } = await koe.start();
  process.stdout.write(`${port}\n`);
}
