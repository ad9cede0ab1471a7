// `npm run test:mutation [-- group … --option …]`: runs Stryker once per group (all groups by default),
// each incremental and given the options (`--concurrency 1`, `--force`), then prints each group's
// mutation score, the total, and every mutant that survived, with the reason beside those judged
// equivalent or not worth a test (.stryker/judged.json).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { MUTATION_GROUPS } from './mutation-groups.mjs';

// Group names first; from the first argument that starts with "-", the rest goes to `stryker run`.
const firstOption = process.argv.slice(2).findIndex((a) => a.startsWith('-'));
const asked = firstOption === -1 ? process.argv.slice(2) : process.argv.slice(2, 2 + firstOption);
const strykerOptions = firstOption === -1 ? [] : process.argv.slice(2 + firstOption);
const unknown = asked.filter((g) => !(g in MUTATION_GROUPS));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}; groups: ${Object.keys(MUTATION_GROUPS).join(', ')}`);
  process.exit(2);
}
const groups = asked.length > 0 ? asked : Object.keys(MUTATION_GROUPS);
// Judged survivors: .stryker/judged.json, and one .stryker/judged-<group>.json per group so that
// groups worked on side by side do not edit one file.
const judgedFiles = ['judged.json', ...readdirSync('.stryker').filter((f) => /^judged-.+\.json$/.test(f))];
const judged = judgedFiles
  .map((f) => `.stryker/${f}`)
  .filter((f) => existsSync(f))
  .flatMap((f) => JSON.parse(readFileSync(f, 'utf8')));

for (const group of groups) {
  console.log(`\n== mutation group ${group}`);
  const run = spawnSync('npx', ['stryker', 'run', ...strykerOptions], {
    stdio: 'inherit',
    env: { ...process.env, KOE_MUTATION_GROUP: group },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
let detected = 0;
let undetected = 0;
const survivors = [];
console.log('\ngroup        score   killed  survived');
for (const group of Object.keys(MUTATION_GROUPS)) {
  const path = `reports/mutation/${group}.json`;
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  let d = 0;
  let u = 0;
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (DETECTED.has(m.status)) d++;
      if (!UNDETECTED.has(m.status)) continue;
      u++;
      const line = m.location.start.line;
      const why = judged.find((j) => j.file === file && j.line === line && j.mutator === m.mutatorName)?.reason;
      survivors.push(
        `${file}:${line} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}${why ? `  — ${why}` : ''}`,
      );
    }
  }
  detected += d;
  undetected += u;
  const score = d + u === 0 ? 100 : (100 * d) / (d + u);
  console.log(
    `${group.padEnd(12)} ${score.toFixed(1).padStart(5)} %  ${String(d).padStart(6)}  ${String(u).padStart(8)}`,
  );
}
const total = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
console.log(
  `${'all'.padEnd(12)} ${total.toFixed(1).padStart(5)} %  ${String(detected).padStart(6)}  ${String(undetected).padStart(8)}`,
);
if (survivors.length > 0) console.log(`\nsurviving mutants (${survivors.length}):\n${survivors.join('\n')}`);
