import type { Db } from './db.ts';

/** An inquiry's text and the reason a person gave it: one training example for the classifier. */
export interface LabeledText {
  inquiryId: number;
  text: string;
  reasonId: string;
}

// The classifier reads only the start of an inquiry (see MAX_TEXT_CHARS in core/reasons/tokenize.ts),
// so a pasted 100k-character log need not be loaded whole.
const BODY_CHARS = 4_000;

/**
 * Every label a person set or confirmed: reasons set by a human in chat, or given explicitly at
 * intake (a form's category is the customer's own label). Rules and classifier guesses are not
 * labels, or the classifier would learn from itself. The text is built as intake builds it for
 * guessing: the subject, a newline, the body.
 */
export function loadLabels(db: Db, options: { reasonIds?: readonly string[] } = {}): LabeledText[] {
  const rows = db.$client
    .prepare<[], { inquiryId: number; subject: string | null; body: string; reasonId: string }>(
      `SELECT id AS inquiryId, subject, substr(body, 1, ${BODY_CHARS}) AS body, reason_id AS reasonId
       FROM inquiries
       WHERE reason_source IN ('human', 'intake') AND reason_id IS NOT NULL
       ORDER BY id`,
    )
    .all();
  const known = options.reasonIds ? new Set(options.reasonIds) : null;
  return rows
    .filter((r) => !known || known.has(r.reasonId))
    .map((r) => ({
      inquiryId: r.inquiryId,
      text: [r.subject, r.body].filter(Boolean).join('\n'),
      reasonId: r.reasonId,
    }));
}

/** How many labels there are per reason (for `koe reasons`). */
export function countLabels(db: Db): { reasonId: string; count: number }[] {
  return db.$client
    .prepare<[], { reasonId: string; count: number }>(
      `SELECT reason_id AS reasonId, count(*) AS count FROM inquiries
       WHERE reason_source IN ('human', 'intake') AND reason_id IS NOT NULL
       GROUP BY reason_id ORDER BY count DESC, reason_id`,
    )
    .all();
}
