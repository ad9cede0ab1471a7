import { describe, expect, it } from 'vitest';
import { CONTACT_FORM_SOURCE } from '../../src/core/surfaces.ts';
import { wordsFor } from '../../src/platforms/words/index.ts';

/** The refusal of a reply with no way back reads right for the contact form, in both languages. */

const c = { command: '/koe' };

describe('NO_WAY_BACK for a contact-form inquiry', () => {
  it('says in Japanese that the form has no way back yet and to write to the address the customer gave', () => {
    const text = wordsFor('ja').failures.NO_WAY_BACK(
      { ...c, locale: 'ja' },
      { ok: false, code: 'NO_WAY_BACK', inquiryId: 12, source: CONTACT_FORM_SOURCE, url: null },
      {},
    );
    expect(text).toBe(
      '#12 はお問い合わせフォームから届いたため、まだ koe から返信できません（メールでの返信は準備中です。koe.config.yaml の `replies.webhooks` に窓口 `form` を設定すると、その Webhook で返信できます）。お客様が入力したメールアドレス（ミラーとスレッドに表示されています）あてに、直接ご返信ください。',
    );
  });

  it('says the same in English, without "where they wrote" (a form is not a place to answer in)', () => {
    const text = wordsFor('en').failures.NO_WAY_BACK(
      { ...c, locale: 'en' },
      { ok: false, code: 'NO_WAY_BACK', inquiryId: 12, source: CONTACT_FORM_SOURCE, url: null },
      {},
    );
    expect(text).toBe(
      'koe cannot send a reply to #12 yet: it came in through the contact form, and replies by email are not built yet (a koe.config.yaml `replies.webhooks` entry for source `form` would carry them). Write to the customer at the email address they gave, shown in the mirror and in its thread.',
    );
  });

  it('keeps the sentence of other sources as it was', () => {
    const text = wordsFor('en').failures.NO_WAY_BACK(
      { ...c, locale: 'en' },
      { ok: false, code: 'NO_WAY_BACK', inquiryId: 3, source: 'crm', url: 'https://crm.example/t/1' },
      {},
    );
    expect(text).toContain('it came from crm, which has no way back');
    expect(text).toContain('where they wrote: https://crm.example/t/1');
  });
});
