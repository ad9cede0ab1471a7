// The Japanese development set (test/fixtures/reasons-dev-ja.jsonl, see its README) as labels.
import { readFileSync } from 'node:fs';
import type { LabeledText } from '../../src/core/reasons/classifier.ts';

export function loadDevSet(): LabeledText[] {
  return readFileSync(new URL('../fixtures/reasons-dev-ja.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { text: string; reason: string })
    .map((e) => ({ text: e.text, reasonId: e.reason }));
}
