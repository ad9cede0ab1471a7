// npm run bench:intake — koe's intake throughput and latency against a bare baseline, measured in
// the same run, alternating baseline and koe so drift on a noisy machine hits both.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, type LoadResult } from './load.ts';

const CONNECTIONS = Number(process.env.KOE_BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.KOE_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.KOE_BENCH_ROUNDS ?? 3);
const TOKEN = 'bench-token-0123456789abcdef';

const body = (i: number) =>
  JSON.stringify({
    source: 'web',
    externalId: `bench-${process.pid}-${i}`,
    customer: { id: `cus_${i % 500}`, name: '山田 太郎', email: `user${i % 500}@example.com` },
    subject: '請求書について',
    body: `先月の請求書がまだ届いていません。確認をお願いします。 (#${i}) The invoice for last month has not arrived yet.`,
  });

type Mode = 'baseline' | 'koe-slack' | 'koe-console';

async function measure(mode: Mode): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), `koe-bench-${mode}-`));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'intake-servers.ts'), mode, dir, TOKEN],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
      child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    });
    return await runLoad({
      url: `http://127.0.0.1:${port}/api/v1/inquiries`,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: 1,
      headers: { authorization: `Bearer ${TOKEN}` },
      body,
    });
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (r: LoadResult) =>
  `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms  (${r.requests} requests, ${r.errors} errors, statuses ${JSON.stringify(r.statuses)})`;

console.log(`bench:intake — ${CONNECTIONS} keep-alive connections, ${SECONDS} s per run, ${ROUNDS} rounds`);
const modes: Mode[] = ['baseline', 'koe-slack', 'koe-console'];
const results = new Map<Mode, LoadResult[]>(modes.map((m) => [m, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const mode of modes) {
    const r = await measure(mode);
    console.log(`  round ${round} ${mode.padEnd(11)} ${fmt(r)}`);
    results.get(mode)!.push(r);
  }
}
const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
const b = best(results.get('baseline')!);
const k = best(results.get('koe-slack')!);
const c = best(results.get('koe-console')!);
const worstP99 = (rs: LoadResult[]) => Math.max(...rs.map((r) => r.p99Ms));
console.log('');
console.log(`baseline    (node:http + JSON.parse + one prepared insert):          ${fmt(b)}`);
console.log(`koe-slack   (auth + zod + transaction + event + outbox, Slack-paced): ${fmt(k)}`);
console.log(`koe-console (the same, every mirror printed as it arrives):          ${fmt(c)}`);
console.log(
  `ratio koe-slack/baseline requests per second: ${(k.rps / b.rps).toFixed(2)} (floor 0.70; best run of each)`,
);
// Each round runs the three back to back, so a round's ratio cancels slower drift of the machine.
const perRound = (mode: Mode) => results.get(mode)!.map((r, i) => r.rps / results.get('baseline')![i]!.rps);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
console.log(
  `  per round: koe-slack ${perRound('koe-slack')
    .map((x) => x.toFixed(2))
    .join(', ')} (median ${median(perRound('koe-slack')).toFixed(2)}); ` +
    `koe-console ${perRound('koe-console')
      .map((x) => x.toFixed(2))
      .join(', ')}`,
);
console.log(`ratio koe-console/baseline requests per second: ${(c.rps / b.rps).toFixed(2)} (reported, no floor)`);
console.log(
  `koe-slack p99 worst of ${ROUNDS} rounds: ${worstP99(results.get('koe-slack')!).toFixed(2)} ms (floor: under 20 ms)`,
);
console.log(`koe-console p99 worst of ${ROUNDS} rounds: ${worstP99(results.get('koe-console')!).toFixed(2)} ms`);
const ok =
  k.rps / b.rps >= 0.7 &&
  worstP99(results.get('koe-slack')!) < 20 &&
  [...results.get('koe-slack')!, ...results.get('koe-console')!].every((r) => r.errors === 0);
console.log(ok ? 'PASS' : 'FAIL');
process.exitCode = ok ? 0 : 1;
