/**
 * Text normalisation and word segmentation for the contact-reason classifier.
 *
 * Inquiries mix Japanese and English, and Japanese has no spaces, so words come
 * from ICU's dictionary-based segmenter (`Intl.Segmenter`) rather than from
 * splitting on whitespace. Everything here is pure and synchronous.
 */

/**
 * Longest prefix of an inquiry (in UTF-16 code units, after normalisation) that
 * the classifier reads. The subject and opening lines carry the reason; reading
 * a pasted 100k-character log would only cost time and drown the signal.
 */
export const MAX_TEXT_CHARS = 2_000;

// One segmenter for the process: construction loads ICU dictionaries (~ms),
// segmenting is cheap. The locale barely matters: ICU picks the dictionary by
// script, so 'ja' still splits English on spaces and Chinese/Thai by dictionary.
const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });

// C0/C1 controls (NUL included) except the whitespace ones, plus zero-width
// spaces and BOMs that would otherwise split or glue tokens invisibly. The
// zero-width joiner stays: it holds emoji sequences (👨‍👩‍👧) together.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this pattern is for
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u2060\uFEFF]/gu;
// Typographic quotes that NFKC leaves alone but users type interchangeably.
const SINGLE_QUOTES = /[\u2018\u2019\u201B\u2032\uFF07]/gu;
const WHITESPACE_RUN = /\s+/gu;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
// Skin-tone modifiers and variation selectors: the base emoji carries the meaning.
const EMOJI_DECORATION = /[\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F]/gu;

/**
 * Canonical form of an inquiry: NFKC (full-width → half-width, half-width kana →
 * full-width), lower case, controls removed, whitespace collapsed, capped at
 * {@link MAX_TEXT_CHARS}.
 */
export function normalizeText(text: string): string {
  // Cap before the expensive passes; NFKC can only shorten or slightly lengthen,
  // so twice the budget leaves room for the second cap below.
  const head = text.length > MAX_TEXT_CHARS * 2 ? text.slice(0, MAX_TEXT_CHARS * 2) : text;
  const normalized = head
    .normalize('NFKC')
    .toLowerCase()
    .replace(CONTROL_CHARS, ' ')
    .replace(SINGLE_QUOTES, "'")
    .replace(WHITESPACE_RUN, ' ')
    .trim();
  return capWithoutSplittingSurrogates(normalized, MAX_TEXT_CHARS);
}

/**
 * Words of an already-normalised text: ICU word-like segments (so
 * `請求書が届きません` → 請求 / 書 / が / 届 / き / ま / せん) plus emoji, which
 * ICU does not call word-like but which do carry intent (😡, 🙏).
 *
 * ICU costs ~100 µs for a one-line inquiry, most of a classification and of
 * training on thousands of labels, yet only scripts written without spaces need
 * its dictionaries. Text with none of them (nor emoji, underscores or combining
 * marks, whose rules are ICU's own) is split by {@link SPACED_WORD},
 * which keeps UAX #29's word rules that matter here (`i'm`, `3.5`, `1,000`
 * stay whole); a text with any such script goes to ICU whole, so words at the
 * border of two scripts come out exactly as before.
 */
export function segmentWords(normalized: string): string[] {
  if (!NEEDS_ICU.test(normalized) && !PICTOGRAPHIC.test(normalized)) return normalized.match(SPACED_WORD) ?? [];
  const words: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(normalized)) {
    if (isWordLike) {
      words.push(segment);
    } else if (PICTOGRAPHIC.test(segment)) {
      const emoji = segment.replace(EMOJI_DECORATION, '');
      if (emoji.length > 0) words.push(emoji);
    }
  }
  return words;
}

// Scripts ICU segments by dictionary (CJK, kana, Hangul, Thai, Lao, Khmer, Myanmar) and full-width forms;
// also Hebrew, Arabic's number separators, underscores and combining marks, whose word rules are ICU's own and not worth copying.
const NEEDS_ICU =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Hebrew}\u066B\u066C\u3000-\u303F\uFF00-\uFFEF_\p{M}]/u;
// A word: letters and digits, joined across one apostrophe, period, colon or middle dot between
// letters (UAX #29's MidLetter) or one comma, period, semicolon or apostrophe between digits (MidNum), as ICU joins them.
const SPACED_WORD = /[\p{L}\p{N}]+(?:(?:(?<=\p{L})['.:·\u2027](?=\p{L})|(?<=\p{N})[.,;'](?=\p{N}))[\p{L}\p{N}]+)*/gu;

/** Normalise then segment: the word tokens the classifier sees for `text`. */
export function tokenizeWords(text: string): string[] {
  return segmentWords(normalizeText(text));
}

function capWithoutSplittingSurrogates(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  // A high surrogate at the cut would leave half an emoji behind.
  const end = last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars;
  return text.slice(0, end);
}
