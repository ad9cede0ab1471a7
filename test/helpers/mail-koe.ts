import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/lib/logger.ts';
import { createKoe, type Koe } from '../../src/wire.ts';
import type { Dovecot } from './dovecot.ts';
import { loadTestConfig, TEST_TOKEN } from './koe-instance.ts';
import type { SmtpSink } from './smtp-sink.ts';

/**
 * koe with its support mailbox on the test's Dovecot and its SMTP on the test's sink, in process,
 * on a database in `dir` (so a test can stop it and start another on the same file). Its log is
 * kept as JSON lines for the assertions that need a sentence.
 */

export interface MailKoe {
  koe: Koe;
  /** koe's HTTP server (the API and, with `contact:`, the contact form). */
  url: string;
  log: () => string;
  /** Inquiries as stored, oldest first. */
  inquiries: () => Array<{ id: number; subject: string | null; body: string; externalId: string; metadata: string }>;
  customers: () => Array<{ id: number; name: string | null; email: string | null }>;
  messages: (inquiryId: number) => Array<{
    id: number;
    direction: string;
    body: string;
    externalId: string | null;
    replyState: string | null;
    replyError: string | null;
  }>;
  firstResponseAt: (inquiryId: number) => number | null;
  stop: () => Promise<void>;
}

export function mailConfigYaml(
  dovecot: Pick<Dovecot, 'port' | 'user'>,
  smtp: Pick<SmtpSink, 'port'> | null,
  extra = '',
): string {
  return `locale: ja
classifier: { enabled: false }
delivery: { maxAttempts: 4 }
replies: { undoSeconds: 0 }
email:
  imap: { host: 127.0.0.1, port: ${dovecot.port}, secure: false, user: ${dovecot.user} }
${
  smtp
    ? `  smtp: { host: 127.0.0.1, port: ${smtp.port}, secure: false }
  from: '"Acme サポート" <support@acme.test>'
  signature: { ja: "Acme サポート\\nsupport@acme.test", en: "Acme Support" }
`
    : ''
}  staffDomains: [acme.test]
  messageIdDomain: koe.acme.test
  pollSeconds: 5
${extra}`;
}

export async function startMailKoe(
  dir: string,
  yaml: string,
  env: Record<string, string>,
  options: { reconnectDelaysMs?: number[] } = {},
): Promise<MailKoe> {
  writeFileSync(join(dir, 'koe.config.yaml'), yaml);
  const config = loadTestConfig(dir, { KOE_INTAKE_TOKEN: TEST_TOKEN, ...env });
  let printed = '';
  const out = new PassThrough();
  out.setEncoding('utf8');
  out.on('data', (d: string) => (printed += d));
  const log = createLogger('info', out, { format: 'json' });
  const koe = await createKoe(config, {
    log,
    consoleOut: new PassThrough().resume(),
    outbox: { pollMs: 20, backoff: { baseMs: 50, capMs: 200 } },
    email: { reconnectDelaysMs: options.reconnectDelaysMs ?? [100, 200, 400] },
  });
  const { port } = await koe.start();
  const sql = koe.db.$client;
  return {
    koe,
    url: `http://127.0.0.1:${port}`,
    log: () => printed,
    inquiries: () =>
      sql
        .prepare('SELECT id, subject, body, external_id AS externalId, metadata FROM inquiries ORDER BY id')
        .all() as ReturnType<MailKoe['inquiries']>,
    customers: () =>
      sql.prepare('SELECT id, name, email FROM customers ORDER BY id').all() as ReturnType<MailKoe['customers']>,
    messages: (inquiryId) =>
      sql
        .prepare(
          `SELECT id, direction, body, external_id AS externalId, reply_state AS replyState, reply_error AS replyError
           FROM messages WHERE inquiry_id = ? ORDER BY id`,
        )
        .all(inquiryId) as ReturnType<MailKoe['messages']>,
    firstResponseAt: (inquiryId) =>
      (
        sql.prepare('SELECT first_response_at AS at FROM inquiries WHERE id = ?').get(inquiryId) as {
          at: number | null;
        }
      ).at,
    stop: () => koe.stop(),
  };
}
