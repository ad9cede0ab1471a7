// npm run bench:sla — due times for 1,000,000 inquiries received across a year of Japanese holidays
// (2026: 振替休日, 国民の休日, a 年末年始 closure), on the default promise (weekdays 09:00-18:00 with
// a lunch break, 2h to a first reply, 2d to resolution), as a ratio to a plain `Date` add loop of the
// same instants in the same run. The goal: computing due times never shows in an intake profile.
//
//   KOE_BENCH_INQUIRIES=100000  fewer inquiries (default 1,000,000)
//   KOE_BENCH_ROUNDS=5          rounds of each loop, alternated so drift hits both (default 3)
import { createSlaPolicy } from '../src/core/sla/policy.ts';
import { inquirySla } from '../src/core/sla/inquiry-sla.ts';
import { slaFileSchema, slaSettingsOf } from '../src/config/sla-schema.ts';

const N = Number(process.env.KOE_BENCH_INQUIRIES ?? 1_000_000);
const ROUNDS = Number(process.env.KOE_BENCH_ROUNDS ?? 3);
const HOUR_MS = 3_600_000;
const YEAR_START = Date.parse('2026-01-01T00:00:00+09:00');
const YEAR_MS = Date.parse('2027-01-01T00:00:00+09:00') - YEAR_START;

const settings = slaSettingsOf(
  slaFileSchema.parse({
    businessHours: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-12:00', '13:00-18:00']]),
    ),
    closures: ['2026-12-29..2027-01-04', '2026-08-13..2026-08-16'],
  }),
  'Asia/Tokyo',
);

// Receipt times spread over the year by a fixed-step walk (no RNG in the timed loops).
const received = new Float64Array(N);
for (let i = 0; i < N; i++) received[i] = YEAR_START + ((i * 7_919_993_311) % YEAR_MS);

/** The baseline: wall-clock due times, `new Date(t + 2h)` and `new Date(t + 2 days)`. */
function plainLoop(): number {
  let sink = 0;
  for (let i = 0; i < N; i++) {
    const t = received[i]!;
    sink += new Date(t + 2 * HOUR_MS).getTime() + new Date(t + 48 * HOUR_MS).getTime();
  }
  return sink;
}

/** koe: both due times of each inquiry on the business clock, as the API and the digest compute them. */
function koeLoop(policy: ReturnType<typeof createSlaPolicy>): number {
  let sink = 0;
  const row = { receivedAt: 0, firstResponseAt: null, resolvedAt: null, reasonId: null };
  for (let i = 0; i < N; i++) {
    row.receivedAt = received[i]!;
    const sla = inquirySla(policy, row, row.receivedAt);
    sink += sla.firstResponseDueAt + sla.resolutionDueAt;
  }
  return sink;
}

function time(fn: () => number): number {
  const start = process.hrtime.bigint();
  const sink = fn();
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the loop from being optimised away');
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const layoutStart = process.hrtime.bigint();
const policy = createSlaPolicy(settings);
policy.clock.add(YEAR_START, settings.firstResponse); // lays out 2026: the one-off cost per process
const layoutMs = Number(process.hrtime.bigint() - layoutStart) / 1e6;

time(plainLoop); // warm-up, both
time(() => koeLoop(policy));
const plain: number[] = [];
const koe: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  plain.push(time(plainLoop));
  koe.push(time(() => koeLoop(policy)));
}
const best = (xs: number[]) => Math.min(...xs);
const perDue = (ms: number) => ((ms * 1e6) / (2 * N)).toFixed(0);

console.log(`due times for ${N.toLocaleString('en-US')} inquiries (2 each), best of ${ROUNDS} rounds`);
console.log(`  plain Date add loop     ${best(plain).toFixed(1)} ms  (${perDue(best(plain))} ns per due time)`);
console.log(`  koe business clock      ${best(koe).toFixed(1)} ms  (${perDue(best(koe))} ns per due time)`);
console.log(`  ratio koe / plain       ${(best(koe) / best(plain)).toFixed(1)}×`);
console.log(`  calendar layout, once   ${layoutMs.toFixed(1)} ms  (the year 2026, first use in a process)`);
