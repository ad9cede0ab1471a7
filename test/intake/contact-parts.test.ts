import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import { clientKey } from '../../src/intake/http/contact/client-key.ts';
import { FIELD_MAX, fieldErrors, readSubmission } from '../../src/intake/http/contact/form-input.ts';
import { EMPTY_VALUES, type FormView, pageQuery, renderForm } from '../../src/intake/http/contact/form-page.ts';
import { escapeHtml, html } from '../../src/intake/http/contact/html.ts';
import { page, pageHeaders } from '../../src/intake/http/contact/layout.ts';
import { pickLocale } from '../../src/intake/http/contact/locale.ts';
import { renderThanks, renderTooLarge } from '../../src/intake/http/contact/result-pages.ts';
import { storeSubmission } from '../../src/intake/http/contact/store-submission.ts';
import { CONTACT_WORDS } from '../../src/intake/http/contact/words.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { createWriteBatcher } from '../../src/storage/write-batch.ts';
import { coreContext, tempDb } from '../helpers/temp-db.ts';

/**
 * The contact form's parts on their own: what contact-form.test.ts shows over HTTP, at the edges a
 * request would take many round trips to reach (lengths at the limit, header parsing, each field's
 * error state).
 */

const en = CONTACT_WORDS.en;
const ja = CONTACT_WORDS.ja;
const TOKEN = 'tok_0123456789abcdefghijkl';
const valid = { name: 'Taro', email: 'taro@example.com', category: '', subject: 'Receipt', message: 'Hello' };

describe('pickLocale', () => {
  it.each([
    ['the chosen locale over the header', 'en', 'ja', 'ja', 'en'],
    ['an unknown chosen locale falls to the header', 'fr', 'en', 'ja', 'en'],
    ['no header: koe’s locale', undefined, undefined, 'en', 'en'],
    ['a region counts as its language', undefined, 'EN-gb', 'ja', 'en'],
    ['the higher q wins over order', undefined, 'ja;q=0.4, en;q=0.6', 'ja', 'en'],
    ['equal q: the first wins', undefined, 'en;q=0.5, ja;q=0.5', 'ja', 'en'],
    ['no q means 1', undefined, 'ja;q=0.9, en', 'ja', 'en'],
    ['q=0 means not wanted', undefined, 'en;q=0, fr', 'ja', 'ja'],
    ['q=0.000 means not wanted', undefined, 'en;q=0.000', 'ja', 'ja'],
    ['q=1.0 is kept', undefined, 'ja;q=0.5, en;q=1.0', 'ja', 'en'],
    ['a malformed q counts as 1', undefined, 'ja;q=0.9, en;q=high', 'ja', 'en'],
    ['a q past three decimals counts as 1', undefined, 'ja;q=0.9, en;q=0.1234', 'ja', 'en'],
    ['a q above 1 counts as 1', undefined, 'ja;q=0.9, en;q=2', 'ja', 'en'],
    ['spaces around the q are fine', undefined, 'ja;q=0.2, en; q=0.3 ', 'ja', 'en'],
    ['a languages koe does not speak is skipped', undefined, 'de, fr;q=0.9, en;q=0.1', 'ja', 'en'],
    ['a parameter that only ends in q= is no q', undefined, 'ja;q=0.5, en;xq=0', 'ja', 'en'],
    ['a space before the parameters is fine', undefined, 'ja;q=0.5, en ;q=0.9', 'ja', 'en'],
  ])('%s', (_what, chosen, header, fallback, expected) => {
    expect(pickLocale(chosen, header, fallback as 'ja' | 'en')).toBe(expected);
  });

  it('reads only the first 32 tags of a header', () => {
    const filler = Array.from({ length: 31 }, (_, i) => `x${i}`).join(', ');
    expect(pickLocale(undefined, `${filler}, en`, 'ja')).toBe('en');
    expect(pickLocale(undefined, `${filler}, x31, en`, 'ja')).toBe('ja');
  });
});

