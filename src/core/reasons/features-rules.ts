/**
 * The taxonomy's rules as classifier features: one feature per reason with rules (its rule score)
 * and one for "no rule fired". With them the classifier starts from what the rules know and learns
 * from the team's labels how far to trust each one, so it can overrule a weak rule (a plan word in a
 * billing question) and learn that an inquiry no rule recognises is often `other`.
 */
import type { SparseVector } from './features-tfidf.ts';
import { compileRuleScorer } from './rules.ts';
import type { Reason } from './taxonomy.ts';

/** Scale of the rule block against the word and character blocks (each of unit length). */
const RULE_FEATURE_WEIGHT = 1;
/** A rule score of this much (one decisive word) maps to the full feature weight. */
const SCORE_SCALE = 4;

/** Appends the rule features to TF-IDF vectors; `size` extra dimensions after `offset`. */
export interface RuleFeatures {
  readonly size: number;
  append(vector: SparseVector, text: string, offset: number): SparseVector;
}

/** Rule features for `reasons` (only those with rules count); null when no reason has any. */
export function ruleFeatures(reasons: readonly Reason[]): RuleFeatures | null {
  const withRules = reasons.filter((r) => r.keywords.length + r.patterns.length + (r.rules?.length ?? 0) > 0);
  if (withRules.length === 0) return null;
  const score = compileRuleScorer(withRules);
  const slot = new Map(withRules.map((r, i) => [r.id, i]));
  const noneSlot = withRules.length;
  return {
    size: withRules.length + 1,
    append(vector, text, offset) {
      const scores = score(text);
      const indices = [...vector.indices];
      const values = [...vector.values];
      if (scores.length === 0) {
        indices.push(offset + noneSlot);
        values.push(RULE_FEATURE_WEIGHT);
      }
      for (const s of scores) {
        // Capped, so three stacked hints do not shout over the words.
        indices.push(offset + slot.get(s.reasonId)!);
        values.push(RULE_FEATURE_WEIGHT * Math.min(2, s.score / SCORE_SCALE));
      }
      return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
    },
  };
}
