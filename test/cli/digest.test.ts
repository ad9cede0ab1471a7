import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addInquiry } from '../helpers/digest-rows.ts';
import { tempDb } from '../helpers/temp-db.ts';
import { SHOP_LABELS, SHOP_REASONS } from '../helpers/label-set.ts';

const run = promisify(execFile);
const jst = (s: string) => Date.parse(`${s}+09:00`);

let t: ReturnType<typeof tempDb>;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  t = tempDb();
  addInquiry(t.db, { receivedAt: jst('2026-11-19T23:59:00'), reasonId: 'bug' }); // the day before
  addInquiry(t.db, {
    receivedAt: jst('2026-11-20T00:00:00'),
    reasonId: 'billing',
    firstResponseAt: jst('2026-11-20T00:45:00'),
  });
  addInquiry(t.db, { receivedAt: jst('2026-11-20T10:00:00'), reasonId: 'billing' });
  addInquiry(t.db, { receivedAt: jst('2026-11-20T23:30:00'), reasonId: 'bug' }); // 14:30 UTC, still the 20th in Tokyo
  addInquiry(t.db, { receivedAt: jst('2026-11-20T12:00:00'), reasonId: null });
  addInquiry(t.db, { receivedAt: jst('2026-11-21T00:00:00'), reasonId: 'bug' }); // the day after
  SHOP_LABELS.forEach((l, i) => {
    addInquiry(t.db, {
      receivedAt: jst('2026-10-01T00:00:00') + i,
      reasonId: l.reasonId,
      reasonSource: 'human',
      body: l.text,
    });
  });
  const config = join(t.dir, 'koe.config.yaml');
  writeFileSync(
    config,
    [
      'timezone: Asia/Tokyo',
      'locale: en',
      'extraReasons:',
      ...SHOP_REASONS.map((r) => `  - { id: ${r.id}, label: { ja: ${r.label.ja}, en: ${r.label.en} } }`),
      'digests:',
      '  - { name: morning, platform: console, channel: stdout, period: day }',
    ].join('\n'),
  );
  env = { ...process.env, DATABASE_URL: t.path, KOE_CONFIG: config, LOG_LEVEL: 'silent' };
});
afterAll(() => t.cleanup());

const koe = (...args: string[]) => run(process.execPath, ['bin/koe.js', ...args], { env, cwd: process.cwd() });
const koeFails = async (...args: string[]) => {
  try {
    await koe(...args);
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`koe ${args.join(' ')} succeeded`);
};

describe('koe digest', () => {
  it('prints the JST day as JSON with period, total and the reason tally', async () => {
    const { stdout } = await koe('digest', '--date', '2026-11-20', '--format', 'json');
    const digest = JSON.parse(stdout);
    expect(digest.period).toMatchObject({
      kind: 'day',
      start: '2026-11-20',
      end: '2026-11-20',
      timezone: 'Asia/Tokyo',
    });
    expect(digest.total).toBe(4);
    expect(digest.reasons.map((r: { id: string; label: string; count: number }) => [r.id, r.label, r.count])).toEqual([
      ['billing', 'Billing', 2],
      ['bug', 'Bug / outage', 1],
    ]);
    expect(digest.reasons[1]).toMatchObject({ previous: 1, change: 0 });
    expect(digest.unclassified.count).toBe(1);
    expect(digest.firstResponse).toMatchObject({ done: 1, medianMinutes: 45 });
  });

  it('prints a week as text by default', async () => {
    const { stdout } = await koe('digest', '--date', '2026-11-20', '--period', 'week');
    expect(stdout).toContain('Weekly digest · Mon, Nov 16 – Sun, Nov 22, 2026');
    expect(stdout).toContain('6 new inquiries'); // the 19th, four on the 20th, the 21st
    expect(stdout).toContain('inquiries/day on average');
  });

  it('queues the digest once with --post, and refuses a second post of the same period', async () => {
    const first = await koe('digest', '--date', '2026-11-20', '--post');
    expect(first.stdout).toMatch(/queued "morning" for the day starting 2026-11-20 as delivery \d+ to console:stdout/);
    const again = await koeFails('digest', '--date', '2026-11-20', '--post');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already posted');
    const rows = t.db.$client.prepare(`SELECT count(*) AS n FROM deliveries WHERE kind = 'digest'`).get() as {
      n: number;
    };
    expect(rows.n).toBe(1);
  });

  it('rejects a malformed date or period with exit code 2', async () => {
    expect((await koeFails('digest', '--date', '2026-02-30')).code).toBe(2);
    expect((await koeFails('digest', '--period', 'month')).code).toBe(2);
  });
});

describe('koe reasons', () => {
  it('lists reasons with their label counts', async () => {
    const { stdout } = await koe('reasons', 'list');
    expect(stdout).toMatch(/shipping\s+8\s+Shipping/);
    expect(stdout).toMatch(/billing\s+2\s+Billing/); // the digest rows above were labelled by people too
    expect(stdout).toMatch(/how_to\s+0\s+How to/);
  });

  it('reports held-out accuracy per reason and the coverage/accuracy trade-off', async () => {
    const { stdout } = await koe('reasons', 'eval', '--folds', '4', '--thresholds', '0.5,0.9');
    expect(stdout).toContain('4-fold cross-validation');
    expect(stdout).toMatch(/threshold\s+coverage\s+accuracy/);
    expect(stdout).toMatch(/0\.90\s+\d+\.\d%\s+\d+\.\d%/);
    expect(stdout).toMatch(/shipping\s+8\s/);
    expect(stdout).toContain('at the configured threshold 0.75');
  });
});
