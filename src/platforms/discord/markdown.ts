/**
 * Text someone else wrote (a customer's subject, body and name, a form's source, a chat name),
 * shown in a Discord embed exactly as written: no masked link with a lying label, no mention pill,
 * no heading, quote, list, code block, spoiler or emphasis. Line breaks are kept.
 *
 * Discord reads a backslash before any ASCII punctuation as "this character, literally", so every
 * character markdown gives a meaning to is escaped that way. Web addresses are the exception: Discord
 * links a bare `https://…` by itself, and a backslash inside one would change where it leads, so an
 * address is left as written except for the characters that could open or close link markup
 * (`(`, `)`, `[`, `]`, `\`, `|`), which are percent-encoded; it still leads where it says.
 */

// A bare web address as Discord finds one: up to whitespace or `<`, not ending in punctuation.
const BARE_URL = /https?:\/\/[^\s<]*[^\s<.,:;"')\]]/gi;

// Characters markdown gives a meaning to anywhere on a line: emphasis (* _), strike (~), code (`),
// spoilers (|), mentions, channels, emoji and timestamps (<…>), links ([ ] ( )), headings (#),
// lists and subtext (-), quotes (>) and the escape itself.
const MARKUP = /[\\*_~`|<>[\]()#-]/g;

// A numbered list item: digits and a dot at the start of a line.
const NUMBERED = /^(\s*\d+)\./gm;

// What a web address must not carry raw: it could end a masked link's target or begin markup.
const URL_UNSAFE = /[()[\]\\|<>"'\s`]/g;

const percent = (c: string) =>
  [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/** Text as written, escaped for an embed's title, description or field value. */
export function escapeMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    let url = match[0];
    // `…/Foo_(bar)`: a closing parenthesis that closes one opened in the address belongs to it.
    const end = match.index + url.length;
    if (text[end] === ')' && count(url, '(') > count(url, ')')) url += ')';
    out += escapePlain(text.slice(last, match.index));
    out += url.replace(URL_UNSAFE, percent);
    last = match.index + url.length;
  }
  return out + escapePlain(text.slice(last));
}

/**
 * A web address made safe as the target of a masked link `[label](target)` or inside `<…>`: the
 * characters that could end the target early or start markup inside it (parentheses, brackets,
 * `<`, `>`, backslash, quotes, backtick, `|`, whitespace) are percent-encoded, so the link leads
 * where the address says and the label is the one koe wrote.
 */
export function linkTarget(url: string): string {
  return url.replace(URL_UNSAFE, percent);
}

const count = (text: string, c: string) => text.split(c).length - 1;

function escapePlain(text: string): string {
  return text.replace(MARKUP, '\\$&').replace(NUMBERED, '$1\\.');
}

// A backslash before a character `escapeMarkdown` escapes.
const ESCAPED = /\\([\\*_~`|<>[\]()#.-])/g;

/**
 * Text koe escaped with `escapeMarkdown`, as it was written (a note posted in a mirror's thread, sent
 * on to the customer). Addresses come back as koe wrote them: percent-encoded where they had to be.
 */
export function unescapeMarkdown(text: string): string {
  return text.replace(ESCAPED, '$1');
}
