import { describe, expect, it } from 'vitest';
import { wordsFor } from '../../src/platforms/words/index.ts';
import { chatSentences, digestSentences } from '../helpers/word-samples.ts';

/**
 * Every ja and en sentence koe says in chat and in digests, pinned as a snapshot (so a change of
 * wording is seen in review) and held to docs/glossary.md: one word per thing, full-width
 * punctuation after Japanese, `さん` only after a name.
 */

const every = (locale: 'ja' | 'en') => [...chatSentences(locale), ...digestSentences(locale)];

/** Inline code and URLs are not prose: their colons and brackets are their own. */
const prose = (text: string) => text.replace(/`[^`]*`/g, '`…`').replace(/https?:\/\/\S+/g, 'URL');

/** The words docs/glossary.md rules out, with the word to use instead. */
const BANNED_JA: Array<[RegExp, string]> = [
  [/未担当/, '担当なし (assignee) or 未対応 (state)'],
  [/未着手/, '未対応'],
  [/出典/, '窓口'],
  [/問い合わせ元/, '窓口'],
  [/再オープン/, '再開'],
  [/顧客/, 'お客様'],
  [/社内のメンバー/, 'チームのメンバー'],
  [/SLA/, '期限 / 目標'],
  [/担当中/, '担当している / 対応中'],
  [/その理由はありません/, '"xxx" という理由はありません'],
  [/再試行|リトライ/, '再送'],
  [/内部メモ|コメント/, '社内メモ'],
];
const BANNED_EN: Array<[RegExp, string]> = [
  [/\bin progress\b/i, 'claimed'],
  [/\bunclaimed\b/i, 'open'],
  [/\bfirst reply\b/i, 'first response'],
  [/\bSLA\b/, 'target / past due'],
];

const JA_CHAR = '\\u3040-\\u30ff\\u4e00-\\u9fff';
/** A half-width colon or bracket right after Japanese text (or a full-width bracket or mark). */
const HALF_WIDTH_AFTER_JA = new RegExp(`[${JA_CHAR}）」、。]\\s*[:()]`);
/** A half-width opening bracket before Japanese text. */
const HALF_WIDTH_BEFORE_JA = new RegExp(`\\(\\s*[${JA_CHAR}]`);
/** A number apart from its counter: `5 件`, `1,234 文字`. */
const SPACED_COUNTER = /\d\s+(件|分|時間|日|文字|ページ|人)/;

/** `さん` after something that is not a person's name: nothing, a bracket, or a word for someone unnamed. */
function sanAfterNonName(text: string): string[] {
  return [...text.matchAll(/(\S*)\s*さん/g)]
    .map((m) => m[1] ?? '')
    .filter(
      (before) =>
        before === '' ||
        /[）)」?]$/.test(before) ||
        /(他の人|別の|メンバー|お客様|担当者|不明|undefined|null)$/.test(before),
    );
}

describe('every ja and en sentence', () => {
  it.each(['ja', 'en'] as const)('is pinned for %s', (locale) => {
    expect(Object.fromEntries(every(locale))).toMatchSnapshot();
  });

  it('uses none of the variants the glossary rules out (ja)', () => {
    const found = every('ja').flatMap(([path, text]) =>
      BANNED_JA.filter(([re]) => re.test(prose(text))).map(([re, use]) => `${path}: ${re.source} → ${use}`),
    );
    expect(found).toEqual([]);
  });

  it('uses none of the variants the glossary rules out (en)', () => {
    const found = every('en').flatMap(([path, text]) =>
      BANNED_EN.filter(([re]) => re.test(prose(text))).map(([re, use]) => `${path}: ${re.source} → ${use}`),
    );
    expect(found).toEqual([]);
  });

  it('writes full-width punctuation after Japanese text, and no space between a number and its counter', () => {
    const found = every('ja')
      .filter(([, text]) => {
        const t = prose(text);
        return HALF_WIDTH_AFTER_JA.test(t) || HALF_WIDTH_BEFORE_JA.test(t) || SPACED_COUNTER.test(t);
      })
      .map(([path, text]) => `${path}: ${text}`);
    expect(found).toEqual([]);
  });

  it('says さん only after a name', () => {
    const found = every('ja')
      .filter(([, text]) => sanAfterNonName(text).length > 0)
      .map(([path, text]) => `${path}: ${text}`);
    expect(found).toEqual([]);
  });

  it('names a state with one word on every screen: the status, the open list, stats and the digest', () => {
    for (const locale of ['ja', 'en'] as const) {
      const status = wordsFor(locale).status;
      const w = wordsFor(locale);
      const open = locale === 'ja' ? status.open : status.open.toLowerCase();
      expect(w.lists.openTitle(3)).toContain(locale === 'ja' ? open : status.open);
      expect(w.stats.now(2, 1)).toContain(open);
      expect(w.help.subcommands.open).toContain(open);
      const backlog = digestSentences(locale).find(([path]) => path === 'digest(week).backlog')![1];
      expect(backlog).toContain(open);
    }
  });

  it('catches what it is meant to catch', () => {
    expect(HALF_WIDTH_AFTER_JA.test('送信先: #help')).toBe(true);
    expect(HALF_WIDTH_AFTER_JA.test('返信(山田)')).toBe(true);
    expect(HALF_WIDTH_AFTER_JA.test('送信先：#help（12:00）')).toBe(false);
    expect(SPACED_COUNTER.test('5 件')).toBe(true);
    expect(SPACED_COUNTER.test('5件')).toBe(false);
    expect(sanAfterNonName('（不明） さん（#help のスレッド）')).toEqual(['（不明）']);
    expect(sanAfterNonName('他の人 さんが担当しています')).toEqual(['他の人']);
    expect(sanAfterNonName('@sato さんが担当しています')).toEqual([]);
    expect(BANNED_JA.some(([re]) => re.test('その理由はありません。'))).toBe(true);
  });
});
