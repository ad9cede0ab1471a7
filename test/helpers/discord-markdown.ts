/**
 * How Discord reads markdown in an embed's title, description and field values, as far as the
 * tests need it: backslash escapes, web addresses bare or in `<…>` (linked as they are, never
 * parsed further) and masked links `[label](target)` (simple-markdown's link rule, which Discord's parser derives
 * from). Written here from Discord's behaviour, not from src, so that src cannot agree with itself.
 */

const BARE_URL = /^https?:\/\/[^\s<]+[^<.,:;"')\]\s]/i;
const ANGLE_URL = /^<([^: >]+:\/[^ >]+)>/;
const LINK_INSIDE = String.raw`(?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*`;
const LINK_HREF_AND_TITLE = String.raw`\s*<?((?:\([^)]*\)|[^\s\\])*?)>?(?:\s+['"]([\s\S]*?)['"])?\s*`;
const MASKED_LINK = new RegExp(`^\\[(${LINK_INSIDE})\\]\\(${LINK_HREF_AND_TITLE}\\)`);

/** Every masked link Discord would draw in `markdown`: a label that may say anything, and where it leads. */
export function maskedLinks(markdown: string): Array<{ label: string; target: string }> {
  const links: Array<{ label: string; target: string }> = [];
  let i = 0;
  while (i < markdown.length) {
    const rest = markdown.slice(i);
    if (rest[0] === '\\' && rest.length > 1 && /[^0-9A-Za-z\s]/.test(rest[1]!)) {
      i += 2;
      continue;
    }
    const url = ANGLE_URL.exec(rest) ?? BARE_URL.exec(rest);
    if (url && (i === 0 || !/[A-Za-z0-9]/.test(markdown[i - 1]!))) {
      i += url[0].length;
      continue;
    }
    const link = MASKED_LINK.exec(rest);
    if (link) {
      links.push({ label: link[1]!, target: link[2]! });
      i += link[0].length;
      continue;
    }
    i += 1;
  }
  return links;
}

/**
 * Markup Discord would act on in `markdown` outside bare web addresses: an unescaped character that
 * starts emphasis, code, spoilers, mentions (`<@…>`), links, headings, quotes or lists.
 */
export function liveMarkup(markdown: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    const rest = markdown.slice(i);
    if (rest[0] === '\\' && rest.length > 1 && /[^0-9A-Za-z\s]/.test(rest[1]!)) {
      i += 2;
      continue;
    }
    const url = BARE_URL.exec(rest);
    if (url) {
      i += url[0].length;
      continue;
    }
    if (/^[*_~`|<>[\]()#\\]/.test(rest) || /^-/.test(rest)) found.push(`${rest[0]} at ${i}`);
    i += 1;
  }
  return found;
}

/** What a reader sees of `markdown` that holds no live markup: the escapes removed. */
export function shownText(markdown: string): string {
  return markdown.replace(/\\([^0-9A-Za-z\s])/g, '$1');
}
