import { DEFAULT_REASONS, type Reason, type WeightedRule } from '../core/reasons/taxonomy.ts';
import type { FileConfig } from './schema.ts';

type RuleFields = FileConfig['reasonRules'][string];

/**
 * The taxonomy the config asks for: `reasons` (or the defaults), then `extraReasons`, then each
 * `reasonRules.<id>` merged into its reason. Every keyword list, pattern and rule a person wrote is
 * checked here, with the config path of the entry, so a mistake is named where it was made.
 */
export function checkReasons(file: FileConfig, problems: string[]): Reason[] {
  const entries = [
    ...(file.reasons
      ? file.reasons.map((reason, i) => ({ reason: { ...reason }, path: `reasons[${i}]` }))
      : DEFAULT_REASONS.map((reason) => ({ reason: { ...reason }, path: null }))),
    ...file.extraReasons.map((reason, i) => ({ reason: { ...reason }, path: `extraReasons[${i}]` })),
  ];
  const byId = new Map<string, Reason>();
  for (const { reason, path } of entries) {
    if (path !== null) checkRuleFields(reason, reason.id, path, problems);
    if (!byId.has(reason.id)) {
      byId.set(reason.id, reason);
      continue;
    }
    const isDefault = !file.reasons && DEFAULT_REASONS.some((r) => r.id === reason.id);
    problems.push(
      isDefault
        ? `${path}.id: "${reason.id}" is a default reason already; to tune it, put its rules or priority under reasonRules.${reason.id} instead`
        : `${path}.id: "${reason.id}" appears twice`,
    );
  }
  for (const [id, tuning] of Object.entries(file.reasonRules)) {
    const reason = byId.get(id);
    const path = `reasonRules.${id}`;
    if (!reason) {
      const known = [...byId.keys()].map((k) => `"${k}"`).join(' | ');
      problems.push(`${path}: expected a reason id in your reasons list (${known}), got "${id}"`);
      continue;
    }
    checkRuleFields(tuning, id, path, problems);
    Object.assign(reason, tuned(reason, tuning));
  }
  return [...byId.values()];
}

/**
 * A reason with more rules. A rule whose pattern the reason already has changes that rule's weight
 * (so a default rule can be made to count more or less without copying the taxonomy); any other
 * rule, keyword or pattern is added; `priority`, when given, replaces the reason's.
 */
function tuned(reason: Reason, tuning: RuleFields): Reason {
  const rules: WeightedRule[] = [...(reason.rules ?? [])];
  for (const rule of tuning.rules) {
    const same = rules.findIndex((r) => r.pattern === rule.pattern);
    if (same === -1) rules.push(rule);
    else rules[same] = rule;
  }
  return {
    ...reason,
    keywords: [...reason.keywords, ...tuning.keywords],
    patterns: [...reason.patterns, ...tuning.patterns],
    rules,
    ...(tuning.priority !== undefined && { priority: tuning.priority }),
  };
}

function checkRuleFields(
  fields: Pick<RuleFields, 'patterns' | 'rules'>,
  reasonId: string,
  path: string,
  problems: string[],
): void {
  fields.patterns.forEach((p, j) => {
    const problem = patternProblem(p);
    if (problem) problems.push(`${path}.patterns[${j}]: ${inReason(p, reasonId)} ${problem}`);
  });
  fields.rules.forEach((r, j) => {
    const problem = patternProblem(r.pattern);
    if (problem) problems.push(`${path}.rules[${j}].pattern: ${inReason(r.pattern, reasonId)} ${problem}`);
  });
}

const inReason = (pattern: string, reasonId: string) => `${JSON.stringify(pattern)} (reason "${reasonId}")`;

/**
 * Why `pattern` cannot be a rule, with the fix, or null. Rules are matched with flags `iu`, where
 * a needless escape (`\@`) is an error. A pattern that matches empty text would match every inquiry.
 */
export function patternProblem(pattern: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'iu');
  } catch (error) {
    // "Invalid regular expression: /(a/iu: Unterminated group" → "Unterminated group".
    const why = (error as Error).message.split(': ').at(-1);
    return `is not a valid regular expression with flags iu (${why}); correct it, and to match one of ( ) [ ] { } . * + ? | ^ $ \\ as written, put a backslash before it`;
  }
  if (regex.test('')) {
    return 'matches empty text, so it would set this reason on every inquiry; make it require at least one character';
  }
  return null;
}
