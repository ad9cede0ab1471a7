// The BANKING77 dataset (real customer banking queries, 77 intents) beside the repository, for the
// classifier's bench and its real-data test. Not app code: it may read its one knob from the env.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabeledText } from '../src/core/reasons/classifier.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `KOE_BANKING77_DIR`, or `../shared/datasets/banking77` beside the repository (as CI lays it out). */
export const BANKING77_DIR = process.env.KOE_BANKING77_DIR ?? resolve(repoRoot, '../shared/datasets/banking77');

/** Whether both splits are there. */
export function haveBanking77(): boolean {
  return existsSync(resolve(BANKING77_DIR, 'train.csv')) && existsSync(resolve(BANKING77_DIR, 'test.csv'));
}

/** Reads `<split>.csv` (header `text,category`) as labeled examples. */
export function loadBanking77(split: 'train' | 'test'): LabeledText[] {
  const [header, ...rows] = parseCsv(readFileSync(resolve(BANKING77_DIR, `${split}.csv`), 'utf8'));
  if (header?.[0] !== 'text' || header[1] !== 'category') {
    throw new Error(`${split}.csv: expected header "text,category", got ${JSON.stringify(header)}`);
  }
  return rows.filter((r) => r.length === 2).map(([text, reasonId]) => ({ text: text!, reasonId: reasonId! }));
}

/** Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