describe('clientKey', () => {
  it.each([
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:10.0.0.1', '10.0.0.1'],
    ['2001:DB8:A::1', '2001:db8:a:0::/64'],
    ['1:2:3:4::', '1:2:3:4::/64'],
    ['::', '0:0:0:0::/64'],
    ['0000:00a0:0001:1000::1', '0:a0:1:1000::/64'],
    ['::ffff:192.168.10.200', '192.168.10.200'],
    ['1::ffff:1.2.3.4', '1:0:0:0::/64'],
    ['2001:db8::1:2:3:4:5', '2001:db8:0:1::/64'],
  ])('counts %s as %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe('html', () => {
  it('escapes the five characters that end text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('puts fragments in as markup, joins lists, drops null, undefined and false, and writes 0 and true', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`[${inner}|${['<', html`<br>`, '>']}|${null}|${undefined}|${false}|${0}|${true}|${''}]`;
    expect(out.toString()).toBe('[<b>&lt;i&gt;</b>|&lt;<br>&gt;||||0|true|]');
  });
});

describe('readSubmission', () => {
  const body = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  it('trims the short fields, keeps the message’s spaces, and turns CRLF and lone CR into LF', () => {
    const sub = readSubmission(
      body({
        name: '  Taro ',
        email: ' t@example.com ',
        category: ' billing ',
        subject: ' S ',
        message: ' a\r\nb\rc \n',
      }),
    );
    expect(sub.values).toEqual({
      name: 'Taro',
      email: 't@example.com',
      category: 'billing',
      subject: 'S',
      message: ' a\nb\nc \n',
    });
    expect(sub).toMatchObject({ trapped: false, token: null, locale: undefined, embed: false });
  });

  it('reads missing fields as empty', () => {
    expect(readSubmission('').values).toEqual(EMPTY_VALUES);
  });

  it('is trapped by any text in the honeypot', () => {
    expect(readSubmission(body({ website: ' ' })).trapped).toBe(true);
    expect(readSubmission(body({ website: '' })).trapped).toBe(false);
  });

  it('keeps a token of 22 to 64 URL-safe characters, and no other', () => {
    const token = (t: string) => readSubmission(body({ token: t })).token;
    expect(token('a'.repeat(22))).toBe('a'.repeat(22));
    expect(token(`A-_9${'z'.repeat(60)}`)).toBe(`A-_9${'z'.repeat(60)}`);
    expect(token('a'.repeat(21))).toBeNull();
    expect(token('a'.repeat(65))).toBeNull();
    expect(token(`${'a'.repeat(22)}!`)).toBeNull();
    expect(token(`!${'a'.repeat(22)}`)).toBeNull();
  });

  it('carries the page’s locale, and the embed only for embed=1', () => {
    expect(readSubmission(body({ locale: 'en', embed: '1' }))).toMatchObject({ locale: 'en', embed: true });
    expect(readSubmission(body({ embed: 'true' })).embed).toBe(false);
  });
});

describe('fieldErrors', () => {
  const errors = (values: Partial<typeof valid>) => fieldErrors({ ...valid, ...values }, DEFAULT_REASONS, en);

  it('finds nothing wrong with a valid submission, with or without a category', () => {
    expect(errors({})).toEqual({});
    expect(errors({ category: 'billing' })).toEqual({});
  });

  it('says a blank field is missing, and no more about it', () => {
    expect(errors({ name: '   ', email: '', subject: '\n', message: ' \n ' })).toEqual({
      name: en.errors.missing.name,
      email: en.errors.missing.email,
      subject: en.errors.missing.subject,
      message: en.errors.missing.message,
    });
  });

  it('takes each field up to its limit, and not one unit more', () => {
    for (const field of ['name', 'subject', 'message'] as const) {
      const max = FIELD_MAX[field];
      expect(errors({ [field]: 'x'.repeat(max) })).toEqual({});
      expect(errors({ [field]: 'x'.repeat(max + 1) })).toEqual({
        [field]: en.errors.tooLong(en.fields[field], max, max + 1),
      });
    }
    const local = 'a'.repeat(64);
    const longEmail = `${local}@${'b'.repeat(FIELD_MAX.email + 1 - local.length - 5)}.com`;
    expect(longEmail).toHaveLength(FIELD_MAX.email + 1);
    expect(errors({ email: longEmail })).toEqual({
      email: en.errors.tooLong(en.fields.email, FIELD_MAX.email, FIELD_MAX.email + 1),
    });
  });

  it('refuses an address that is not one, and a category that is not a reason', () => {
    expect(errors({ email: 'taro@' })).toEqual({ email: en.errors.email });
    expect(errors({ category: 'nope' })).toEqual({ category: en.errors.category });
  });
});

