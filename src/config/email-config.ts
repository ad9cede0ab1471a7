import type { EmailFileConfig } from './email-schema.ts';
import { Secret } from './secret.ts';

/** The source name of every inquiry that came in by mail (for `destinations[].sources` and the API). */
export const EMAIL_SOURCE = 'email';

/** The support mailbox as koe runs it: `email:` of the file, with its passwords from the environment. */
export interface EmailConfig {
  imap: { host: string; port: number; secure: boolean; user: string; mailbox: string; password: Secret };
  /** Null: koe reads the mailbox but cannot answer by mail (replies to mail inquiries are refused). */
  smtp: { host: string; port: number; secure: boolean; user: string; password: Secret } | null;
  /** koe's From: the display name (may be null) and address. Null only without `smtp`. */
  from: { name: string | null; address: string } | null;
  pollMs: number;
  /** Lowercase, without a leading `@`. */
  staffDomains: string[];
  taken: 'seen' | { moveTo: string };
  sent: { folder: string; save: boolean } | null;
  signature: { ja: string; en: string };
  acknowledge: boolean;
  /** Where koe's Message-IDs live (`<…@koe.acme.jp>`): mail with one is koe's own. */
  messageIdDomain: string;
}

/** The passwords `email:` needs, as the environment gives them (already trimmed, empty as undefined). */
export interface EmailEnv {
  KOE_IMAP_PASSWORD?: string | undefined;
  KOE_SMTP_PASSWORD?: string | undefined;
}

/** `"Acme サポート" <support@acme.jp>`, `Acme <support@acme.jp>` or `support@acme.jp`. */
export function parseMailbox(text: string): { name: string | null; address: string } | null {
  const bare = /^\s*([^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+)\s*$/.exec(text);
  if (bare) return { name: null, address: bare[1]! };
  const named = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^"<>]*?))\s*<([^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+)>\s*$/.exec(text);
  if (!named) return null;
  const name = (named[1]?.replace(/\\(.)/g, '$1') ?? named[2] ?? '').trim();
  return { name: name || null, address: named[3]! };
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * The email settings, or undefined when `email:` is absent. Each problem is one line naming the
 * setting and what to write; passwords are never echoed.
 */
export function emailConfigOf(
  env: EmailEnv,
  file: EmailFileConfig | undefined,
  problems: string[],
): EmailConfig | undefined {
  if (!file) return undefined;
  const imapPassword = env.KOE_IMAP_PASSWORD;
  if (!imapPassword) {
    problems.push(
      `KOE_IMAP_PASSWORD: required because email.imap is set; set it to the password of ${file.imap.user} (Gmail and Google Workspace: an app password)`,
    );
  }
  const from = file.from === undefined ? null : parseMailbox(file.from);
  if (file.from !== undefined && !from) {
    problems.push(`email.from: expected an address such as '"Acme サポート" <support@acme.jp>', got "${file.from}"`);
  }
  if (file.smtp && file.from === undefined) {
    problems.push(
      `email.from: required because email.smtp is set; the address customers see, e.g. '"Acme サポート" <support@acme.jp>'`,
    );
  }
  if (file.acknowledge && !file.smtp) {
    problems.push('email.acknowledge: needs email.smtp, the server the acknowledgement is sent through');
  }
  const smtpPassword = env.KOE_SMTP_PASSWORD ?? imapPassword;
  const signature =
    typeof file.signature === 'string'
      ? { ja: file.signature, en: file.signature }
      : { ja: file.signature?.ja ?? '', en: file.signature?.en ?? '' };
  // A mailbox login is usually its address; one that is not (a bare user name) gives no domain to use.
  const ownDomain = domainOf(from?.address ?? (file.imap.user.includes('@') ? file.imap.user : 'koe@invalid'));
  return {
    imap: { ...file.imap, password: new Secret(imapPassword ?? '') },
    smtp: file.smtp
      ? { ...file.smtp, user: file.smtp.user ?? file.imap.user, password: new Secret(smtpPassword ?? '') }
      : null,
    from,
    pollMs: file.pollSeconds * 1000,
    staffDomains: file.staffDomains.map((d) => d.toLowerCase().replace(/^@/, '')),
    taken: file.taken,
    sent: file.sent ?? null,
    signature,
    acknowledge: file.acknowledge,
    messageIdDomain: file.messageIdDomain?.toLowerCase() ?? `koe.${ownDomain}`,
  };
}
