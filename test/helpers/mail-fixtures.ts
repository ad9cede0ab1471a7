/**
 * Raw mail as customers' clients and other servers send it, for the email tests. The Japanese
 * bytes were made with glibc's iconv (`printf '…' | iconv -f UTF-8 -t ISO-2022-JP | base64`), so
 * no encoder of ours is trusted to produce what the decoder is tested on.
 */

/** 「ログインできません。\nパスワードを再設定しても同じです。」 in each charset, base64 of the bytes. */
export const LOGIN_TEXT = 'ログインできません。\nパスワードを再設定しても同じです。';
const BODY = {
  'ISO-2022-JP': 'GyRCJW0lMCUkJXMkRyQtJF4kOyRzISMbKEIKGyRCJVElOSVvITwlSSRyOkZAX0RqJDckRiRiRjEkOCRHJDkhIxsoQgo=',
  Shift_JIS: 'g42DT4NDg5OCxYKrgtyCuYLxgUIKg3CDWIOPgVuDaILwjcSQ3ZLogrWCxILgk6+CtoLFgreBQgo=',
  'EUC-JP': 'pe2lsKWkpfOkx6StpN6ku6TzoaMKpdGluaXvobylyaTyusbA38TqpLekxqTixrGkuKTHpLmhowo=',
} as const;
/** 「佐藤花子」 */
export const SATO = '佐藤花子';
const NAME = { 'ISO-2022-JP': 'GyRCOjRGIzJWO1IbKEI=', Shift_JIS: 'jbKToYnUjnE=', 'EUC-JP': 'urTGo7LWu9I=' } as const;
/** 「ログインの件」 */
export const LOGIN_SUBJECT = 'ログインの件';
const SUBJECT = {
  'ISO-2022-JP': 'GyRCJW0lMCUkJXMkTjdvGyhC',
  Shift_JIS: 'g42DT4NDg5OCzIyP',
  'EUC-JP': 'pe2lsKWkpfOkzrfv',
} as const;

export type JapaneseCharset = keyof typeof BODY;

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** The headers every fixture shares; `extra` come after them (overriding nothing). */
function head(fields: {
  from: string;
  to?: string;
  subject: string;
  messageId: string;
  date?: string;
  extra?: string[];
}): string[] {
  return [
    `From: ${fields.from}`,
    `To: ${fields.to ?? 'support@acme.test'}`,
    `Subject: ${fields.subject}`,
    `Message-ID: ${fields.messageId}`,
    `Date: ${fields.date ?? 'Sat, 05 Dec 2026 10:00:00 +0900'}`,
    'MIME-Version: 1.0',
    ...(fields.extra ?? []),
  ];
}

/** A Japanese mail as Japanese clients send it: name and subject as encoded words, body in the charset. */
export function japaneseMail(
  charset: JapaneseCharset,
  options: { messageId: string; from?: string; encoding?: 'base64' | '7bit' | '8bit' },
): Buffer {
  const encoding = options.encoding ?? (charset === 'ISO-2022-JP' ? '7bit' : 'base64');
  const name = `=?${charset}?B?${NAME[charset]}?=`;
  const headers = head({
    from: `${name} <${options.from ?? 'hanako@example.jp'}>`,
    subject: `=?${charset}?B?${SUBJECT[charset]}?=`,
    messageId: options.messageId,
    extra: [`Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${encoding}`],
  });
  const bytes = Buffer.from(BODY[charset], 'base64');
  const body = encoding === 'base64' ? Buffer.from(`${BODY[charset]}\r\n`) : bytes;
  return Buffer.concat([Buffer.from(crlf([...headers, ''])), body]);
}

/** A plain UTF-8 mail (quoted-printable), with any extra headers. */
export function plainMail(options: {
  messageId: string;
  from?: string;
  subject?: string;
  body: string;
  extra?: string[];
}): Buffer {
  const qp = Buffer.from(options.body.replace(/\n/g, '\r\n'), 'utf8')
    .toString('binary')
    .replace(/[^\r\n !-<>-~]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return Buffer.from(
    crlf([
      ...head({
        from: options.from ?? 'Taro Yamada <taro@example.jp>',
        subject: options.subject ?? 'Invoice question',
        messageId: options.messageId,
        extra: [
          'Content-Type: text/plain; charset=UTF-8',
          'Content-Transfer-Encoding: quoted-printable',
          ...(options.extra ?? []),
        ],
      }),
      '',
      qp,
    ]),
    'binary',
  );
}

/** An HTML-only mail (no text part), subject as a Q-encoded word. */
export function htmlOnlyMail(messageId: string): Buffer {
  return Buffer.from(
    crlf([
      ...head({
        from: '=?UTF-8?Q?=E9=88=B4=E6=9C=A8?= <suzuki@example.jp>',
        subject: '=?UTF-8?Q?=E8=A7=A3=E7=B4=84=E3=81=AB=E3=81=A4=E3=81=84=E3=81=A6?=',
        messageId,
        extra: ['Content-Type: text/html; charset=UTF-8', 'Content-Transfer-Encoding: 8bit'],
      }),
      '',
      '<html><body><p>解約したいです。</p><p>手続きを<b>教えて</b>ください。</p><script>alert(1)</script></body></html>',
    ]),
  );
}

/** An out-of-office answer (RFC 3834). */
export function autoReply(messageId: string): Buffer {
  return plainMail({
    messageId,
    from: 'Out Of Office <ooo@example.jp>',
    subject: 'Automatic reply: Re: Invoice',
    body: 'I am out of the office until Monday.',
    extra: ['Auto-Submitted: auto-replied'],
  });
}

/** A bounce: a delivery-status report from MAILER-DAEMON with an empty Return-Path. */
export function bounce(messageId: string, bounced = '<koe.1.1.abc@koe.acme.test>'): Buffer {
  return Buffer.from(
    crlf([
      'Return-Path: <>',
      ...head({
        from: 'Mail Delivery System <MAILER-DAEMON@mx.example.jp>',
        subject: 'Undelivered Mail Returned to Sender',
        messageId,
        extra: ['Content-Type: multipart/report; report-type=delivery-status; boundary="b1"'],
      }),
      '',
      '--b1',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system. Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.jp',
      '',
      'Final-Recipient: rfc822; nobody@example.jp',
      'Action: failed',
      'Status: 5.1.1',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${bounced}`,
      '--b1--',
    ]),
  );
}