describe('renderForm', () => {
  const view = (over: Partial<FormView> = {}): FormView => ({
    locale: 'en',
    words: en,
    embed: false,
    reasons: DEFAULT_REASONS,
    values: EMPTY_VALUES,
    errors: {},
    token: TOKEN,
    ...over,
  });

  it('draws a clean form: no summary, no field marked, no autofocus, the other language linked', () => {
    const out = renderForm(view());
    expect(out).toContain('<title>Contact us</title>');
    expect(out).not.toContain('role="alert"');
    expect(out).not.toContain('aria-invalid="true"');
    expect(out).not.toContain('autofocus');
    expect(out).not.toContain('name="embed"');
    expect(out).toContain('<a href="?locale=ja" lang="ja" hreflang="ja">日本語</a>');
    expect(out).toContain(`<input type="hidden" name="token" value="${TOKEN}">`);
    expect(out).toContain('<option value="">');
    expect(out).not.toContain(' selected');
    // Name, email, subject and message are required; the category is not.
    expect(out.match(/<span class="tag"> \(required\)<\/span>/g)).toHaveLength(4);
    expect(out).toContain('<label for="f-message">Message<span class="tag"> (required)</span></label>');
    expect(out).toContain('<label for="f-category">Topic<span class="tag"> (optional)</span></label>');
  });

  it('marks each field in error, says why under its label, lists all in a summary, and focuses the first', () => {
    const out = renderForm(
      view({ errors: { email: 'bad address', category: 'bad category', message: 'too long' }, values: valid }),
    );
    expect(out).toContain('<title>Error: Contact us</title>');
    expect(out).toContain(
      '<li><a href="#f-email">Email address: bad address</a></li><li><a href="#f-category">Topic: bad category</a></li><li><a href="#f-message">Message: too long</a></li>',
    );
    expect(out).toContain('<p class="error" id="f-email-error">bad address</p>');
    expect(out).toContain('aria-invalid="true" aria-describedby="f-email-error" autofocus>');
    expect(out).toContain(
      '<select id="f-category" name="category" aria-invalid="true" aria-describedby="f-category-error">',
    );
    expect(out).toContain('maxlength="10000" aria-invalid="true" aria-describedby="f-message-error">');
    expect(out.match(/autofocus/g)).toHaveLength(1);
    expect(out).not.toContain('id="f-name-error"');
    expect(out).toMatch(
      /id="f-name" name="name" type="text" autocomplete="name" required maxlength="200" value="Taro">/,
    );
  });

  it('focuses only the first field in error, and links a Japanese page to English', () => {
    const out = renderForm(view({ errors: { name: 'n', email: 'e', subject: 's', message: 'm' } }));
    expect(out.match(/autofocus/g)).toHaveLength(1);
    expect(out).toContain('aria-describedby="f-name-error" autofocus>');
    const later = renderForm(view({ errors: { subject: 's', message: 'm' } }));
    expect(later.match(/autofocus/g)).toHaveLength(1);
    expect(later).toContain('aria-describedby="f-subject-error" autofocus>');
    expect(renderForm(view({ locale: 'ja', words: ja }))).toContain(
      '<a href="?locale=en" lang="en" hreflang="en">English</a>',
    );
  });

  it.each([
    [
      'name',
      'name="name" type="text" autocomplete="name" required maxlength="200" value="" aria-invalid="true" aria-describedby="f-name-error" autofocus>',
    ],
    [
      'subject',
      'name="subject" type="text" autocomplete="off" required maxlength="200" value="" aria-invalid="true" aria-describedby="f-subject-error" autofocus>',
    ],
    ['category', 'name="category" aria-invalid="true" aria-describedby="f-category-error" autofocus>'],
    ['message', 'maxlength="10000" aria-invalid="true" aria-describedby="f-message-error" autofocus>'],
  ] as const)('focuses %s when it is the first in error', (field, expected) => {
    expect(renderForm(view({ errors: { [field]: 'x' } }))).toContain(expected);
  });

  it('keeps the chosen category selected, a notice above the form, and the embed', () => {
    const out = renderForm(
      view({ values: { ...valid, category: 'billing' }, notice: 'Wait <5> minutes', embed: true }),
    );
    expect(out).toContain('<option value="billing" selected>Billing</option>');
    expect(out.match(/ selected/g)).toHaveLength(1);
    expect(out).toContain('<div class="notice" role="alert"><p>Wait &lt;5&gt; minutes</p></div>');
    expect(out).toContain('<input type="hidden" name="embed" value="1">');
    expect(out).toContain('<body class="embed">');
    expect(out).toContain('<a href="?locale=ja&amp;embed=1"');
  });

  it('keeps a message that starts with a line break', () => {
    expect(renderForm(view({ values: { ...valid, message: '\nsecond line' } }))).toContain(
      'maxlength="10000">\n\nsecond line</textarea>',
    );
  });
});

