import { describe, expect, it } from 'vitest';
import { wordsFor } from '../../src/platforms/words/index.ts';
import { chatSentences as all } from '../helpers/word-samples.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Three Latin words in a row: an English phrase, not a command, a name or an acronym. */
const ENGLISH_PHRASE = /[A-Za-z]+(?:[ ,;:'’-]+[A-Za-z]+){2,}/;

describe('the words of each locale', () => {
  it('has the same sentences in ja and en', () => {
    expect(all('ja').map(([path]) => path)).toEqual(all('en').map(([path]) => path));
  });

  it.each(['ja', 'en'] as const)('has no empty sentence in %s', (locale) => {
    const empty = all(locale)
      .filter(([, text]) => text.trim() === '' || /undefined|null|NaN|\[object/.test(text))
      .map(([path]) => path);
    expect(empty).toEqual([]);
  });

  it('says nothing in Japanese in en', () => {
    const japanese = all('en').filter(([, text]) => JAPANESE.test(text));
    expect(japanese).toEqual([]);
  });

  it('says no English sentence in ja (commands in backticks aside)', () => {
    const english = all('ja').filter(([, text]) => ENGLISH_PHRASE.test(text.replace(/`[^`]*`/g, '')));
    expect(english).toEqual([]);
  });

  it('names statuses the same way wherever they appear', () => {
    expect(wordsFor('ja').status).toEqual({ open: '未対応', claimed: '対応中', resolved: '解決済み' });
    expect(wordsFor('en').status).toEqual({ open: 'Open', claimed: 'Claimed', resolved: 'Resolved' });
  });
});
