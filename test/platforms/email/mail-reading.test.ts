import { describe, expect, it } from 'vitest';
import { isStaffAddress, whyNotAnInquiry } from '../../../src/platforms/email/guards.ts';
import { readMail } from '../../../src/platforms/email/read-mail.ts';
import { stripQuoted } from '../../../src/platforms/email/strip-quoted.ts';
import {
  autoReply,
  bounce,
  htmlOnlyMail,
  type JapaneseCharset,
  japaneseMail,
  LOGIN_SUBJECT,
  LOGIN_TEXT,
  plainMail,
  SATO,
} from '../../helpers/mail-fixtures.ts';

const OWN = 'koe.acme.test';

describe('reading a mail', () => {
  it.each<[JapaneseCharset, 'base64' | '7bit' | '8bit']>([
    ['ISO-2022-JP', '7bit'],
    ['ISO-2022-JP', 'base64'],
    ['Shift_JIS', 'base64'],
    ['Shift_JIS', '8bit'],
    ['EUC-JP', 'base64'],
  ])('%s (%s): name, subject and text come out readable', async (charset, encoding) => {
    const mail = await readMail(japaneseMail(charset, { messageId: '<jp-1@example.jp>', encoding }));
    expect(mail.from).toEqual({ address: 'hanako@example.jp', name: SATO });
    expect(mail.subject).toBe(LOGIN_SUBJECT);
    expect(mail.text).toBe(LOGIN_TEXT);
    expect(mail.messageId).toBe('<jp-1@example.jp>');
    expect(whyNotAnInquiry(mail, OWN)).toBeNull();
  });

  it('an HTML-only mail becomes text, without its markup or scripts; Q-encoded words are decoded', async () => {
    const mail = await readMail(htmlOnlyMail('<html-1@example.jp>'));
    expect(mail.subject).toBe('解約について');
    expect(mail.from?.name).toBe('鈴木');
    expect(mail.text).toContain('解約したいです。');
    expect(mail.text).toContain('手続きを教えてください。');
    expect(mail.text).not.toMatch(/<|alert/);
  });

  it('quoted-printable UTF-8, threading headers, and a mail without a Message-ID gets a stable one', async () => {
    const raw = plainMail({
      messageId: '<qp-1@example.jp>',
      body: 'é and 日本語 = fine',
      extra: ['In-Reply-To: <a@x>', 'References: <root@x> <a@x> <b@x>', 'Reply-To: billing@example.jp'],
    });
    const mail = await readMail(raw);
    expect(mail.text).toBe('é and 日本語 = fine');
    expect(mail.answers).toEqual(['<a@x>', '<b@x>', '<root@x>']);
    expect(mail.replyTo).toBe('billing@example.jp');
    const bare = Buffer.from(raw.toString('binary').replace(/^Message-ID:.*\r\n/m, ''), 'binary');
    const first = await readMail(bare);
    expect(first.messageId).toMatch(/^<sha256\.[0-9a-f]{64}@koe\.invalid>$/);
    expect((await readMail(bare)).messageId).toBe(first.messageId);
  });

  it('attachments are listed by name, type and size', async () => {
    const raw = Buffer.from(
      [
        'From: a@example.jp',
        'Subject: files',
        'Message-ID: <att@example.jp>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=UTF-8',
        '',
        'See attached.',
        '--b',
        'Content-Type: application/pdf; name="=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?="',
        'Content-Disposition: attachment; filename="=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?="',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.alloc(3000, 1).toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const mail = await readMail(raw);
    expect(mail.text).toBe('See attached.');
    expect(mail.attachments).toEqual([{ name: '請求書.pdf', type: 'application/pdf', size: 3000 }]);
  });
});

describe('what is not an inquiry', () => {
  it.each([
    ['an out-of-office reply', autoReply('<ooo@x>'), /Auto-Submitted/],
    ['a bounce', bounce('<bounce@x>'), /bounce|report/],
    [
      'a mailing list',
      plainMail({ messageId: '<l@x>', body: 'news', extra: ['List-Id: News <news.example.jp>'] }),
      /List-Id/,
    ],
    ['bulk mail', plainMail({ messageId: '<p@x>', body: 'sale', extra: ['Precedence: bulk'] }), /Precedence/],
    ['a postmaster', plainMail({ messageId: '<pm@x>', from: 'postmaster@example.jp', body: 'x' }), /bounce/],
    ["koe's own mail", plainMail({ messageId: `<koe.1.2.x@${OWN}>`, body: 'x' }), /own/],
  ])('%s', async (_, raw, why) => {
    expect(whyNotAnInquiry(await readMail(raw), OWN)).toMatch(why);
  });

  it('Auto-Submitted: no is a person', async () => {
    const mail = await readMail(plainMail({ messageId: '<n@x>', body: 'hi', extra: ['Auto-Submitted: no'] }));
    expect(whyNotAnInquiry(mail, OWN)).toBeNull();
  });

  it('staff domains match the domain and its subdomains only', () => {
    expect(isStaffAddress('sato@acme.jp', ['acme.jp'])).toBe(true);
    expect(isStaffAddress('sato@tokyo.acme.jp', ['acme.jp'])).toBe(true);
    expect(isStaffAddress('sato@notacme.jp', ['acme.jp'])).toBe(false);
    expect(isStaffAddress('acme.jp@example.com', ['acme.jp'])).toBe(false);
  });
});

describe('stripping quoted history and signatures from follow-ups', () => {
  it.each([
    [
      'Gmail in English, its header wrapped onto two lines',
      'Still broken.\n\nOn Sat, Dec 5, 2026 at 10:00 AM Acme Support <support@acme.jp>\nwrote:\n> Please try again.\n> Thanks',
      'Still broken.',
    ],
    [
      'Gmail in Japanese',
      'まだ直りません。\n\n2026年12月5日(土) 10:00 Acme サポート <support@acme.jp>:\n> お試しください。',
      'まだ直りません。',
    ],
    [
      'Outlook',
      'Thanks, that worked.\n\n________________________________\nFrom: Acme Support <support@acme.jp>\nSent: Saturday\n\nPlease try again.',
      'Thanks, that worked.',
    ],
    [
      'Outlook in Japanese',
      'ありがとうございます。\n\n-----元のメッセージ-----\n差出人: Acme サポート\n件名: Re: ログイン',
      'ありがとうございます。',
    ],
    ['a "-- " signature', 'Got it.\n\n-- \nTaro Yamada\nExample Inc.', 'Got it.'],
    ['a mobile footer', '了解です。\n\niPhoneから送信', '了解です。'],
    [
      'a ruled signature near the end',
      '請求書を再送してください。\n\n━━━━━━━━━━━━━━\n株式会社エグザンプル\n山田太郎\n━━━━━━━━━━━━━━',
      '請求書を再送してください。',
    ],
  ])('%s', (_, text, kept) => {
    expect(stripQuoted(text)).toEqual({ text: kept, stripped: true });
  });

  it('keeps everything when nothing new would be left', () => {
    const text = '> only a quote\n> nothing else';
    expect(stripQuoted(text)).toEqual({ text, stripped: false });
  });

  it('keeps a text with nothing to strip as it is', () => {
    expect(stripQuoted('Line one\n\nLine two')).toEqual({ text: 'Line one\n\nLine two', stripped: false });
  });
});
