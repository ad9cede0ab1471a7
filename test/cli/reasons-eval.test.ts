// `koe reasons eval` as a user runs it: a child process on a real SQLite file, or on a real JSON
// Lines file (--labels), printing per reason its labels, its mix-ups both ways and what to label next.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addInquiry } from '../helpers/digest-rows.ts';
import { runCli } from '../helpers/run-cli.ts';
import { tempDb } from '../helpers/temp-db.ts';

// Fruit is always fruit and vehicles vehicles, except one fruit text labeled vehicle, which every
// fold's model calls fruit (the same set as test/core/reasons/evaluate.test.ts, whose numbers are
// worked out by hand). `veg` is in the taxonomy with no label at all.
const fruit = [
  'apple banana',
  'banana cherry',
  'cherry apple',
  'apple apple banana',
  'banana banana',
  'cherry cherry apple',
  'apple cherry banana',
  'banana apple',
];
const vehicles = [
  'truck bicycle',
  'bicycle train',
  'train truck',
  'truck truck bicycle',
  'train train',
  'bicycle bicycle train',
  'truck train bicycle',
  'bicycle truck',
];
const labels = [
  ...fruit.map((text) => ({ text, reason: 'fruit' })),
  ...vehicles.map((text) => ({ text, reason: 'vehicle' })),
  { text: 'banana mango', reason: 'vehicle' },
];

let t: ReturnType<typeof tempDb>;
let env: Record<string, string>;
const koe = (...args: string[]) => runCli(args, { cwd: t.dir, env });
const file = (name: string, lines: string[]) => {
  writeFileSync(join(t.dir, name), lines.join('\n'));
  return name;
};

beforeAll(() => {
  t = tempDb();
  for (const [i, l] of labels.entries()) {
    addInquiry(t.db, {
      receivedAt: Date.parse('2026-10-01T00:00:00Z') + i,
      reasonId: l.reason,
      reasonSource: 'human',
      body: l.text,
    });
  }
  // A guess by a rule is not a label: it must not be counted.
  addInquiry(t.db, {
    receivedAt: Date.parse('2026-10-02T00:00:00Z'),
    reasonId: 'fruit',
    reasonSource: 'rule',
    body: 'truck',
  });
  writeFileSync(
    join(t.dir, 'koe.config.yaml'),
    [
      'locale: en',
      'reasons:',
      '  - { id: fruit, label: { ja: fruit, en: Fruit } }',
      '  - { id: vehicle, label: { ja: vehicle, en: Vehicle } }',
      '  - { id: veg, label: { ja: veg, en: Vegetables } }',
    ].join('\n'),
  );
  env = { DATABASE_URL: t.path, LOG_LEVEL: 'silent' };
});
afterAll(() => t.cleanup());

const EXPECTED_LINES = [
  /^ {2}fruit\s+8 labels, 8 right\s+← vehicle 1$/m,
  /^ {2}vehicle\s+9 labels, 8 right\s+→ fruit 1$/m,
  /^ {2}veg\s+0 labels\s+no labels yet: the classifier cannot name it$/m,
  // fruit: 1 mix-up over 8 labels outranks vehicle's 1 over 9.
  /^label more of these: fruit \(8 labels, 1 mix-up\), vehicle \(9 labels, 1 mix-up\), veg \(no labels yet\)\.$/m,
];

