import { createHash } from 'node:crypto';
import type { Locale } from '../../../lib/locale.ts';
import { Html, html } from './html.ts';

/**
 * The page around every contact page, its style, and the headers it is sent with. The style is
 * inline so a page is one request (an embed in an iframe stays light), and the CSP allows exactly
 * that style by its hash: no script, image, font or other origin is needed, so none is allowed.
 */

// Readable and keyboard-friendly without JavaScript: large targets, a visible focus ring, errors in
// a colour with 7:1 contrast on white and marked by text too (never by colour alone).
const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;color:#1a1a1a;background:#fff}
body.embed{background:transparent}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem}
body.embed main{padding:0.5rem}
h1{font-size:1.5rem;margin:0 0 .5rem}
.lang{text-align:right;margin:0}
.field{margin:1.25rem 0}
label{display:block;font-weight:600}
.tag{font-weight:400;font-size:.85rem;color:#4a4a4a}
input,select,textarea{display:block;width:100%;font:inherit;padding:.5rem;border:2px solid #595959;border-radius:4px;background:#fff;color:inherit}
textarea{min-height:10rem;resize:vertical}
[aria-invalid=true]{border-color:#a30016}
:focus-visible{outline:3px solid #1d5fbf;outline-offset:2px}
.error{color:#a30016;font-weight:600;margin:.25rem 0}
.summary,.notice{border:3px solid #a30016;padding:.75rem 1rem;margin:1rem 0}
.summary h2{font-size:1.1rem;margin:0 0 .5rem}
.summary a{color:#a30016}
button{font:inherit;font-weight:600;padding:.6rem 1.5rem;border:0;border-radius:4px;background:#1d5fbf;color:#fff;cursor:pointer}
.number{font-size:1.25rem}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;

const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;
// The style is koe's own text, put in as markup (escaping would change the bytes the hash covers).
const styleMarkup = Html.trusted(CSS);

/** A whole page: `lang` set, one title, the style, and the content inside `<main>`. */
export function page(locale: Locale, title: string, embed: boolean, content: Html): string {
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${styleMarkup}</style>
</head>
<body${embed ? html` class="embed"` : ''}>
<main>
${content}
</main>
</body>
</html>
`.toString();
}

/**
 * The headers of every contact page. The page itself may not be framed at all; the embed variant
 * may be framed by the sites in `contact.frameAncestors` and no other (none when the list is
 * empty). Pages may echo what a customer typed, so nothing is cached and no referrer leaves.
 */
export function pageHeaders(embed: boolean, frameAncestors: readonly string[]): Record<string, string> {
  const ancestors = embed && frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  const csp = [
    "default-src 'none'",
    `style-src ${STYLE_HASH}`,
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    vary: 'Accept-Language',
    // Older browsers know no frame-ancestors; the embed relies on the CSP alone (ALLOW-FROM is gone).
    ...(embed ? {} : { 'x-frame-options': 'DENY' }),
  };
}
