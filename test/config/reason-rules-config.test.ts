// Weighted rules and priority in koe.config.yaml: for a team's own reasons (`reasons`,
// `extraReasons`), and for a default reason tuned in place (`reasonRules.<id>`), loaded as koe
// loads them and then used as koe uses them (compileRules).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/core/reasons/rules.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { configFiles } from '../helpers/config-files.ts';

const { load, problems } = configFiles();
const guess = (yaml: string, text: string) => compileRules(load(yaml).reasons)(text)?.reasonId ?? null;

describe('weighted rules and priority for a team’s own reasons', () => {
  it('splits refunds out of billing: the same decisive word, and the higher priority answers', () => {
    const yaml = `extraReasons:
  - id: refunds
    label: { ja: 返金, en: Refunds }
    rules:
      - { pattern: "返金", weight: 4 }
      - { pattern: "(?<![a-z])refund", weight: 4 }
    priority: 5
`;
    const config = load(yaml);
    expect(config.reasons.find((r) => r.id === 'refunds')).toEqual({
      id: 'refunds',
      label: { ja: '返金', en: 'Refunds' },
      keywords: [],
      patterns: [],
      rules: [
        { pattern: '返金', weight: 4 },
        { pattern: '(?<![a-z])refund', weight: 4 },
      ],
      priority: 5,
    });
    // billing's own 返金 weighs 4 too: a tie that refunds (5) wins over billing (2).
    expect(guess(yaml, '返金をお願いします')).toBe('refunds');
    // Without the priority the tie goes to billing, the higher of the two.
    expect(guess(yaml.replace('    priority: 5\n', ''), '返金をお願いします')).toBe('billing');
  });

  it('adds up weights, so two hints answer where one does not', () => {
    const yaml = `reasons:
  - id: shipping
    label: { ja: 配送, en: Shipping }
    rules: [{ pattern: "届", weight: 1 }, { pattern: "まだ", weight: 1 }]
  - id: other
    label: { ja: その他, en: Other }
`;
    expect(guess(yaml, 'まだ届きません')).toBe('shipping');
    expect(guess(yaml, '届きました')).toBeNull();
  });
});

describe('reasonRules: tuning a reason without copying it', () => {
  it('adds rules, keywords and patterns to a default reason and keeps its own', () => {
    const config = load(`reasonRules:
  cancellation:
    keywords: [契約終了]
    patterns: ["利用を(?:やめ|止め)"]
    rules: [{ pattern: "(?<![a-z])close (?:my|our) account", weight: 4 }]
`);
    const cancellation = config.reasons.find((r) => r.id === 'cancellation')!;
    const defaults = DEFAULT_REASONS.find((r) => r.id === 'cancellation')!;
    expect(cancellation.keywords).toEqual(['契約終了']);
    expect(cancellation.patterns).toEqual(['利用を(?:やめ|止め)']);
    expect(cancellation.rules).toEqual([
      ...defaults.rules!,
      { pattern: '(?<![a-z])close (?:my|our) account', weight: 4 },
    ]);
    expect(cancellation.priority).toBe(3);
    expect(config.reasons.map((r) => r.id)).toEqual(DEFAULT_REASONS.map((r) => r.id));
    // The default taxonomy itself is untouched, for the next config loaded in this process.
    expect(defaults.keywords).toEqual([]);
    const rules = compileRules(config.reasons);
    expect(rules('来月で契約終了としたいです')?.reasonId).toBe('cancellation');
    expect(rules('Please close my account at the end of the month')?.reasonId).toBe('cancellation');
  });

  it('changes the weight of a default rule given with the same pattern, and the priority', () => {
    // The default pricing_plan rule `プラン` is clear (2): alone it answers, weakly.
    expect(guess('', 'プランについて相談です')).toBe('pricing_plan');
    const yaml = `reasonRules:
  pricing_plan:
    rules: [{ pattern: "プラン", weight: 1 }]
`;
    const plan = load(yaml).reasons.find((r) => r.id === 'pricing_plan')!;
    expect(plan.rules!.filter((r) => r.pattern === 'プラン')).toEqual([{ pattern: 'プラン', weight: 1 }]);
    expect(plan.rules).toHaveLength(DEFAULT_REASONS.find((r) => r.id === 'pricing_plan')!.rules!.length);
    expect(guess(yaml, 'プランについて相談です')).toBeNull();

    // 解約 (cancellation, priority 3) and 領収書 (billing, 2) are both decisive: cancellation wins the tie,
    // unless a team ranks billing higher.
    const text = '解約した月の領収書をください';
    expect(guess('', text)).toBe('cancellation');
    expect(guess('reasonRules:\n  billing: { priority: 4 }\n', text)).toBe('billing');
  });

  it('tunes a reason of the team’s own taxonomy too', () => {
    const config = load(`reasons:
  - id: shipping
    label: { ja: 配送, en: Shipping }
    keywords: [配送]
reasonRules:
  shipping: { priority: 1, keywords: [発送] }
`);
    expect(config.reasons).toEqual([
      {
        id: 'shipping',
        label: { ja: '配送', en: 'Shipping' },
        keywords: ['配送', '発送'],
        patterns: [],
        rules: [],
        priority: 1,
      },
    ]);
  });
});

