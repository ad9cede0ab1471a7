import type { ReasonGuess } from '../context.ts';
import type { ReasonClassifier } from './classifier.ts';
import type { RuleMatch } from './rules.ts';

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
 * `ctx.guessReason`: the team's explicit rules first (they are a person's decision, written down),
 * then the classifier; below its confidence threshold it abstains and the inquiry stays
 * unclassified so the mirror asks a human. Never throws: a broken model must not block intake.
 */
export function createReasonGuesser(options: ReasonGuesserOptions): (text: string) => ReasonGuess | null {
  return (text) => {
    const hit = options.rules(text);
    if (hit && options.reasonIds.has(hit.reasonId)) return { reasonId: hit.reasonId, source: 'rule', confidence: null };
    const classifier = options.classifier();
    if (!classifier) return null;
    let prediction;
    try {
      prediction = classifier.classify(text, options.threshold);
    } catch {
      return null;
    }
    if (prediction.reasonId === null || !options.reasonIds.has(prediction.reasonId)) return null;
    return { reasonId: prediction.reasonId, source: 'classifier', confidence: prediction.confidence };
  };
}
