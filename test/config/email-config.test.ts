import { configFiles } from '../helpers/config-files.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseMailbox } from '../../src/config/email-config.ts';
import { replyTargetsOf } from '../../src/config/reply-targets.ts';
import type { Inquiry } from '../../src/core/inquiries/types.ts';

const { load, problems } = configFiles();

const FULL = `email:
  imap: { host: imap.gmail.com, user: support@acme.jp }
  smtp: { host: smtp.gmail.com }
  from: '"Acme サポート" <support@acme.jp>'
  staffDomains: ['@Acme.jp']
  signature: { ja: "Acme サポート" }
`;

describe('the email: block', () => {
  it('takes the defaults a Gmail mailbox needs, and one password for IMAP and SMTP', () => {
    const { email } = load(FULL, { KOE_IMAP_PASSWORD: 'app-password-1234' });
    expect(email).toMatchObject({
      imap: { host: 'imap.gmail.com', port: 993, secure: true, user: 'support@acme.jp', mailbox: 'INBOX' },
      smtp: { host: 'smtp.gmail.com', port: 465, secure: true, user: 'support@acme.jp' },
      from: { name: 'Acme サポート', address: 'support@acme.jp' },
      pollMs: 60_000,
      staffDomains: ['acme.jp'],
      taken: 'seen',
      sent: null,
      signature: { ja: 'Acme サポート', en: '' },
      acknowledge: false,
      messageIdDomain: 'koe.acme.jp',
    });
    expect(email!.smtp!.password.reveal()).toBe('app-password-1234');
    expect(inspect(email)).not.toContain('app-password-1234');
  });

  it('is absent without the block', () => {
    expect(load('locale: en\n').email).toBeUndefined();
  });

  it('names each missing or wrong setting, and never echoes a password', () => {
    const found = problems(
      `email:\n  imap: { host: imap.example.jp, user: support }\n  smtp: { host: smtp.example.jp }\n  taken: archive\n`,
      { KOE_SMTP_PASSWORD: 'smtp-secret-9999' },
    );
    expect(found.join('\n')).not.toContain('smtp-secret-9999');
    expect(found).toEqual(
      expect.arrayContaining([expect.stringMatching(/^email\.taken: expected seen \(flag \\Seen\) or \{ moveTo/)]),
    );
    const second = problems(
      `email:\n  imap: { host: imap.example.jp, user: support }\n  smtp: { host: smtp.example.jp }\n  acknowledge: false\n`,
    );
    expect(second).toEqual([
      expect.stringMatching(/^KOE_IMAP_PASSWORD: required because email\.imap is set/),
      expect.stringMatching(/^email\.from: required because email\.smtp is set/),
    ]);
    expect(problems(`email:\n  imap: { host: h, user: u }\n  acknowledge: true\n`, { KOE_IMAP_PASSWORD: 'p' })).toEqual(
      ['email.acknowledge: needs email.smtp, the server the acknowledgement is sent through'],
    );
  });

  it('the commented email: block of koe.config.example.yaml, uncommented, is valid as it stands', () => {
    const example = readFileSync(join(import.meta.dirname, '../../koe.config.example.yaml'), 'utf8').split('\n');
    const start = example.indexOf('# email:');
    const block = [];
    for (const line of example.slice(start)) {
      if (!line.startsWith('#')) break;
      block.push(line.replace(/^# ?/, ''));
    }
    const { email } = load(`${block.join('\n')}\n`, { KOE_IMAP_PASSWORD: 'p' });
    expect(email).toMatchObject({ from: { name: 'Acme サポート' }, sent: { folder: '[Gmail]/Sent Mail' } });
    expect(email!.signature.ja).toBe('Acme サポート\nsupport@acme.jp\n');
  });

  it('reads the From forms people write', () => {
    expect(parseMailbox('"Acme \\"JP\\" サポート" <support@acme.jp>')).toEqual({
      name: 'Acme "JP" サポート',
      address: 'support@acme.jp',
    });
    expect(parseMailbox('Acme <support@acme.jp>')).toEqual({ name: 'Acme', address: 'support@acme.jp' });
    expect(parseMailbox('support@acme.jp')).toEqual({ name: null, address: 'support@acme.jp' });
    expect(parseMailbox('support at acme')).toBeNull();
  });

  it('answers a mail inquiry by mail only when koe has an SMTP server, each inquiry its own channel', () => {
    const inquiry = { id: 42, source: 'email', externalId: '<m@x>' } as Inquiry;
    const withSmtp = load(FULL, { KOE_IMAP_PASSWORD: 'p' });
    expect(replyTargetsOf(withSmtp)(inquiry)).toEqual({ platform: 'email', channel: '42' });
    const readOnly = load(`email:\n  imap: { host: h, user: u@x.jp }\n`, { KOE_IMAP_PASSWORD: 'p' });
    expect(replyTargetsOf(readOnly)(inquiry)).toBeNull();
  });

  it('answers a contact-form inquiry by mail too when koe has an SMTP server, else not at all', () => {
    const inquiry = { id: 43, source: 'form', externalId: 'form:tok_0123456789abcdefghijkl' } as Inquiry;
    expect(replyTargetsOf(load(FULL, { KOE_IMAP_PASSWORD: 'p' }))(inquiry)).toEqual({
      platform: 'email',
      channel: '43',
    });
    const readOnly = load(`email:\n  imap: { host: h, user: u@x.jp }\n`, { KOE_IMAP_PASSWORD: 'p' });
    expect(replyTargetsOf(readOnly)(inquiry)).toBeNull();
  });
});
