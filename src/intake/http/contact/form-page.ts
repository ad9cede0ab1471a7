import type { Locale, Reason } from '../../../core/reasons/taxonomy.ts';
import { type ContactValues, FIELD_MAX, type FieldErrors, HONEYPOT_FIELD } from './form-input.ts';
import { type Html, html } from './html.ts';
import { page } from './layout.ts';
import type { ContactField, ContactWords } from './words.ts';

/** What one rendering of the form shows. */
export interface FormView {
  locale: Locale;
  words: ContactWords;
  embed: boolean;
  reasons: readonly Reason[];
  values: ContactValues;
  errors: FieldErrors;
  /** The one-time token the form carries back (a double submit stores one inquiry). */
  token: string;
  /** A sentence above the form, e.g. that the rate limit held this submission back. */
  notice?: string;
}

export const EMPTY_VALUES: ContactValues = { name: '', email: '', category: '', subject: '', message: '' };

const FIELD_ORDER: readonly ContactField[] = ['name', 'email', 'category', 'subject', 'message'];
const idOf = (field: string) => `f-${field}`;

/** The query that keeps the page's language and variant (the language switch, the back link). */
export function pageQuery(locale: Locale, embed: boolean): string {
  return `?locale=${locale}${embed ? '&embed=1' : ''}`;
}

/**
 * The form, as a whole page. It works without JavaScript and is checked by koe, not the browser
 * (`novalidate`), so every error is said in the page's language, next to its field (between label
 * and input, tied by aria-describedby), and in a summary at the top whose links lead to the fields.
 * The first field in error takes the focus, so a keyboard or screen-reader user lands on it.
 */
export function renderForm(view: FormView): string {
  const { words, errors } = view;
  const failed = FIELD_ORDER.filter((f) => errors[f]);
  const title = failed.length > 0 ? `${words.errors.titlePrefix}: ${words.title}` : words.title;
  const other: Locale = view.locale === 'ja' ? 'en' : 'ja';
  const summary =
    failed.length > 0 &&
    html`<div class="summary" role="alert"><h2>${words.errors.summary}</h2><ul>${failed.map(
      (f) => html`<li><a href="#${idOf(f)}">${words.fields[f]}: ${errors[f]}</a></li>`,
    )}</ul></div>`;
  const content = html`<p class="lang"><a href="${pageQuery(other, view.embed)}" lang="${other}" hreflang="${other}">${words.otherLanguage}</a></p>
<h1>${words.title}</h1>
<p>${words.intro}</p>
${view.notice && html`<div class="notice" role="alert"><p>${view.notice}</p></div>`}
${summary}
<form method="post" novalidate>
<input type="hidden" name="locale" value="${view.locale}">
<input type="hidden" name="token" value="${view.token}">
${view.embed && html`<input type="hidden" name="embed" value="1">`}
${textField(view, 'name', { type: 'text', autocomplete: 'name', focus: failed[0] === 'name' })}
${textField(view, 'email', { type: 'email', autocomplete: 'email', focus: failed[0] === 'email' })}
${categoryField(view, failed[0] === 'category')}
${textField(view, 'subject', { type: 'text', autocomplete: 'off', focus: failed[0] === 'subject' })}
${messageField(view, failed[0] === 'message')}
<div class="hp" aria-hidden="true"><label for="${idOf(HONEYPOT_FIELD)}">${words.honeypot}</label><input id="${idOf(HONEYPOT_FIELD)}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off" value=""></div>
<button type="submit">${words.submit}</button>
</form>`;
  return page(view.locale, title, view.embed, content);
}

/** A field's label (with required/optional said in words) and its error, if any, right under it. */
function labelAndError(view: FormView, field: ContactField, required: boolean): Html {
  const tag = required ? view.words.required : view.words.optional;
  const error = view.errors[field];
  return html`<label for="${idOf(field)}">${view.words.fields[field]}<span class="tag">${tag}</span></label>
${error && html`<p class="error" id="${idOf(field)}-error">${error}</p>`}`;
}

/** The attributes that mark a field in error and point at its message; the first one takes the focus. */
function errorAttributes(view: FormView, field: ContactField, focus: boolean): Html {
  if (!view.errors[field]) return html``;
  return html` aria-invalid="true" aria-describedby="${idOf(field)}-error"${focus ? html` autofocus` : ''}`;
}

function textField(
  view: FormView,
  field: 'name' | 'email' | 'subject',
  o: { type: string; autocomplete: string; focus: boolean },
): Html {
  return html`<div class="field">${labelAndError(view, field, true)}
<input id="${idOf(field)}" name="${field}" type="${o.type}" autocomplete="${o.autocomplete}" required maxlength="${FIELD_MAX[field]}" value="${view.values[field]}"${errorAttributes(view, field, o.focus)}>
</div>`;
}

function categoryField(view: FormView, focus: boolean): Html {
  const chosen = view.values.category;
  const options = view.reasons.map(
    (r) => html`<option value="${r.id}"${r.id === chosen ? html` selected` : ''}>${r.label[view.locale]}</option>`,
  );
  return html`<div class="field">${labelAndError(view, 'category', false)}
<select id="${idOf('category')}" name="category"${errorAttributes(view, 'category', focus)}><option value="">${view.words.noCategory}</option>${options}</select>
</div>`;
}

// The line break after <textarea> is the one HTML drops, so a message that starts with one keeps it.
function messageField(view: FormView, focus: boolean): Html {
  return html`<div class="field">${labelAndError(view, 'message', true)}
<textarea id="${idOf('message')}" name="message" rows="8" required maxlength="${FIELD_MAX.message}"${errorAttributes(view, 'message', focus)}>
${view.values.message}</textarea>
</div>`;
}