describe('pages and headers', () => {
  it('writes the page query for each language and variant', () => {
    expect(pageQuery('ja', false)).toBe('?locale=ja');
    expect(pageQuery('en', true)).toBe('?locale=en&embed=1');
  });

  it('draws a page with its language and title, and the embed class only when embedded', () => {
    const out = page('ja', 'T<1>', false, html`<p>x</p>`);
    expect(out).toMatch(/^<!doctype html>\n<html lang="ja">\n<head>/);
    expect(out).toContain('<title>T&lt;1&gt;</title>');
    expect(out).toContain('<body>\n<main>\n<p>x</p>\n</main>');
    expect(page('en', 'T', true, html``)).toContain('<body class="embed">');
  });

  it('frames the embed for the listed sites only, and the plain page for none', () => {
    const sites = ['https://a.example', 'https://b.example'];
    const embedded = pageHeaders(true, sites);
    expect(embedded['content-security-policy']).toContain('frame-ancestors https://a.example https://b.example');
    expect(embedded).not.toHaveProperty('x-frame-options');
    expect(pageHeaders(true, [])['content-security-policy']).toContain("frame-ancestors 'none'");
    const plain = pageHeaders(false, sites);
    expect(plain['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(plain['x-frame-options']).toBe('DENY');
    expect(plain.vary).toBe('Accept-Language');
    expect(plain['content-security-policy']?.split('; ')).toEqual([
      "default-src 'none'",
      expect.stringMatching(/^style-src 'sha256-[A-Za-z0-9+/]+=*'$/),
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]);
  });

  it('thanks with the number when there is one, and without it for a dropped submission', () => {
    const numbered = renderThanks('ja', ja, false, 42);
    expect(numbered).toContain(
      `<p class="number"><strong>${ja.thanks.number(42)}</strong></p><p>${ja.thanks.keepNumber}</p>`,
    );
    const dropped = renderThanks('ja', ja, true, null);
    expect(dropped).not.toContain('class="number"');
    expect(dropped).not.toContain(ja.thanks.keepNumber);
    expect(dropped).toContain('<body class="embed">');
  });

  it('leads back to the form in the same language and variant from the too-large page', () => {
    expect(renderTooLarge('en', en, true)).toContain(`<p><a href="?locale=en&amp;embed=1">${en.tooLarge.back}</a></p>`);
    expect(renderTooLarge('ja', ja, false)).toContain(`<p><a href="?locale=ja">${ja.tooLarge.back}</a></p>`);
  });
});

describe('storeSubmission', () => {
  let t: ReturnType<typeof tempDb> | undefined;
  afterEach(() => t?.cleanup());

  it('writes one note to staff for a double submit, and none when the form has a way back', async () => {
    t = tempDb();
    const read = createReadModel(t.db);
    const notes = (id: number) => read.inquiryDetail(id)?.messages.filter((m) => m.direction === 'note') ?? [];
    const deps = { ctx: coreContext(t.db), batch: createWriteBatcher(t.db), teamLocale: 'en' as const };
    const pageOf = { locale: 'ja' as const, embed: true };
    const first = await storeSubmission(deps, { ...valid, category: 'billing' }, TOKEN, pageOf);
    const again = await storeSubmission(deps, { ...valid, category: 'billing' }, TOKEN, pageOf);
    expect(again).toEqual(first);
    expect(notes(first.inquiryId).map((m) => m.body)).toEqual([en.answerByEmail(valid.email)]);
    const detail = read.inquiryDetail(first.inquiryId)!;
    expect(detail.inquiry).toMatchObject({ source: 'form', reasonId: 'billing', subject: 'Receipt', body: 'Hello' });

    const answered = {
      ...deps,
      ctx: coreContext(t.db, { replies: { undoMs: 0, targetOf: () => ({ platform: 'webhook', channel: 'form' }) } }),
    };
    const other = await storeSubmission(answered, valid, null, pageOf);
    expect(other.inquiryId).not.toBe(first.inquiryId);
    expect(notes(other.inquiryId)).toEqual([]);
  });
});
