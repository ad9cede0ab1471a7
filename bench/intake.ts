// npm run bench:intake — koe's intake throughput and latency against a bare baseline, measured in
// the same run, alternating baseline and koe so drift on a noisy machine hits both.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoad, type LoadResult } from './load.ts';

const CONNECTIONS = Number(process.env.KOE_BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.KOE_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.KOE_BENCH_ROUNDS ?? 2);
const TOKEN = 'bench-token-0123456789abcdef';

const body = (i: number) =>
  JSON.stringify({
    source: 'web',
    externalId: `bench-${process.pid}-${i}`,
    customer: { id: `cus_${i % 500}`, name: '山田 太郎', email: `user${i % 500}@example.com` },
    subject: '請求書について',
    body: `先月の請求書がまだ届いていません。確認をお願いします。 (#${i}) The invoice for last month has not arrived yet.`,
  });

async function measure(mode: 'baseline' | 'koe'): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), `koe-bench-${mode}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'intake-servers.ts'), mode, dir, TOKEN], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
const baseline: LoadResult[] = [];
const koe: LoadResult[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const b = await measure('baseline');
  console.log(`  round ${round} baseline ${fmt(b)}`);
  const k = await measure('koe');
  console.log(`  round ${round} koe      ${fmt(k)}`);
  baseline.push(b);
  koe.push(k);
}
const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
const b = best(baseline);
const k = best(koe);
const ratio = k.rps / b.rps;
const worstKoeP99 = Math.max(...koe.map((r) => r.p99Ms));
console.log('');
console.log(`baseline (node:http + JSON.parse + one prepared insert): ${fmt(b)}`);
console.log(`koe      (auth + zod + transaction + event + outbox):   ${fmt(k)}`);
console.log(`ratio koe/baseline requests per second: ${ratio.toFixed(2)} (floor 0.70)`);
console.log(`koe p99 worst of ${ROUNDS} rounds: ${worstKoeP99.toFixed(2)} ms (floor: under 20 ms)`);
const ok = ratio >= 0.7 && worstKoeP99 < 20 && koe.every((r) => r.errors === 0);
console.log(ok ? 'PASS' : 'FAIL');
process.exitCode = ok ? 0 : 1;
