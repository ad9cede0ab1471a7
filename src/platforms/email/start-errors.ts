import type { EmailConfig } from '../../config/email-config.ts';
import { PlatformRefusedError } from '../start-errors.ts';

/**
 * What a mail server's refusal at connect means for a person, in one sentence naming the setting
 * to fix. Read from the error's shape (imapflow's `authenticationFailed`, nodemailer's `EAUTH`,
 * TLS codes), so this module loads neither library. (An unreachable server is read in
 * ../start-errors.ts, beside Slack's and Discord's.)
 */

type Shaped = {
  code?: unknown;
  authenticationFailed?: unknown;
  responseCode?: unknown;
  message?: unknown;
  serverResponseCode?: unknown;
  response?: unknown;
};

/** A login refused for the server's own reasons (too many connections, unavailable), RFC 5530's codes or words. */
function isBusy(e: Shaped): boolean {
  if (e.serverResponseCode === 'LIMIT' || e.serverResponseCode === 'UNAVAILABLE') return true;
  return /too many|maximum number of connections|simultaneous connections/i.test(String(e.response ?? ''));
}

const TLS_CODE = /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY))/;

/** The IMAP server refused koe (password, mailbox, TLS): a PlatformRefusedError with the fix, else null. */
export function imapRefusal(error: unknown, email: EmailConfig): PlatformRefusedError | null {
  if (error instanceof PlatformRefusedError) return error;
  const e = (error ?? {}) as Shaped;
  const { host, port, user, mailbox } = email.imap;
  if (e.authenticationFailed === true && isBusy(e)) {
    // Not the password: the server takes no more logins for now (Gmail allows 15 at once). Waited out.
    Object.assign(error as object, { code: 'IMAP_BUSY' });
    return null;
  }
  if (e.authenticationFailed === true) {
    return new PlatformRefusedError(
      `The mail server ${host} refused the login of ${user} (email.imap.user): check KOE_IMAP_PASSWORD. Gmail and Google Workspace need an app password (Google Account → Security → App passwords) with IMAP on in Gmail's settings`,
    );
  }
  if (typeof e.code === 'string' && TLS_CODE.test(e.code)) {
    return new PlatformRefusedError(
      `koe could not talk TLS with ${host}:${port} (${e.code}): check email.imap.port and email.imap.secure (993 with secure: true, 143 with secure: false)`,
    );
  }
  const said = typeof e.message === 'string' ? e.message : '';
  if (/NONEXISTENT|doesn't exist|does not exist|Mailbox not found/i.test(said) || e.code === 'NotFound') {
    return new PlatformRefusedError(
      `The mailbox "${mailbox}" does not exist for ${user} on ${host}: set email.imap.mailbox to one that does (INBOX is the usual one)`,
    );
  }
  return null;
}

/** email.sent.folder names no folder: the sentence lists the ones there are (Gmail's depend on its language). */
export function sentFolderMissing(email: EmailConfig, folders: ReadonlySet<string>): string {
  const shown = [...folders]
    .slice(0, 20)
    .map((f) => `"${f}"`)
    .join(', ');
  return `The Sent folder "${email.sent?.folder}" (email.sent.folder) does not exist for ${email.imap.user} on ${email.imap.host}; the folders are: ${shown}`;
}

/** The SMTP server refused koe's login: a PlatformRefusedError naming KOE_SMTP_PASSWORD, else null. */
export function smtpRefusal(error: unknown, email: EmailConfig): PlatformRefusedError | null {
  const e = (error ?? {}) as Shaped;
  if (!email.smtp) return null;
  if (e.code === 'EAUTH' || e.responseCode === 535) {
    return new PlatformRefusedError(
      `The mail server ${email.smtp.host} refused the login of ${email.smtp.user} (email.smtp.user): check KOE_SMTP_PASSWORD (unset, KOE_IMAP_PASSWORD is used)`,
    );
  }
  return null;
}

/** Marks a connect error with the server it was for, so the warning can say which. */
export function atServer(error: unknown, host: string, port: number): unknown {
  if (error && typeof error === 'object') Object.assign(error, { server: `${host}:${port}` });
  return error;
}
