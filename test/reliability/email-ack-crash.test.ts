import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, DOVECOT_MISSING, startDovecot } from '../helpers/dovecot.ts';
import { type KoeProcess, startKoeProcess } from '../helpers/koe-process.ts';
import { japaneseMail } from '../helpers/mail-fixtures.ts';
import { mailConfigYaml } from '../helpers/mail-koe.ts';
import { headerOf, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The acknowledgement across a kill -9: it is an outbox row (`acknowledge`) queued with the inquiry.
 * koe runs as `koe start` (a child process); the SMTP server takes the acknowledgement's DATA and
 * never answers (it landed; koe never heard), files it in Sent as Gmail does, and koe is killed with
 * SIGKILL, then started again on the same database: it finds the acknowledgement by its Message-ID
 * and the customer gets one. First-response time stays unset: an acknowledgement is no answer.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const TOKEN = 'email-ack-crash-intake-token-0123456789';
const json = (res: Response): Promise<any> => res.json();

let dovecot: Dovecot;
let sink: SmtpSink | undefined;
let koe: KoeProcess | undefined;
let cleanup: (() => void) | undefined;

describe.skipIf(DOVECOT_MISSING !== null)('an email acknowledgement across a kill -9', () => {
  beforeAll(async () => {
    dovecot = await startDovecot();
  }, 30_000);
  afterAll(async () => {
    await dovecot?.close();
  });
  afterEach(async () => {
    await koe?.kill('SIGKILL');
    await sink?.close();
    cleanup?.();
    koe = sink = cleanup = undefined;
  });

  it('the restarted koe finds the acknowledgement in Sent, and the customer gets it once', async () => {
    const imap = await dovecot.client();
    await imap.append('INBOX', japaneseMail('ISO-2022-JP', { messageId: '<ack-crash@example.jp>' }));
    let first = true;
    sink = await startSmtpSink({
      answer: async (mail) => {
        if (!first) return { accept: true };
        first = false;
        await imap.append('Sent', Buffer.from(mail.raw), ['\\Seen']);
        return { hold: true };
      },
    });
    const t = tempDir();
    cleanup = t.cleanup;
    const yaml = mailConfigYaml(dovecot, sink, '  sent: { folder: Sent }\n  acknowledge: true\n');
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      yaml.replace('delivery: { maxAttempts: 4 }', 'delivery: { leaseMs: 1500 }'),
    );
    const env = {
      DATABASE_URL: join(t.dir, 'koe.db'),
      KOE_INTAKE_TOKEN: TOKEN,
      KOE_IMAP_PASSWORD: dovecot.password,
      KOE_SMTP_PASSWORD: sink.password,
      LOG_LEVEL: 'info',
    };
    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    await waitFor(() => sink!.received.length === 1, 20_000, 'the acknowledgement to reach the SMTP server');
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');

    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    const restarted = koe;
    const db = new Database(env.DATABASE_URL, { readonly: true });
    const ackRows = () =>
      db.prepare(`SELECT status FROM deliveries WHERE kind = 'acknowledge'`).all() as Array<{ status: string }>;
    await waitFor(
      () => ackRows()[0]?.status === 'done',
      20_000,
      'the acknowledgement row to be done after the restart',
    );
    expect(ackRows()).toHaveLength(1);
    db.close();
    const inquiry = (await json(await restarted.api('/api/v1/inquiries'))).items[0];
    await imap.logout();
    expect(sink.received).toHaveLength(1);
    const raw = sink.received[0]!.raw;
    expect(sink.received[0]!.to).toEqual(['hanako@example.jp']);
    expect(headerOf(raw, 'Message-ID')).toMatch(/^<koe\.ack\.\d+\.\d+@koe\.acme\.test>$/);
    expect(headerOf(raw, 'In-Reply-To')).toBe('<ack-crash@example.jp>');
    expect(headerOf(raw, 'Auto-Submitted')).toBe('auto-replied');
    const detail = await json(await restarted.api(`/api/v1/inquiries/${inquiry.id}`));
    expect(detail.firstResponseAt).toBeNull();
  });
});
