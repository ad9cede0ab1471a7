/** Stratified fold assignment, shared by cross-validation (evaluate.ts) and calibration (classifier.ts). */
import { seededRandom, shuffleInPlace } from './classifier-random.ts';

/**
 * Fold number per example. Each reason's examples are shuffled and dealt round-robin, so every
 * fold holds a fair share of every reason (stratified), even the rare ones; a reason with fewer
 * examples than folds is absent from some training sets, as it would be in real life.
 */
export function assignFolds(examples: readonly { reasonId: string }[], folds: number, seed: number): Int32Array {
  const foldOf = new Int32Array(examples.length);
  if (folds === 0) return foldOf;
  const random = seededRandom(seed);
  const byReason = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const members = byReason.get(e.reasonId) ?? [];
    members.push(i);
    byReason.set(e.reasonId, members);
  });
  let next = 0;
  for (const reasonId of [...byReason.keys()].sort(compareStrings)) {
    const members = byReason.get(reasonId)!;
    shuffleInPlace(members, random);
    // Continue the deal where the previous reason stopped so small reasons do not all land in fold 0.
    for (const i of members) foldOf[i] = next++ % folds;
  }
  return foldOf;
}

// Code-unit order, not locale order: the split must not change with the server's locale.
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
