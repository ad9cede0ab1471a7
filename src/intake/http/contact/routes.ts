import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context, Hono } from 'hono';
import type { ContactSettings } from '../../../config/contact-schema.ts';
import type { CoreContext } from '../../../core/context.ts';
import type { Locale } from '../../../lib/locale.ts';
import type { Logger } from '../../../lib/logger.ts';
import { createWindowLimiter, NO_LIMIT, type WindowLimiter } from '../../../lib/window-limiter.ts';
import type { WriteBatcher } from '../../../storage/write-batch.ts';
import { readBodyText } from '../read-body.ts';
import { clientKey } from './client-key.ts';
import { fieldErrors, readSubmission, type Submission } from './form-input.ts';
import { EMPTY_VALUES, type FormView, renderForm } from './form-page.ts';
import { pageHeaders } from './layout.ts';
import { pickLocale } from './locale.ts';
import { renderThanks, renderTooLarge } from './result-pages.ts';
import { storeSubmission } from './store-submission.ts';
import { CONTACT_WORDS } from './words.ts';

/** A form body is a few fields of text: 10,000 characters of Japanese percent-encoded is about 90 KB. */
export const CONTACT_MAX_BODY_BYTES = 256 * 1024;

export interface ContactFormDeps {
  ctx: CoreContext;
  batch: WriteBatcher;
  log: Logger;
  settings: ContactSettings;
  /** koe's locale: the page's language when the browser prefers neither, and the thread note's. */
  locale: Locale;
}

/** A fresh one-time token for a form: 128 random bits, so nobody can guess another's. */
const newToken = () => randomBytes(16).toString('base64url');

/** The address the request came from (behind a proxy, the proxy's: hence `contact.maxPerAddress: off`). */
const remoteAddress = (c: Context) =>
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? '';

/**
 * Serves the contact form: `GET /contact` draws it (`?embed=1` for an iframe), `POST /contact`
 * checks and stores a submission. Only mounted when `contact.enabled`; every page is HTML with the
 * headers of layout.ts.
 */
export function mountContactForm(app: Hono, deps: ContactFormDeps): void {
  const { settings } = deps;
  const limiter: WindowLimiter =
    settings.maxPerAddress === 'off'
      ? NO_LIMIT
      : createWindowLimiter({ max: settings.maxPerAddress, windowMs: settings.windowMs });
  const send = (c: Context, status: 200 | 400 | 413 | 429, embed: boolean, body: string, extra = {}) =>
    c.body(body, status, { ...pageHeaders(embed, settings.frameAncestors), ...extra });
  const localeOf = (c: Context, chosen?: string) =>
    pickLocale(chosen ?? c.req.query('locale'), c.req.header('accept-language'), deps.locale);
  const formView = (c: Context, sub: Submission | null): FormView => {
    const locale = localeOf(c, sub?.locale);
    const embed = sub?.embed || c.req.query('embed') === '1';
    const values = sub?.values ?? EMPTY_VALUES;
    const token = sub?.token ?? newToken();
    return { locale, words: CONTACT_WORDS[locale], embed, reasons: deps.ctx.reasons, values, errors: {}, token };
  };

  app.get('/contact', (c) => {
    const view = formView(c, null);
    return send(c, 200, view.embed, renderForm(view));
  });

  app.post('/contact', async (c) => {
    const body = await readBodyText(c, CONTACT_MAX_BODY_BYTES);
    if (!body.ok) {
      const view = formView(c, null); // unread, so the connection closes once this is out (server.ts)
      return send(c, 413, view.embed, renderTooLarge(view.locale, view.words, view.embed));
    }
    const sub = readSubmission(body.text);
    const view = formView(c, sub);
    if (sub.trapped) {
      deps.log.info('contact form: the honeypot field was filled in; submission dropped');
      return send(c, 200, view.embed, renderThanks(view.locale, view.words, view.embed, null));
    }
    const errors = fieldErrors(sub.values, deps.ctx.reasons, view.words);
    if (Object.keys(errors).length > 0) return send(c, 400, view.embed, renderForm({ ...view, errors }));
    const taken = limiter.take(clientKey(remoteAddress(c)), deps.ctx.now());
    if (!taken.ok) {
      deps.log.info('contact form: over contact.maxPerAddress; submission held back');
      const minutes = Math.max(1, Math.ceil(taken.retryAfterMs / 60_000));
      const retryAfter = { 'retry-after': String(Math.ceil(taken.retryAfterMs / 1000)) };
      return send(c, 429, view.embed, renderForm({ ...view, notice: view.words.tooMany(minutes) }), retryAfter);
    }
    const teamLocale = deps.locale;
    const { inquiryId } = await storeSubmission({ ...deps, teamLocale }, sub.values, sub.token, view);
    return send(c, 200, view.embed, renderThanks(view.locale, view.words, view.embed, inquiryId));
  });
}