describe('refused at load, in one sentence naming the reason, the pattern and the fix', () => {
  it('a pattern that is not a regular expression with flags iu, wherever it is written', () => {
    expect(
      problems(`extraReasons:
  - id: refunds
    label: { ja: 返金, en: Refunds }
    rules: [{ pattern: "返金(", weight: 4 }]
    patterns: ["ok", "\\\\@support"]
reasonRules:
  cancellation:
    patterns: ["[解約"]
`),
    ).toEqual([
      'extraReasons[0].patterns[1]: "\\\\@support" (reason "refunds") is not a valid regular expression with flags iu (Invalid escape); correct it, and to match one of ( ) [ ] { } . * + ? | ^ $ \\ as written, put a backslash before it',
      'extraReasons[0].rules[0].pattern: "返金(" (reason "refunds") is not a valid regular expression with flags iu (Unterminated group); correct it, and to match one of ( ) [ ] { } . * + ? | ^ $ \\ as written, put a backslash before it',
      'reasonRules.cancellation.patterns[0]: "[解約" (reason "cancellation") is not a valid regular expression with flags iu (Unterminated character class); correct it, and to match one of ( ) [ ] { } . * + ? | ^ $ \\ as written, put a backslash before it',
    ]);
  });

  it('a pattern that matches every inquiry', () => {
    expect(
      problems(`reasons:
  - id: shipping
    label: { ja: 配送, en: Shipping }
    rules: [{ pattern: "(?:配送)?", weight: 1 }]
`),
    ).toEqual([
      'reasons[0].rules[0].pattern: "(?:配送)?" (reason "shipping") matches empty text, so it would set this reason on every inquiry; make it require at least one character',
    ]);
  });

  it('a weight that is not a positive finite number', () => {
    const withWeight = (weight: string) => `extraReasons:
  - id: refunds
    label: { ja: 返金, en: Refunds }
    rules: [{ pattern: "返金", weight: ${weight} }]
`;
    const sentence = 'expected a positive number: 4 decides alone, 2 is clear, 1 is a hint';
    expect(problems(withWeight('0'))).toEqual([`extraReasons[0].rules[0].weight: ${sentence}, got 0`]);
    expect(problems(withWeight('-2'))).toEqual([`extraReasons[0].rules[0].weight: ${sentence}, got -2`]);
    expect(problems(withWeight('.inf'))).toEqual(['extraReasons[0].rules[0].weight: expected number, got Infinity']);
    expect(problems(withWeight('.nan'))).toEqual(['extraReasons[0].rules[0].weight: expected number, got NaN']);
    expect(problems(withWeight('high'))).toEqual(['extraReasons[0].rules[0].weight: expected number, got "high"']);
    expect(problems(`${withWeight('2')}    priority: .inf\n`)).toEqual([
      'extraReasons[0].priority: expected number, got Infinity',
    ]);
  });

  it('tuning a reason that is not in the taxonomy', () => {
    expect(problems('reasonRules:\n  cancelation: { priority: 4 }\n')).toEqual([
      'reasonRules.cancelation: expected a reason id in your reasons list ("how_to" | "pricing_plan" | "billing" | "bug" | "feature_request" | "account" | "cancellation" | "other"), got "cancelation"',
    ]);
  });

  it('a default reason written again in extraReasons, pointing at reasonRules', () => {
    expect(
      problems(`extraReasons:
  - id: billing
    label: { ja: 請求, en: Billing }
    keywords: [インボイス制度]
`),
    ).toEqual([
      'extraReasons[0].id: "billing" is a default reason already; to tune it, put its rules or priority under reasonRules.billing instead',
    ]);
  });

  it('a label in reasonRules (it tunes rules, not names)', () => {
    expect(problems('reasonRules:\n  billing: { label: { ja: 請求, en: Bills } }\n')).toEqual([
      'reasonRules.billing: unknown key "label"',
    ]);
  });
});

describe('the sample config', () => {
  it('loads with its reasonRules example switched on, and the example does what its comments say', () => {
    const example = readFileSync(join(import.meta.dirname, '../../koe.config.example.yaml'), 'utf8');
    const block = /^# reasonRules:\n(?:# .*\n)+/m.exec(example)![0];
    const on = example.replace(block, block.replace(/^# /gm, ''));
    expect(on).toContain('\nreasonRules:\n  cancellation:\n');
    const config = load(on);
    const rules = compileRules(config.reasons);
    expect(rules('まだ届いていません')?.reasonId).toBe('shipping');
    expect(rules('来月末で契約終了とさせてください')?.reasonId).toBe('cancellation');
    expect(rules('プランについて相談です')).toBeNull();
    expect(rules('解約した月の領収書をください')?.reasonId).toBe('billing');
  });
});

describe('docs/digests.md', () => {
  it('shows a config for “Your own rules” that loads and does what it says', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/digests.md'), 'utf8');
    const yaml = /### Your own rules[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const rules = compileRules(load(yaml).reasons);
    expect(rules('返金をお願いします')?.reasonId).toBe('refunds');
    expect(rules('Could I get a refund for last month?')?.reasonId).toBe('refunds');
    expect(rules('来月末で契約終了とさせてください')?.reasonId).toBe('cancellation');
    expect(rules('プランについて相談です')).toBeNull();
    expect(rules('解約した月の領収書をください')?.reasonId).toBe('billing');
  });
});
