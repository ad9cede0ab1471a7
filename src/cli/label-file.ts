/**
 * A file of labels for `koe reasons eval --labels FILE`: JSON Lines, one `{"text", "reason"}` per
 * line (test/fixtures/reasons-dev-ja.jsonl is one). Each line is checked; the first bad one is
 * refused in one sentence that names the line and the fix.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues } from '../config/format-issues.ts';
import type { LabeledText } from '../core/reasons/classifier.ts';
import { closest } from './did-you-mean.ts';

// Other keys (an id, the dev set's `also`) are allowed and ignored, so an export can be used as it is.
const labelLine = z.object({
  text: z.string().trim().min(1, 'expected the inquiry’s text'),
  reason: z.string().min(1, 'expected a reason id'),
});

const SHAPE = 'write each line as {"text": "the inquiry", "reason": "<reason id>"}';

/** The labels of `path`, or one sentence saying which line is wrong and how to fix it. */
export function readLabelFile(
  path: string,
  reasonIds: readonly string[],
): { labels: LabeledText[] } | { problem: string } {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code;
    return { problem: `cannot read ${path} (${why}); pass a JSON Lines file of labels, one per line.` };
  }
  const known = new Set(reasonIds);
  const labels: LabeledText[] = [];
  const lines = content.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const at = `${path} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { problem: `${at} is not JSON; ${SHAPE}, one object per line.` };
    }
    const parsed = labelLine.safeParse(value, { reportInput: true });
    if (!parsed.success) return { problem: `${at}: ${formatIssues(parsed.error.issues)[0]}; ${SHAPE}.` };
    if (!known.has(parsed.data.reason)) {
      const guess = closest(parsed.data.reason, reasonIds);
      const list = reasonIds.length > 12 ? `${reasonIds.slice(0, 12).join(', ')} …` : reasonIds.join(', ');
      const fix = guess === undefined ? `use one of ${list}` : `did you mean "${guess}"`;
      return {
        problem: `${at}: "${parsed.data.reason}" is not one of your reasons; ${fix}, or add it to extraReasons in koe.config.yaml.`,
      };
    }
    labels.push({ text: parsed.data.text, reasonId: parsed.data.reason });
  }
  if (labels.length === 0) return { problem: `${path} holds no labels; ${SHAPE}.` };
  return { labels };
}
