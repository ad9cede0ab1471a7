/**
 * Customer text made safe to print on the terminal koe logs to. The console destination shares
 * stdout with koe's JSON log lines, so text a customer wrote must neither drive the terminal (ESC
 * sequences: retitling, clearing, OSC 8 links that show one address and open another; bidi controls
 * that reorder what is shown) nor forge a log line (a line break followed by `{"level":50,…}`).
 */

// Every way a reader may split lines: \r\n, \n, \r, vertical tab, form feed, NEL, and the Unicode
// line and paragraph separators (Python's splitlines, some log shippers).
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

// C0 controls (ESC, BEL, BS, …), DEL and the C1 controls (CSI U+009B, OSC U+009D, …).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is what this pattern is for
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

// Bidirectional controls: the embeddings and overrides (LRE RLE PDF LRO RLO, U+202A–U+202E), the
// isolates (LRI RLI FSI PDI, U+2066–U+2069) and the marks (LRM RLM U+200E/U+200F, ALM U+061C). A
// terminal that applies them shows text in another order than it was written ("Trojan Source"): an
// override can turn `gpj.exe` into `exe.jpg` or a log field around; so they print as U+FFFD too.
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** What a control character prints as: its Control Pictures symbol (ESC → ␛, BEL → ␇), U+FFFD for C1. */
function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\t') return ' ';
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return '\uFFFD';
}

/** A line with its control characters shown (as symbols) and its bidi controls neutralised. */
const printable = (line: string) => line.replace(CONTROL, picture).replace(BIDI, '\uFFFD');

/** One printable line: line breaks become spaces, other control characters visible symbols. */
export function oneLine(text: string): string {
  return printable(text.replace(LINE_BREAK, ' '));
}

/** The lines of a multi-line text, each printable (no control character left in any). */
export function textLines(text: string): string[] {
  return text.split(LINE_BREAK).map(printable);
}

/** The mark that starts every line of customer text koe prints below a heading (a body, a follow-up). */
export const QUOTE = '│ ';

// A line that a JSON-lines reader (pino-pretty, jq, a log shipper) could take for a record:
// JSON.parse accepts leading whitespace, so indentation alone is not enough.
const JSON_LIKE = /^\s*\{/;

/**
 * The last word before anything reaches the stream: no control character but `\n` survives, and a
 * line that could parse as a JSON record is quoted. Renderers already produce such text; this holds
 * for whatever renderer the sender was given.
 */
export function terminalSafe(text: string): string {
  return textLines(text)
    .map((line) => (JSON_LIKE.test(line) ? `${QUOTE}${line}` : line))
    .join('\n');
}
