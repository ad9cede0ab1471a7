import type { ReasonGuess } from '../context.ts';
import { MIN_LABELS_TO_CALIBRATE, type ReasonClassifier } from './classifier.ts';
import type { RuleMatch, RuleScore } from './rules.ts';

export interface ReasonGuesserOptions {
  /** The taxonomy's keyword and pattern rules (see `compileRules`). */
  rules: (text: string) => RuleMatch | null;
  /** The classifier as trained right now, or null before the first training (or when disabled). */
  classifier: () => ReasonClassifier | null;
  /** Minimum confidence to name a reason; undefined uses the classifier's own default. */
  threshold?: number;
  /** Reason ids in the taxonomy now: a model trained before a reason was removed must not name it. */
  reasonIds: ReadonlySet<string>;
}

/**
 * Labels a classifier must have learnt from before it may overrule a weak rule: from this many on
 * its confidence is calibrated on held-out labels, so "≥ threshold" means what it says.
 */
export const OVERRULE_MIN_LABELS = MIN_LABELS_TO_CALIBRATE;

/**
 * `ctx.guessReason`: a strong rule first (a decisive word nothing contests, a person's decision
 * written down), then the classifier when it is sure, then a weak rule; otherwise it abstains and
 * the inquiry stays unclassified so the mirror asks a human. A classifier that has learnt from
 * fewer than OVERRULE_MIN_LABELS labels never overrules a rule. Never throws: a broken model must
 * not block intake. (A person's label is never guessed over: create-inquiry only guesses when no
 * reason was given, and later guesses never replace a human or intake reason.)
 */
export function createReasonGuesser(options: ReasonGuesserOptions): (text: string) => ReasonGuess | null {
  return (text) => {
    const hit = options.rules(text);
    const known = hit && options.reasonIds.has(hit.reasonId) ? hit : null;
    const fromRule: ReasonGuess | null = known && { reasonId: known.reasonId, source: 'rule', confidence: null };
    if (known?.strong) return fromRule;
    const classifier = options.classifier();
    if (!classifier || (known && classifier.trainedOn < OVERRULE_MIN_LABELS)) return fromRule;
    const prediction = safeClassify(classifier, text, options.threshold);
    if (prediction?.reasonId && options.reasonIds.has(prediction.reasonId)) {
      if (prediction.reasonId === known?.reasonId) return fromRule;
      return { reasonId: prediction.reasonId, source: 'classifier', confidence: prediction.confidence };
    }
    return fromRule;
  };
}

function safeClassify(classifier: ReasonClassifier, text: string, threshold: number | undefined) {
  try {
    return classifier.classify(text, threshold);
  } catch {
    return null;
  }
}

export interface ReasonSuggesterOptions {
  /** Every reason's rule score, best first (see `compileRuleScorer`). */
  ruleScores: (text: string) => readonly RuleScore[];
  classifier: () => ReasonClassifier | null;
  reasonIds: ReadonlySet<string>;
}

/**
 * The reasons a person most likely wants when koe left an inquiry unclassified, best first: the
 * classifier's ranking, then reasons the rules saw hints of. The mirror's reason menu lists them
 * first. Empty when neither has any evidence. Never throws.
 */
export function createReasonSuggester(options: ReasonSuggesterOptions): (text: string, limit?: number) => string[] {
  return (text, limit = 3) => {
    const ids: string[] = [];
    const add = (id: string) => {
      if (ids.length < limit && options.reasonIds.has(id) && !ids.includes(id)) ids.push(id);
    };
    const classifier = options.classifier();
    if (classifier) for (const r of safeClassify(classifier, text, 1)?.ranked ?? []) add(r.reasonId);
    try {
      for (const s of options.ruleScores(text)) add(s.reasonId);
    } catch {
      // A suggestion is a convenience: without one the menu keeps the taxonomy's order.
    }
    return ids;
  };
}
