import type { Reason } from './taxonomy.ts';

export interface RuleMatch {
  reasonId: string;
  /** The keyword or pattern that matched, for the event log. */
  matched: string;
}

/**
 * Compiles the taxonomy's keywords and patterns into one matcher. The first reason (in taxonomy
 * order) with a hit wins, so a team orders its taxonomy from most to least specific.
 */
export function compileRules(reasons: readonly Reason[]): (text: string) => RuleMatch | null {
  const compiled = reasons.map((reason) => ({
    id: reason.id,
    keywords: reason.keywords.map((k) => k.normalize('NFKC').toLowerCase()),
    patterns: reason.patterns.map((p) => new RegExp(p, 'iu')),
  }));
  return (text) => {
    const normalized = text.normalize('NFKC').toLowerCase();
    for (const reason of compiled) {
      const keyword = reason.keywords.find((k) => normalized.includes(k));
      if (keyword) return { reasonId: reason.id, matched: keyword };
      const pattern = reason.patterns.find((p) => p.test(text));
      if (pattern) return { reasonId: reason.id, matched: pattern.source };
    }
    return null;
  };
}
