// npm run bench:digest — how long the daily and weekly digests take on two years of history
// (1,000,000 inquiries with messages, events and reactions by default), against the plain SQL
// GROUP BY of the same day's tally, measured in the same run on the same file.
//
//   KOE_BENCH_INQUIRIES=100000  generate fewer inquiries (default 1,000,000)
//   KOE_BENCH_DB=/path/file.db  keep the generated file there and reuse it on the next run
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSlaSettings } from '../src/config/sla-schema.ts';
import { makeDigest } from '../src/core/digests/make-digest.ts';
import { digestPeriod, tallyDates } from '../src/core/digests/periods.ts';
import { DEFAULT_REASONS, type Reason } from '../src/core/reasons/taxonomy.ts';
import { localDaysRange } from '../src/lib/zoned-time.ts';
import { migrateDb, openDb, type Db } from '../src/storage/db.ts';
import { createDigestQueries, explainDigestQueries } from '../src/storage/digest-queries.ts';

const INQUIRIES = Number(process.env.KOE_BENCH_INQUIRIES ?? 1_000_000);
const KEEP = process.env.KOE_BENCH_DB;
const TZ = 'Asia/Tokyo';
/** The promises koe keeps without an `sla:` block: weekdays 09:00-18:00, 2h and 2d in business time. */
const DEFAULT_SLA = defaultSlaSettings(TZ);
const DAYS = 730;
const DIGEST_DAY = '2026-11-20';
const FLOOR_DAILY_MS = 100;
const FLOOR_TALLY_RATIO = 2;
const MIN = 60_000;
const HOUR = 60 * MIN;

// 40 reasons: the default 8 and 32 more, so the tally has a realistic number of groups.
const REASONS: Reason[] = [
  ...DEFAULT_REASONS,
  ...Array.from({ length: 32 }, (_, i) => ({
    id: `topic_${i + 1}`,
    label: { ja: `トピック${i + 1}`, en: `Topic ${i + 1}` },
    keywords: [],
    patterns: [],
  })),
];

