import { DECISIVE } from './default-rules.ts';
import type { Reason } from './taxonomy.ts';
import { normalizeText } from './tokenize.ts';

export interface RuleMatch {
  reasonId: string;
  /** The keyword or pattern that counted most, for the event log. */
  matched: string;
  /** The sum of the weights of the reason's hits. */
  score: number;
  /**
   * A decisive hit no other reason contests. The classifier never overrules a strong match; a weak
   * one (a plan word alone, two hints) it may, once it has learned from the team.
   */
  strong: boolean;
}

/** A reason's rule score for one text, for ranking suggestions. */
export interface RuleScore {
  reasonId: string;
  score: number;
}

/** Below this score the rules do not answer (a single hint such as 〜できますか). */
export const ANSWER_SCORE = 2;
/** The winner must lead the runner-up by this much, or the rules call it a draw and do not answer. */
const ANSWER_MARGIN = 1;

interface CompiledRule {
  regex: RegExp;
  weight: number;
  /** What the event log shows: the keyword as written, or the pattern's source. */
  label: string;
}

interface CompiledReason {
  id: string;
  priority: number;
  order: number;
  rules: CompiledRule[];
}

/**
 * Compiles the taxonomy's rules into one matcher. Every reason's hits are scored (keywords and
 * patterns from the config weigh DECISIVE, the default taxonomy's rules carry their own weights);
 * the best score wins if it clears ANSWER_SCORE and leads by ANSWER_MARGIN, and equal scores go to
 * the higher `priority`, then to the earlier reason. A hit that is negated (「請求書とは関係ないのですが」,
 * "I don't want to cancel") does not count.
 */
export function compileRules(reasons: readonly Reason[]): (text: string) => RuleMatch | null {
  const score = compileRuleScorer(reasons);
  return (text) => {
    const ranked = score(text);
    const best = ranked[0];
    if (!best || best.score < ANSWER_SCORE) return null;
    const margin = best.score - (ranked[1]?.score ?? 0);
    // Two decisive words tied: the higher priority answers (「解約 … billing cycle」 is a cancellation),
    // but only as a weak match. Any other draw is left to the classifier or a person.
    const priorityTie = margin === 0 && best.top >= DECISIVE && best.priority > (ranked[1]?.priority ?? 0);
    if (margin < ANSWER_MARGIN && !priorityTie) return null;
    return {
      reasonId: best.reasonId,
      matched: best.matched,
      score: best.score,
      strong: best.top >= DECISIVE && margin >= DECISIVE / 2,
    };
  };
}

interface ScoredReason extends RuleScore {
  matched: string;
  top: number;
  priority: number;
}

/** Scores every reason with a hit in `text`, best first (ties: priority, then taxonomy order). */
export function compileRuleScorer(reasons: readonly Reason[]): (text: string) => ScoredReason[] {
  const compiled = reasons.map(compileReason).filter((r) => r.rules.length > 0);
  return (text) => {
    const normalized = normalizeText(text);
    const scored: (ScoredReason & { order: number })[] = [];
    for (const reason of compiled) {
      let total = 0;
      let top: CompiledRule | null = null;
      for (const rule of reason.rules) {
        if (!hitsUnnegated(rule.regex, normalized)) continue;
        total += rule.weight;
        if (!top || rule.weight > top.weight) top = rule;
      }
      if (top) {
        scored.push({
          reasonId: reason.id,
          score: total,
          matched: top.label,
          top: top.weight,
          priority: reason.priority,
          order: reason.order,
        });
      }
    }
    return scored.sort((a, b) => b.score - a.score || b.priority - a.priority || a.order - b.order);
  };
}

function compileReason(reason: Reason, order: number): CompiledReason {
  const rules: CompiledRule[] = [
    ...reason.keywords.map((k) => {
      const keyword = normalizeText(k);
      return { regex: new RegExp(keywordSource(keyword), 'giu'), weight: DECISIVE, label: keyword };
    }),
    ...reason.patterns.map((p) => ({ regex: new RegExp(p, 'giu'), weight: DECISIVE, label: p })),
    ...(reason.rules ?? []).map((r) => ({ regex: new RegExp(r.pattern, 'giu'), weight: r.weight, label: r.pattern })),
  ];
  return { id: reason.id, priority: reason.priority ?? 0, order, rules };
}

const LATIN_EDGE = /[a-z0-9]/;

/**
 * A keyword as a regular expression. An English keyword matches whole words only, so `plan` is not
 * found in "explanation" nor `charge` in "surcharge"; plural and past endings still match. Japanese
 * has no spaces to tell words apart, so a Japanese keyword matches anywhere.
 */
export function keywordSource(keyword: string): string {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = LATIN_EDGE.test(keyword[0] ?? '') ? '(?<![a-z0-9])' : '';
  const end = LATIN_EDGE.test(keyword[keyword.length - 1] ?? '') ? '(?:s|es|d|ed|ing)?(?![a-z0-9])' : '';
  return `${start}${escaped}${end}`;
}

// What follows a Japanese hit to deny it: 「解約ではなく」「請求書とは関係ない」「解約するつもりはありません」.
const NEGATED_AFTER =
  /^[^。．.!?！？\n]{0,6}?(?:ではな|じゃな|とは関係|とは別|つもりはな|つもりはありません|予定はな|予定はありません|気はな|わけではな|は不要|はしな|はしません)/u;
// What precedes an English hit to deny it: "I don't want to cancel", "not asking for a refund".
const NEGATED_BEFORE =
  /(?:\bdon'?t|\bdo not|\bnot|\bnever)\s+(?:(?:want|plan|intend|mean|going|trying|looking|asking|need)\s+(?:to|for)\s+(?:an?\s+)?)?$/u;

/** Whether `regex` has a hit in `text` that is not negated. */
function hitsUnnegated(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    const end = m.index + m[0].length;
    const negated =
      NEGATED_AFTER.test(text.slice(end, end + 16)) ||
      NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index));
    if (!negated) return true;
    if (m[0].length === 0) regex.lastIndex++;
  }
  return false;
}
