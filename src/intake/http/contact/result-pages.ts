import type { Locale } from '../../../lib/locale.ts';
import { pageQuery } from './form-page.ts';
import { html } from './html.ts';
import { page } from './layout.ts';
import type { ContactWords } from './words.ts';

/**
 * The thank-you page, with the inquiry's number when there is one. A submission dropped by the
 * honeypot gets the same page without a number: the bot learns nothing, and no number is made up.
 */
export function renderThanks(locale: Locale, words: ContactWords, embed: boolean, inquiryId: number | null): string {
  const t = words.thanks;
  const number =
    inquiryId !== null && html`<p class="number"><strong>${t.number(inquiryId)}</strong></p><p>${t.keepNumber}</p>`;
  return page(locale, t.title, embed, html`<h1>${t.title}</h1>\n<p>${t.body}</p>\n${number}`);
}

/** A body over the form's limit: unread, so nothing of it can be shown again; a way back to the form. */
export function renderTooLarge(locale: Locale, words: ContactWords, embed: boolean): string {
  const t = words.tooLarge;
  const content = html`<h1>${t.title}</h1>\n<p>${t.body}</p>\n<p><a href="${pageQuery(locale, embed)}">${t.back}</a></p>`;
  return page(locale, t.title, embed, content);
}
