/** Edit distance (insertions, deletions, substitutions) between two short words. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known word a mistyped one most likely meant, or undefined. A typo (`perod`) is a small edit;
 * a singular for a plural (`delivery` for `deliveries`) is a shared stem, so a word that shares all
 * but its last letter with the start of a known one counts too.
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const stem = word.length >= 4 ? word.slice(0, -1) : null;
  let best: { word: string; score: number } | undefined;
  for (const candidate of known) {
    const d = distance(word, candidate.toLowerCase());
    const limit = Math.max(1, Math.floor(candidate.length / 3));
    const score = stem && candidate.startsWith(stem) ? Math.min(d, limit) : d;
    if (score <= limit && (!best || score < best.score)) best = { word: candidate, score };
  }
  return best?.word;
}

/** ` Did you mean X?` for the end of an error sentence, or nothing when no known word is close. */
export function didYouMean(typed: string, known: readonly string[], show: (w: string) => string = (w) => w): string {
  const guess = closest(typed, known);
  return guess === undefined ? '' : ` Did you mean ${show(guess)}?`;
}
