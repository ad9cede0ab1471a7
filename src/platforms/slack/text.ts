/**
 * Text helpers for Slack payloads: make arbitrary customer text safe to carry (no NUL bytes, no lone
 * surrogates), cut it to a limit without splitting a character, and escape it for mrkdwn.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const SIMPLE = /^[\x20-\x7e\n\t]*$/;

// C0 controls other than \t and \n, plus DEL: Slack rejects or mangles them (NUL above all).
// eslint-disable-next-line no-control-regex
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this pattern is for
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops control characters (keeping \n and \t), turns \r\n into \n, and replaces lone surrogates. */
export function sanitize(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/**
 * Length (UTF-16 index) of the longest prefix of whole grapheme clusters whose measure fits `budget`.
 * Every measure used here counts at least one per UTF-16 unit, so the prefix lies within the first
 * `budget` units; segmenting only that window (plus slack) keeps this fast on 100k-character text,
 * and a cluster cut by the window's edge can never fit, so none is split.
 */
function fitPrefix(text: string, budget: number, measure: (s: string) => number): number {
  let used = 0;
  let end = 0;
  const window = text.slice(0, Math.max(0, budget) + 64);
  if (SIMPLE.test(window)) {
    // Printable ASCII, tabs and newlines: every character is a cluster of its own.
    for (; end < window.length; end++) {
      const size = measure(window[end]!);
      if (used + size > budget) break;
      used += size;
    }
    return end;
  }
  for (const { segment, index } of segmenter.segment(window)) {
    const size = measure(segment);
    if (used + size > budget) break;
    used += size;
    end = index + segment.length;
  }
  return end;
}

/**
 * The longest prefix of `text` whose measured length fits `max` (with `suffix` appended when cut),
 * cut between grapheme clusters so no emoji or combining sequence is split. `measure` lets callers
 * count escaped length (mrkdwn entities, JSON bytes) instead of raw length.
 */
export function truncate(
  text: string,
  max: number,
  { suffix = '…', measure = (s: string) => s.length }: { suffix?: string; measure?: (s: string) => number } = {},
): { text: string; cut: boolean } {
  if (measure(text) <= max) return { text, cut: false };
  const end = fitPrefix(text, Math.max(0, max - measure(suffix)), measure);
  return { text: `${text.slice(0, end).trimEnd()}${suffix}`, cut: true };
}

/** Escapes the three characters mrkdwn treats as control: `&`, `<`, `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapedLength = (s: string) => escapeMrkdwn(s).length;

/** Sanitizes, cuts to `max` *escaped* characters (never inside an entity), then escapes. */
export function mrkdwnText(text: string, max: number): string {
  return escapeMrkdwn(truncate(sanitize(text), max, { measure: escapedLength }).text);
}

/**
 * Look-alikes for mrkdwn's formatting marks. mrkdwn has no escape for them (only `&`, `<`, `>` have
 * entities), and invisible characters beside a mark are no sure cure: Slack treats some of them as a
 * word boundary, which makes formatting apply rather than stop. A look-alike never formats. Slack
 * also formats with the full-width marks Japanese input produces (`＊太字＊`); `～` is left alone, as
 * in `10時～12時` it is everywhere and means a range.
 */
const MARK_LOOKALIKES: Record<string, string> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
  '＊': '\uFE61', // ﹡ small asterisk
  '＿': '\u2E0F', // ⸏ paragraphos
  '｀': '\u02CB',
};
const MARKS = /[*_~`＊＿｀]/g;
const ASCII_ALNUM = /[A-Za-z0-9]/;
/** A mark between two ASCII letters or digits opens and closes nothing (`taro_yamada@example.com`, `a*b`). */
const INSIDE_A_WORD = new Set(['*', '_', '~']);

/**
 * Text someone else wrote (a customer's subject or name, a name an API client gave), for a mrkdwn
 * text object, shown as typed: sanitized, cut to `max` escaped characters, `&` `<` `>` escaped, the
 * formatting marks that could open or close bold, italic, strike or code replaced by look-alikes, a
 * leading `>` kept from starting a quote, and `@channel`, `@here`, `@everyone` split by a word joiner
 * so no client or auto-parser reads them as a mention (pair with `verbatim: true` on the object).
 */
export function mrkdwnLiteral(text: string, max: number): string {
  const defused = sanitize(text)
    .replace(/@(?=channel|here|everyone)/gi, '@\u2060')
    .replace(/^>/gm, '\u00AD>');
  const escaped = escapeMrkdwn(truncate(defused, max, { measure: escapedLength }).text);
  return escaped.replace(MARKS, (mark: string, at: number, all: string) =>
    INSIDE_A_WORD.has(mark) && ASCII_ALNUM.test(all[at - 1] ?? '') && ASCII_ALNUM.test(all[at + 1] ?? '')
      ? mark
      : (MARK_LOOKALIKES[mark] ?? mark),
  );
}

/** Sanitizes and cuts for a plain_text object; never empty (Slack rejects empty text objects). */
export function plainText(text: string, max: number, empty = '-'): string {
  const clean = sanitize(text).trim();
  return clean === '' ? empty : truncate(clean, max).text;
}

/** A mrkdwn link; the URL's own `<`, `>`, `|` are percent-encoded so the label cannot break out. */
export function mrkdwnLink(url: string, label: string, maxLabel = 80): string {
  const safeUrl = sanitize(url).replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${mrkdwnText(label, maxLabel)}>`;
}

