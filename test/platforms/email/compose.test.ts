import { describe, expect, it } from 'vitest';
import type { EmailConfig } from '../../../src/config/email-config.ts';
import type { Inquiry, Message } from '../../../src/core/inquiries/types.ts';
import { conversationIds, replyMessageId, replySubject, replyText } from '../../../src/platforms/email/compose.ts';
import { smtpFailure } from '../../../src/platforms/email/reply-sender.ts';
import { PermanentDeliveryError } from '../../../src/platforms/delivery-errors.ts';

const email = { messageIdDomain: 'koe.acme.jp', signature: { ja: 'Acme サポート', en: '' } } as EmailConfig;

const message = (id: number, direction: Message['direction'], externalId: string | null) =>
  ({ id, direction, externalId }) as Message;

describe('a reply as a mail', () => {
  it('subject: one Re:, the customer’s subject, one token', () => {
    expect(replySubject('ログインの件', 7, 'ja')).toBe('Re: ログインの件 [#7]');
    expect(replySubject('Re: RE: 返信: ログインの件 [#7]', 7, 'ja')).toBe('Re: ログインの件 [#7]');
    expect(replySubject(null, 7, 'ja')).toBe('Re: お問い合わせ [#7]');
    expect(replySubject('  ', 7, 'en')).toBe('Re: Your inquiry [#7]');
    // The first mail to a form's customer answers no mail of theirs: their subject, the token, no Re:.
    expect(replySubject('領収書について', 7, 'ja', false)).toBe('領収書について [#7]');
    expect(replySubject(null, 7, 'en', false)).toBe('Your inquiry [#7]');
  });

  it('threads to the customer’s latest mail and references the whole conversation, notes aside', () => {
    const inquiry = { externalId: '<first@x>' } as Inquiry;
    const messages = [
      message(1, 'outbound', '<koe.1@koe.acme.jp>'),
      message(2, 'inbound', '<second@x>'),
      message(3, 'note', '<not-mail>'),
      message(4, 'outbound', null),
    ];
    expect(conversationIds({ inquiry, messages })).toEqual({
      inReplyTo: '<second@x>',
      references: ['<first@x>', '<koe.1@koe.acme.jp>', '<second@x>'],
    });
    const many = Array.from({ length: 30 }, (_, i) => message(i, 'inbound', `<m${i}@x>`));
    const { references } = conversationIds({ inquiry, messages: many });
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<first@x>');
    expect(references.at(-1)).toBe('<m29@x>');
  });

  it('the Message-ID is the delivery’s: the same for every attempt, another for another reply', () => {
    const id = replyMessageId(email, 12, 34, 1_780_000_000_000);
    expect(id).toBe(replyMessageId(email, 12, 34, 1_780_000_000_000));
    expect(id).toMatch(/^<koe\.12\.34\.[0-9a-z]+@koe\.acme\.jp>$/);
    expect(replyMessageId(email, 13, 34, 1_780_000_000_000)).not.toBe(id);
  });

  it('the text ends with the locale’s signature, or with nothing when there is none', () => {
    expect(replyText('はい。\r\n', email, 'ja')).toBe('はい。\n\nAcme サポート\n');
    expect(replyText('Yes.', email, 'en')).toBe('Yes.\n');
  });

  it('5xx fails for good with the server’s words; 4xx and network errors are retried', () => {
    const refused = smtpFailure({ responseCode: 550, response: '550 5.1.1 <a@x>: Recipient address rejected' });
    expect(refused).toBeInstanceOf(PermanentDeliveryError);
    expect(refused.message).toBe('the mail server refused the reply: 550 5.1.1 <a@x>: Recipient address rejected');
    const greylisted = smtpFailure({ responseCode: 451, response: '451 4.7.1 Greylisted' });
    expect(greylisted).not.toBeInstanceOf(PermanentDeliveryError);
    const down = smtpFailure({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' });
    expect(down).not.toBeInstanceOf(PermanentDeliveryError);
    expect(down.message).toBe('the mail server could not be reached (ECONNECTION)');
  });
});
