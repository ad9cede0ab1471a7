/**
 * One thing `koe doctor` (and, for the cheap ones, `koe start`) looks at: what it found, and when
 * something is wrong, the fix a person can act on. Kept apart from any one check so the platform
 * checks and the local ones share it without importing each other.
 */
export interface CheckResult {
  /** What was checked, shown first on its line: `database`, `slack token`, `#C0123 (slack)`. */
  label: string;
  ok: boolean;
  /** What was found, in a few words. */
  found: string;
  /** What to do about it; only when not ok. */
  fix?: string;
}

export const passed = (label: string, found: string): CheckResult => ({ label, ok: true, found });
export const failed = (label: string, found: string, fix: string): CheckResult => ({ label, ok: false, found, fix });

/** The one sentence koe says about a failed check: what is wrong, then what to do. */
export function problemSentence(check: CheckResult): string {
  return check.fix ? `${check.found}: ${check.fix}` : check.found;
}

/** One line of `koe doctor`'s report. */
export function checkLine(check: CheckResult): string {
  const head = `${check.ok ? '✓' : '✗'} ${check.label}: ${check.found}`;
  return check.ok || !check.fix ? head : `${head}\n    fix: ${check.fix}`;
}
