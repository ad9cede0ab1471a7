import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { perform } from '../../../src/core/actions.ts';
import { type Dovecot, DOVECOT_MISSING, startDovecot } from '../../helpers/dovecot.ts';
import { mailConfigYaml, type MailKoe, startMailKoe } from '../../helpers/mail-koe.ts';
import { plainMail } from '../../helpers/mail-fixtures.ts';
import { headerOf, type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';
import { tempDir } from '../../helpers/temp-db.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * Contact-form inquiries answered by mail (issue 16, once email landed): with `email.smtp`, a reply
 * to a form inquiry is a new mail to the address the form asked for, with the form's subject and the
 * `[#id]` token and no In-Reply-To; the customer's answer joins the inquiry by that token, or by
 * In-Reply-To koe's mail. The form's "answer by email at …" note is then not written. Against a real
 * Dovecot (the mailbox koe reads) and a real SMTP server in this process.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

let dovecot: Dovecot;
let imap: ImapFlow;
let sink: SmtpSink;
let dir: { dir: string; cleanup: () => void };
let koe: MailKoe | undefined;

const FORM = {
  locale: 'ja',
  token: 'tok_0123456789abcdefghijkl',
  name: '山田 太郎',
  email: 'Taro@Example.jp',
  category: 'billing',
  subject: '領収書について',
  message: '先月分の領収書をダウンロードできません。',
};
const STAFF = { id: 'slack:U0SATO', name: 'Sato' };

/** Submits the contact form as a browser would; the inquiry's number from the store. */
async function submitForm(k: MailKoe): Promise<number> {
  const res = await fetch(`${k.url}/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(FORM).toString(),
  });
  expect(res.status).toBe(200);
  return (await waitFor(() => k.inquiries()[0], 10_000, 'the form inquiry')).id;
}

describe.skipIf(DOVECOT_MISSING !== null)('contact-form inquiries answered by mail', () => {
  beforeAll(async () => {
    dovecot = await startDovecot();
  }, 30_000);
  afterAll(async () => {
    await dovecot?.close();
  });
  beforeEach(async () => {
    imap = await dovecot.client();
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const box = imap.mailbox;
      if (box !== false && box.exists > 0) await imap.messageDelete('1:*');
    } finally {
      lock.release();
    }
    sink = await startSmtpSink();
    dir = tempDir();
  });
  afterEach(async () => {
    await koe?.stop();
    koe = undefined;
    await imap.logout().catch(() => imap.close());
    await sink.close();
    dir.cleanup();
  });

  it('a reply goes as a new mail to the form’s address; the customer’s answers join by the token and by In-Reply-To', async () => {
    koe = await startMailKoe(dir.dir, mailConfigYaml(dovecot, sink, 'contact:\n  enabled: true\n'), {
      KOE_IMAP_PASSWORD: dovecot.password,
      KOE_SMTP_PASSWORD: sink.password,
    });
    const k = koe;
    const id = await submitForm(k);
    // koe can answer, so the form writes no "answer by email at …" note.
    expect(k.messages(id)).toEqual([]);

    expect(perform(k.koe.ctx, { type: 'reply', inquiryId: id, actor: STAFF, body: '再発行いたしました。' }).ok).toBe(
      true,
    );
    const first = await waitFor(() => sink.received[0], 15_000, 'the reply to reach the SMTP server');
    // The address as the customer typed it (a local part's case is the receiving server's to judge).
    expect(first.to.map((a) => a.toLowerCase())).toEqual(['taro@example.jp']);
    expect(headerOf(first.raw, 'In-Reply-To')).toBeUndefined();
    expect(headerOf(first.raw, 'References')).toBeUndefined();
    const parsed = await simpleParser(first.raw);
    expect(parsed.subject).toBe(`領収書について [#${id}]`);
    expect(parsed.text).toBe('再発行いたしました。\n\nAcme サポート\nsupport@acme.test\n');
    const firstId = headerOf(first.raw, 'Message-ID')!;
    await waitFor(() => k.messages(id)[0]?.replyState === 'sent', 10_000, 'the reply to be sent');
    expect(k.messages(id)[0]!.externalId).toBe(firstId);

    // A new mail that kept only the number in its subject (no threading headers).
    await imap.append(
      'INBOX',
      plainMail({
        messageId: '<answer1@example.jp>',
        from: '山田 太郎 <taro@example.jp>',
        subject: `Re: 領収書について [#${id}]`,
        body: '届きました。',
      }),
    );
    await waitFor(() => k.messages(id).length === 2, 15_000, 'the answer by token to join');
    expect(k.messages(id)[1]).toMatchObject({ direction: 'inbound', body: '届きました。' });

    // The next reply answers that mail: Re:, In-Reply-To it, References the whole conversation.
    expect(perform(k.koe.ctx, { type: 'reply', inquiryId: id, actor: STAFF, body: '承知しました。' }).ok).toBe(true);
    const second = await waitFor(() => sink.received[1], 15_000, 'the second reply');
    expect(headerOf(second.raw, 'In-Reply-To')).toBe('<answer1@example.jp>');
    expect(headerOf(second.raw, 'References')).toBe(`${firstId} <answer1@example.jp>`);
    expect((await simpleParser(second.raw)).subject).toBe(`Re: 領収書について [#${id}]`);

    // An answer to koe's first mail by its headers, the subject rewritten by the customer's client.
    await imap.append(
      'INBOX',
      plainMail({
        messageId: '<answer2@example.jp>',
        from: 'taro@example.jp',
        subject: 'RE: receipt',
        body: 'もう一点あります。',
        extra: [`In-Reply-To: ${firstId}`, `References: ${firstId}`],
      }),
    );
    await waitFor(() => k.messages(id).length === 4, 15_000, 'the answer by In-Reply-To to join');
    expect(k.messages(id)[3]).toMatchObject({ direction: 'inbound', externalId: '<answer2@example.jp>' });
    expect(k.inquiries()).toHaveLength(1);
  });

  it('someone else typing the number into a subject opens their own inquiry', async () => {
    koe = await startMailKoe(dir.dir, mailConfigYaml(dovecot, sink, 'contact:\n  enabled: true\n'), {
      KOE_IMAP_PASSWORD: dovecot.password,
      KOE_SMTP_PASSWORD: sink.password,
    });
    const k = koe;
    const id = await submitForm(k);
    await imap.append(
      'INBOX',
      plainMail({ messageId: '<eve@example.com>', from: 'eve@example.com', subject: `[#${id}]`, body: 'Hi' }),
    );
    await waitFor(() => k.inquiries().length === 2, 15_000, 'a second inquiry');
    expect(k.messages(id)).toEqual([]);
  });

  it('without email.smtp a form inquiry has no way back: the note says where to answer', async () => {
    koe = await startMailKoe(dir.dir, mailConfigYaml(dovecot, null, 'contact:\n  enabled: true\n'), {
      KOE_IMAP_PASSWORD: dovecot.password,
    });
    const id = await submitForm(koe);
    expect(koe.messages(id)).toMatchObject([{ direction: 'note', body: expect.stringContaining('Taro@Example.jp') }]);
    const refused = perform(koe.koe.ctx, { type: 'reply', inquiryId: id, actor: STAFF, body: 'x' });
    expect(refused).toMatchObject({ ok: false, code: 'NO_WAY_BACK' });
  });
});
