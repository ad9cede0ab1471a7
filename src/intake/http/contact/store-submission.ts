import { perform } from '../../../core/actions.ts';
import type { CoreContext } from '../../../core/context.ts';
import { createInquiry, createInquiryInput, prepareGuess } from '../../../core/inquiries/index.ts';
import { SYSTEM_ACTOR } from '../../../core/inquiries/types.ts';
import { CONTACT_FORM_SOURCE } from '../../../core/surfaces.ts';
import type { Locale } from '../../../lib/locale.ts';
import type { WriteBatcher } from '../../../storage/write-batch.ts';
import type { ContactValues } from './form-input.ts';
import { CONTACT_WORDS } from './words.ts';

export interface StoreDeps {
  ctx: CoreContext;
  batch: WriteBatcher;
  /** The team's locale: the thread note is for staff. */
  teamLocale: Locale;
}

/**
 * Stores a checked submission as an inquiry of source `form`, through the core as the API does: the
 * category becomes the inquiry's reason (an intake label, which wins over rules and the classifier),
 * and the form's one-time token its external id, so a double submit (a reload, a second click)
 * gives back the same inquiry. With `email.smtp` (or a `replies.webhooks` entry for `form`) a reply
 * reaches the customer from koe, so nothing more is written; without one, form inquiries have no way
 * back, and a note in the same transaction tells staff to answer at the address the customer gave.
 */
export async function storeSubmission(
  deps: StoreDeps,
  values: ContactValues,
  token: string | null,
  page: { locale: Locale; embed: boolean },
): Promise<{ inquiryId: number }> {
  const { ctx } = deps;
  const input = createInquiryInput.parse({
    source: CONTACT_FORM_SOURCE,
    ...(token && { externalId: `form:${token}` }),
    customer: { name: values.name, email: values.email },
    subject: values.subject,
    body: values.message,
    ...(values.category && { reason: values.category }),
    metadata: { form: { locale: page.locale, embedded: page.embed } },
  });
  await prepareGuess(ctx, input);
  const outcome = await deps.batch.run(() => {
    const created = createInquiry(ctx, input);
    if (created.ok && created.created && !ctx.replies?.targetOf(created.inquiry)) {
      const text = CONTACT_WORDS[deps.teamLocale].answerByEmail(values.email);
      const note = perform(ctx, { type: 'note', inquiryId: created.inquiry.id, text, actor: SYSTEM_ACTOR });
      if (!note.ok) throw new Error(`contact form: the thread note was refused (${note.code})`);
    }
    return created;
  });
  // The form offers only the taxonomy's reasons and checks them, so a refusal here is koe's bug.
  if (!outcome.ok) throw new Error(`contact form: the core refused the inquiry (${outcome.code})`);
  return { inquiryId: outcome.inquiry.id };
}
