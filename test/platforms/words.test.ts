import { describe, expect, it } from 'vitest';
import { wordsFor } from '../../src/platforms/words/index.ts';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Three Latin words in a row: an English phrase, not a command, a name or an acronym. */
const ENGLISH_PHRASE = /[A-Za-z]+(?:[ ,;:'’-]+[A-Za-z]+){2,}/;

/**
 * One argument that serves for every parameter of the words: a number (`valueOf`, `toLocaleString`),
 * a string, a reply context, a failure, a person, a success's params.
 */
const ANY = {
  locale: 'en',
  command: '/koe',
  id: 12,
  inquiryId: 12,
  user: '@someone',
  holder: '@someone',
  reason: 'billing',
  validReasons: ['billing', 'bug'],
  // Replies' words: who and when, why it failed, where it goes, how long it may be.
  by: 'Alice',
  at: '12:00',
  error: 'no access',
  customer: 'Yamada',
  channel: '#help',
  source: 'web',
  where: 'Yamada, #help',
  undoSeconds: 10,
  thread: 12,
  given: 13,
  length: 2100,
  max: 2000,
  valueOf: () => 12,
  toString: () => '12',
};

/** Every sentence of a locale's words, by path: strings as they are, functions called with `ANY`. */
function sentences(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function')
    return [[`${path}()`, String((value as (...a: unknown[]) => unknown)(ANY, ANY, ANY))]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => sentences(v, path ? `${path}.${key}` : key));
  throw new Error(`${path}: ${typeof value} is not a sentence`);
}

/** The sentences of `locale`, including the branches `ANY` does not reach (no role, no confidence, no holder). */
function all(locale: 'ja' | 'en'): Array<[string, string]> {
  const w = wordsFor(locale);
  const c = { locale, command: '/koe' };
  return [
    ...sentences(w),
    ['refusals.notStaff(null)', w.refusals.notStaff(null)],
    ['labels.autoReason(null)', w.labels.autoReason(null)],
    ['failures.ALREADY_CLAIMED (no holder)', w.failures.ALREADY_CLAIMED(c, { ok: false, code: 'ALREADY_CLAIMED' }, {})],
    ['failures.INVALID_INPUT (no message)', w.failures.INVALID_INPUT(c, { ok: false, code: 'INVALID_INPUT' }, {})],
  ];
}

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
