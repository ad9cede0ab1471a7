/**
 * 32-bit FNV-1a hashing of terms, so features are counted without allocating a
 * string per character n-gram (an inquiry yields hundreds of them).
 */

const FNV_PRIME = 0x01000193;

/** Distinct starting states keep words, word pairs and character runs apart. */
export const HASH_SEED = {
  word: 0x811c9dc5,
  wordPair: 0x050c5d1f,
  chars: 0x2b992ddf,
} as const;

/** Folds one UTF-16 code unit into a running FNV-1a hash. */
export function hashStep(hash: number, codeUnit: number): number {
  // Two bytes per code unit so that, say, U+3042 and U+0042 do not coincide.
  hash = Math.imul(hash ^ (codeUnit & 0xff), FNV_PRIME);
  return Math.imul(hash ^ (codeUnit >>> 8), FNV_PRIME);
}

/** Folds a whole string into a running hash. */
export function hashString(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = hashStep(hash, text.charCodeAt(i));
  return hash;
}