/** A small fast PRNG (mulberry32) so every run generates the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function generate(db: Db, n: number): { rows: Record<string, number>; seconds: number } {
  const started = performance.now();
  const sqlite = db.$client;
  sqlite.pragma('synchronous = OFF'); // a bench file: speed over durability while filling it
  sqlite.pragma('cache_size = -262144'); // 256 MiB
  const random = prng(42);
  const end = localDaysRange(DIGEST_DAY, 1, TZ).endMs + 9 * HOUR; // "now": 09:00 the morning after
  const start = end - DAYS * 24 * HOUR;
  const customers = Math.max(1, Math.floor(n / 3)); // so customers come back
  const staff = Array.from({ length: 25 }, (_, i) => ({ id: `slack:U${1000 + i}`, name: `staff${i}` }));
  // Zipf-like weights: a few reasons dominate, as they do in real inboxes.
  const weights = REASONS.map((_, i) => 1 / (i + 1));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const pickReason = (): string | null => {
    if (random() < 0.08) return null; // unclassified
    let r = random() * totalWeight;
    for (let i = 0; i < REASONS.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return REASONS[i]!.id;
    }
    return REASONS[0]!.id;
  };

  const insCustomer = sqlite.prepare(`INSERT INTO customers (id, source, key, created_at) VALUES (?, 'web', ?, ?)`);
  const insInquiry = sqlite.prepare(
    `INSERT INTO inquiries (id, source, customer_id, subject, body, reason_id, reason_source, reason_confidence, status,
       assignee_id, assignee_name, received_at, first_response_at, resolved_at, created_at, updated_at)
     VALUES (?, 'web', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insMessage = sqlite.prepare(
    `INSERT INTO messages (inquiry_id, direction, body, author_id, author_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const insEvent = sqlite.prepare(
    `INSERT INTO events (inquiry_id, type, actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const insMirror = sqlite.prepare(
    `INSERT INTO mirrors (inquiry_id, destination, platform, channel, message_ref, created_at, updated_at)
     VALUES (?, 'team', 'slack', 'C0TEAM', ?, ?, ?)`,
  );
  const insReaction = sqlite.prepare(
    `INSERT INTO reactions (inquiry_id, mirror_id, platform, user_id, user_name, emoji, created_at) VALUES (?, ?, 'slack', ?, ?, ?, ?)`,
  );
  const counts = { customers: 0, inquiries: 0, messages: 0, events: 0, mirrors: 0, reactions: 0 };
  const BATCH = 20_000;

  sqlite.transaction(() => {
    for (let c = 1; c <= customers; c++) insCustomer.run(c, `cus_${c}`, start);
  })();
  counts.customers = customers;

  const emojis = ['eyes', 'raising_hand', 'white_check_mark', 'bug', 'bulb', 'pray'];
  for (let from = 0; from < n; from += BATCH) {
    sqlite.transaction(() => {
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        const id = i + 1;
        const receivedAt = Math.floor(start + ((i + random()) / n) * (end - start));
        const reasonId = pickReason();
        const source = reasonId === null ? null : random() < 0.3 ? 'human' : random() < 0.5 ? 'rule' : 'classifier';
        const age = end - receivedAt;
        const person = staff[Math.floor(random() * staff.length)]!;
        // Recent inquiries are still open or in hand; older ones were almost all answered and resolved.
        const replied = age > 6 * HOUR ? random() < 0.97 : random() < 0.4;
        const firstResponseAt = replied
          ? Math.min(end - 1, receivedAt + Math.floor(-Math.log(1 - random()) * 70 * MIN))
          : null;
        const resolved = age > 3 * 24 * HOUR ? random() < 0.98 : random() < 0.3;
        const resolvedAt = resolved
          ? Math.min(end - 1, (firstResponseAt ?? receivedAt) + Math.floor(random() * 20 * HOUR))
          : null;
        const claimed = !resolved && random() < 0.5;
        const status = resolved ? 'resolved' : claimed ? 'claimed' : 'open';
        const customerId = 1 + Math.floor(random() * customers);
        insInquiry.run(
          id,
          customerId,
          `Question ${id}`,
          `本文 ${id}: something about ${reasonId ?? 'things'}`,
          reasonId,
          source,
          source === 'classifier' ? 0.8 : null,
          status,
          status === 'open' ? null : person.id,
          status === 'open' ? null : person.name,
          receivedAt,
          firstResponseAt,
          resolvedAt,
          receivedAt,
          resolvedAt ?? receivedAt,
        );
        counts.inquiries++;
        insEvent.run(id, 'created', null, null, receivedAt);
        counts.events++;
        insMirror.run(
          id,
          `${Math.floor(receivedAt / 1000)}.${String(id % 1_000_000).padStart(6, '0')}`,
          receivedAt,
          receivedAt,
        );
        counts.mirrors++;
        if (random() < 0.3) {
          insMessage.run(id, 'inbound', 'follow-up', `customer:${customerId}`, null, receivedAt + 5 * MIN);
          insEvent.run(id, 'message', `customer:${customerId}`, null, receivedAt + 5 * MIN);
          counts.messages++;
          counts.events++;
        }
        if (status !== 'open' || replied) {
          insEvent.run(id, 'claimed', person.id, person.name, receivedAt + MIN);
          counts.events++;
        }
        if (firstResponseAt !== null) {
          insMessage.run(id, 'outbound', 'reply', person.id, person.name, firstResponseAt);
          insEvent.run(id, 'message', person.id, person.name, firstResponseAt);
          counts.messages++;
          counts.events++;
        }
        if (resolvedAt !== null) {
          insEvent.run(id, 'resolved', person.id, person.name, resolvedAt);
          counts.events++;
        }
        const reactions = random() < 0.4 ? 1 + Math.floor(random() * 3) : 0;
        for (let r = 0; r < reactions; r++) {
          const who = staff[(Math.floor(random() * staff.length) + r) % staff.length]!;
          insReaction.run(id, id, who.id, who.name, emojis[r % emojis.length], receivedAt + (r + 2) * MIN);
          counts.reactions++;
        }
      }
    })();
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.exec('ANALYZE');
  return { rows: counts, seconds: (performance.now() - started) / 1000 };
}

/** Median of `runs` timings of `fn`, in ms, after one warm-up call. */
function time(fn: () => unknown, runs = 15): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const dir = KEEP ? null : mkdtempSync(join(tmpdir(), 'koe-bench-digest-'));
const path = KEEP ?? join(dir!, 'bench.db');
const reuse = KEEP !== undefined && existsSync(KEEP);
const db = openDb(path);
migrateDb(db);
try {
  const existing = (db.$client.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n;
  console.log(`bench:digest — ${path}`);
  if (reuse && existing > 0) {
    db.$client.exec('ANALYZE');
    console.log(`reusing ${existing.toLocaleString('en-US')} inquiries already in the file`);
  } else {
    const { rows, seconds } = generate(db, INQUIRIES);
    const total = Object.values(rows).reduce((a, b) => a + b, 0);
    console.log(
      `generated ${Object.entries(rows)
        .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
        .join(', ')} over ${DAYS} days` +
        ` in ${seconds.toFixed(1)} s (${Math.round(total / seconds).toLocaleString('en-US')} rows/s)`,
    );
  }

  const inquiryCount = (db.$client.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number }).n;
  const queries = createDigestQueries(db);
  const nowMs = localDaysRange(DIGEST_DAY, 1, TZ).endMs + 9 * HOUR;
  const request = (kind: 'day' | 'week') => ({
    name: 'bench',
    kind,
    date: DIGEST_DAY,
    timezone: TZ,
    locale: 'ja' as const,
    reasons: REASONS,
    sla: DEFAULT_SLA,
    nowMs,
  });
  const day = localDaysRange(DIGEST_DAY, 1, TZ);
  const plainStmt = db.$client.prepare(
    'SELECT reason_id, count(*) AS n FROM inquiries WHERE received_at >= ? AND received_at < ? GROUP BY reason_id',
  );
  const plain = () => plainStmt.all(day.startMs, day.endMs);
  const tallyOfDay = () => queries.reasonTally(day);
  const dayPeriod = digestPeriod('day', DIGEST_DAY, TZ);
  const tallyWithComparisons = () => tallyDates(dayPeriod).map((d) => queries.reasonTally(localDaysRange(d, 1, TZ)));

  // Same answer first: the digest's tally must be the plain query's tally.
  const digest = makeDigest(queries, request('day'));
  const plainTotal = (plain() as { n: number }[]).reduce((a, r) => a + r.n, 0);
  if (plainTotal !== digest.total)
    throw new Error(`digest total ${digest.total} differs from the plain GROUP BY ${plainTotal}`);

  // Alternate the measurements so drift on a noisy machine hits all of them.
  const results = {
    plain: [] as number[],
    tally: [] as number[],
    tally8: [] as number[],
    daily: [] as number[],
    weekly: [] as number[],
  };
  for (let round = 0; round < 3; round++) {
    results.plain.push(time(plain, 50));
    results.tally.push(time(tallyOfDay, 50));
    results.tally8.push(time(tallyWithComparisons, 20));
    results.daily.push(time(() => makeDigest(queries, request('day')), 10));
    results.weekly.push(time(() => makeDigest(queries, request('week')), 5));
  }
  const best = (xs: number[]) => Math.min(...xs);
  const r = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, best(v)])) as Record<
    keyof typeof results,
    number
  >;
  const ratio = r.tally / r.plain;

  console.log(
    `\ndigest day ${DIGEST_DAY} (${TZ}): ${digest.total.toLocaleString('en-US')} inquiries, ${digest.reasons.length} reasons`,
  );
  console.log(`  plain GROUP BY of the day's tally          ${r.plain.toFixed(3).padStart(9)} ms`);
  console.log(
    `  digest's tally of the day (via the port)   ${r.tally.toFixed(3).padStart(9)} ms   ratio ${ratio.toFixed(2)}× (floor ≤ ${FLOOR_TALLY_RATIO}×)`,
  );
  console.log(
    `  digest's tally with its 7 comparison days  ${r.tally8.toFixed(3).padStart(9)} ms   (${(r.tally8 / r.plain).toFixed(1)}× the plain query; 8 days of rows)`,
  );
  console.log(
    `  daily digest, everything                   ${r.daily.toFixed(3).padStart(9)} ms   (floor < ${FLOOR_DAILY_MS} ms)`,
  );
  console.log(`  weekly digest, everything                  ${r.weekly.toFixed(3).padStart(9)} ms`);

  console.log('\nEXPLAIN QUERY PLAN of the digest queries:');
  for (const [name, plan] of Object.entries(explainDigestQueries(db))) {
    console.log(`  ${name}`);
    for (const line of plan) console.log(`    ${line}`);
  }

  const ok = r.daily < FLOOR_DAILY_MS && ratio <= FLOOR_TALLY_RATIO;
  console.log(
    `\n${ok ? 'PASS' : 'FAIL'}: daily digest ${r.daily.toFixed(1)} ms (< ${FLOOR_DAILY_MS} ms), tally ratio ${ratio.toFixed(2)}× (≤ ${FLOOR_TALLY_RATIO}×)` +
      ` on ${inquiryCount.toLocaleString('en-US')} inquiries`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  db.$client.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