describe('koe reasons eval on the stored labels', () => {
  it('shows per reason its labels, what it is mistaken for and what is taken for it, and what to label next', async () => {
    const { code, stdout, stderr } = await koe('reasons', 'eval', '--folds', '4', '--seed', '3');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('17 labeled examples, 4-fold cross-validation');
    expect(stdout).toMatch(/^vehicle\s+9\s+100\.0%\s+88\.9%/m);
    expect(stdout).toContain('1 × vehicle → fruit');
    for (const line of EXPECTED_LINES) expect(stdout).toMatch(line);
    expect(stdout).toContain('labels are those set by people or given at intake');
  });

  it('carries the same in --format json', async () => {
    const { code, stdout } = await koe('reasons', 'eval', '--folds', '4', '--seed', '3', '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ labelsFrom: 'database', examples: 17, threshold: 0.75 });
    expect(report.mixUps.reasons).toEqual([
      {
        reasonId: 'fruit',
        labels: 8,
        correct: 8,
        missed: 0,
        taken: 1,
        mistakenFor: [],
        takenFrom: [{ reasonId: 'vehicle', count: 1 }],
      },
      { reasonId: 'veg', labels: 0, correct: 0, missed: 0, taken: 0, mistakenFor: [], takenFrom: [] },
      {
        reasonId: 'vehicle',
        labels: 9,
        correct: 8,
        missed: 1,
        taken: 0,
        mistakenFor: [{ reasonId: 'fruit', count: 1 }],
        takenFrom: [],
      },
    ]);
    expect(report.mixUps.labelMore).toEqual([
      { reasonId: 'fruit', labels: 8, mixUps: 1 },
      { reasonId: 'vehicle', labels: 9, mixUps: 1 },
    ]);
    expect(report.mixUps.unlabeled).toEqual(['veg']);
  });
});

describe('koe reasons eval --labels FILE', () => {
  it('measures a JSON Lines file as it measures the database, without touching the database', async () => {
    const name = file('labels.jsonl', [
      ...labels.map((l) => JSON.stringify(l)),
      '',
      // Other keys (the dev set's `also`, an export's id) are ignored.
      JSON.stringify({ text: 'cherry banana', reason: 'fruit', also: 'veg', id: 7 }),
    ]);
    const { code, stdout, stderr } = await runCli(
      ['reasons', 'eval', '--labels', name, '--folds', '4', '--seed', '3'],
      {
        cwd: t.dir,
        // A database path that does not exist: --labels must not need one.
        env: { DATABASE_URL: join(t.dir, 'missing', 'koe.db'), LOG_LEVEL: 'silent' },
      },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`labels from ${name}`);
    expect(stdout).toContain('18 labeled examples, 4-fold cross-validation');
    expect(stdout).toMatch(/^ {2}fruit\s+9 labels, 9 right\s+← vehicle 1$/m);
    expect(stdout).toMatch(/^ {2}vehicle\s+9 labels, 8 right\s+→ fruit 1$/m);
    expect(stdout).not.toContain('set by people');
  });

  it('reports the Japanese development set per reason', async () => {
    const dev = join(import.meta.dirname, '../fixtures/reasons-dev-ja.jsonl');
    writeFileSync(join(t.dir, 'default.yaml'), 'locale: ja\n');
    const { code, stdout, stderr } = await runCli(
      ['reasons', 'eval', '--labels', dev, '--folds', '3', '--format', 'json'],
      { cwd: t.dir, env: { KOE_CONFIG: 'default.yaml', DATABASE_URL: t.path, LOG_LEVEL: 'silent' } },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.labelsFrom).toBe(dev);
    expect(report.examples).toBe(240);
    expect(report.mixUps.reasons.map((r: { labels: number }) => r.labels)).toEqual(Array(8).fill(30));
    // Every mistake is counted once as missed (its own reason) and at most once as taken (another's).
    const missed = report.mixUps.reasons.reduce((n: number, r: { missed: number }) => n + r.missed, 0);
    expect(missed).toBe(240 - Math.round(report.accuracy * 240));
    expect(report.mixUps.labelMore.length).toBeGreaterThan(0);
  }, 120_000);

  const refusals: [string, string[], RegExp][] = [
    [
      'a line that is not JSON',
      ['{"text": "apple", "reason": "fruit"}', '{"text": "apple", reason: fruit}'],
      /^koe reasons eval: bad\.jsonl line 2 is not JSON; write each line as \{"text": "the inquiry", "reason": "<reason id>"\}, one object per line\.$/,
    ],
    [
      'a line without a reason',
      ['{"text": "apple", "reason": "fruit"}', '', '{"text": "apple"}'],
      /^koe reasons eval: bad\.jsonl line 3: reason: expected string, got nothing; write each line as \{"text": "the inquiry", "reason": "<reason id>"\}\.$/,
    ],
    [
      'a line with empty text',
      ['{"text": "  ", "reason": "fruit"}'],
      /^koe reasons eval: bad\.jsonl line 1: text: expected the inquiry’s text, got ""; write each line as/,
    ],
    [
      'a reason the taxonomy lacks',
      ['{"text": "apple", "reason": "fruits"}'],
      /^koe reasons eval: bad\.jsonl line 1: "fruits" is not one of your reasons; did you mean "fruit", or add it to extraReasons in koe\.config\.yaml\.$/,
    ],
    ['a file with no labels', ['', '  '], /^koe reasons eval: bad\.jsonl holds no labels; write each line as/],
  ];
  for (const [what, lines, sentence] of refusals) {
    it(`refuses ${what} in one sentence naming the line and the fix`, async () => {
      file('bad.jsonl', lines);
      const { code, stdout, stderr } = await koe('reasons', 'eval', '--labels', 'bad.jsonl');
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(sentence);
    });
  }

  it('refuses a file that is not there, and lists the reasons when no id is close', async () => {
    const missing = await koe('reasons', 'eval', '--labels', 'nope.jsonl');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'koe reasons eval: cannot read nope.jsonl (there is no such file); pass a JSON Lines file of labels, one per line.',
    );
    file('bad.jsonl', ['{"text": "apple", "reason": "spaceship"}']);
    const unknown = await koe('reasons', 'eval', '--labels', 'bad.jsonl');
    expect(unknown.stderr.trim()).toBe(
      'koe reasons eval: bad.jsonl line 1: "spaceship" is not one of your reasons; use one of fruit, vehicle, veg, or add it to extraReasons in koe.config.yaml.',
    );
  });

  it('says how many labels the file has when there are fewer than folds', async () => {
    file('few.jsonl', ['{"text": "apple", "reason": "fruit"}', '{"text": "truck", "reason": "vehicle"}']);
    const { code, stderr } = await koe('reasons', 'eval', '--labels', 'few.jsonl');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'koe reasons eval: 2 labels in few.jsonl; at least 5 are needed for 5-fold cross-validation',
    );
  });
});