/**
 * Splits `text` into pieces of at most `size` (as `measure` counts; characters by default) at
 * grapheme boundaries, preferring to break after a newline in the last fifth of a piece so
 * paragraphs stay whole.
 */
export function chunk(text: string, size: number, measure: (s: string) => number = (s) => s.length): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    let cutAt = fitPrefix(rest, size, measure);
    if (cutAt >= rest.length) {
      pieces.push(rest);
      break;
    }
    const newline = rest.lastIndexOf('\n', cutAt - 1);
    if (newline > 0 && measure(rest.slice(0, newline)) >= size * 0.8) cutAt = newline + 1;
    if (cutAt === 0) cutAt = [...rest.slice(0, 2)][0]?.length ?? 1; // one grapheme larger than `size`: split it
    pieces.push(rest.slice(0, cutAt));
    rest = rest.slice(cutAt);
  }
  if (pieces.length === 0) pieces.push('');
  return pieces;
}

/**
 * Bytes a string adds to a JSON payload (UTF-8, after JSON escaping): the unit of koe's size budget.
 * Equal to `Buffer.byteLength(JSON.stringify(text)) - 2`, computed without building either.
 */
export function jsonBytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) bytes += c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
    else if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 6; // a lone surrogate is written as \udXXX
    } else if (c >= 0xdc00 && c <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

/**
 * Slack message markup → readable plain text, for storing a Slack message as an inquiry body:
 * `<@U1|alice>` → `@alice`, `<#C1|general>` → `#general`, `<https://x|label>` → `label (https://x)`,
 * `<!here>` → `@here`, and the `&amp;` `&lt;` `&gt;` entities decoded.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<([^<>]+)>/g, (_all, inner: string) => {
      const [target = '', label] = inner.split('|', 2);
      // A group's label already starts with its @ (`<!subteam^S1|@support>`): one @, not two.
      const name = label?.replace(/^[@#]/, '');
      if (target.startsWith('@')) return `@${name ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${name ?? target.slice(1)}`;
      if (target.startsWith('!')) return `@${(name ?? target.slice(1)).replace(/^subteam\^\w+$/, 'group')}`;
      return label && label !== target ? `${label} (${target})` : target;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Slack `ts` ("1700000000.000100") → epoch ms. */
export function tsToMs(ts: string): number {
  return Math.round(Number(ts) * 1000);
}

/** Epoch ms → a Slack `oldest`/`latest` bound ("1700000000.000000"). */
export function msToTs(ms: number): string {
  const sec = Math.floor(Math.max(0, ms) / 1000);
  return `${sec}.${String(Math.max(0, ms) % 1000).padStart(3, '0')}000`;
}
