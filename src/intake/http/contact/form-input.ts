import { z } from 'zod';
import type { Reason } from '../../../core/reasons/taxonomy.ts';
import type { ContactField, ContactWords } from './words.ts';

/**
 * The longest each field may be, in UTF-16 units as a browser's `maxlength` counts them. Tighter
 * than the core's limits: a form needs no 100,000-character message, and a short cap keeps what one
 * submitter can make koe store and mirror small.
 */
export const FIELD_MAX = { name: 200, email: 254, subject: 200, message: 10_000 } as const;

/** Field names of the form; the honeypot's is one a person never sees (see pages.ts). */
export const HONEYPOT_FIELD = 'website';

export type ContactValues = Record<ContactField, string>;
export type FieldErrors = Partial<Record<ContactField, string>>;

export interface Submission {
  values: ContactValues;
  /** The honeypot was filled in: a bot, so the submission is dropped without a word. */
  trapped: boolean;
  /** The form's one-time token (idempotency of a double submit), when it is one koe could have made. */
  token: string | null;
  /** The page's language and variant, carried by the form's hidden fields. */
  locale: string | undefined;
  embed: boolean;
}

const TOKEN = /^[A-Za-z0-9_-]{22,64}$/;
// The same check as the core's createInquiryInput, so an address accepted here is accepted there.
const emailSchema = z.email();

/** A urlencoded form body, read into its fields; anything else in it is ignored. */
export function readSubmission(body: string): Submission {
  const form = new URLSearchParams(body);
  const field = (name: string) => form.get(name) ?? '';
  const token = field('token');
  return {
    values: {
      name: field('name').trim(),
      email: field('email').trim(),
      category: field('category').trim(),
      subject: field('subject').trim(),
      // Browsers send line breaks as CRLF; stored and mirrored as LF.
      message: field('message').replace(/\r\n?/g, '\n'),
    },
    trapped: field(HONEYPOT_FIELD) !== '',
    token: TOKEN.test(token) ? token : null,
    locale: form.get('locale') ?? undefined,
    embed: form.get('embed') === '1',
  };
}

/** What is wrong with each field, in the page's words; empty when the submission can be stored. */
export function fieldErrors(values: ContactValues, reasons: readonly Reason[], words: ContactWords): FieldErrors {
  const errors: FieldErrors = {};
  for (const field of ['name', 'email', 'subject', 'message'] as const) {
    const value = values[field];
    if (value.trim() === '') errors[field] = words.errors.missing[field];
    else if (value.length > FIELD_MAX[field]) {
      errors[field] = words.errors.tooLong(words.fields[field], FIELD_MAX[field], value.length);
    }
  }
  if (!errors.email && !emailSchema.safeParse(values.email).success) errors.email = words.errors.email;
  if (values.category !== '' && !reasons.some((r) => r.id === values.category)) {
    errors.category = words.errors.category;
  }
  return errors;
}
