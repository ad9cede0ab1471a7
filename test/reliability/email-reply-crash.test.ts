import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, DOVECOT_MISSING, startDovecot } from '../helpers/dovecot.ts';
import { mailConfigYaml } from '../helpers/mail-koe.ts';
import { japaneseMail } from '../helpers/mail-fixtures.ts';
import { type KoeProcess, startKoeProcess } from '../helpers/koe-process.ts';
import { headerOf, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * A reply to a mail inquiry across a kill -9: koe runs as `koe start` (a child process), the SMTP
 * server in this process takes the reply's DATA and never answers it (the mail landed; koe never
 * heard), and koe is killed with SIGKILL, then started again on the same database.
 *
 * With a Sent folder (`email.sent.folder`), as Gmail keeps one: the server files what it accepted
 * there, the restarted koe finds the reply by its Message-ID and sends nothing; the customer gets
 * it once. Without one, koe sends again with the same Message-ID, which clients show once.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

const TOKEN = 'email-crash-intake-token-0123456789';
const json = (res: Response): Promise<any> => res.json();

let dovecot: Dovecot;
let sink: SmtpSink | undefined;
let koe: KoeProcess | undefined;
let cleanup: (() => void) | undefined;

describe.skipIf(DOVECOT_MISSING !== null)('an email reply across a kill -9', () => {
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

  async function replyThenKill(options: { sentFolder: boolean; messageId: string }) {
    const imap = await dovecot.client();
    await imap.append('INBOX', japaneseMail('ISO-2022-JP', { messageId: options.messageId }));
    let first = true;
    sink = await startSmtpSink({
      answer: async (mail) => {
        if (!first) return { accept: true };
        first = false;
        // What Gmail does with mail its SMTP accepted: a copy in the Sent folder.
        if (options.sentFolder) await imap.append('Sent', Buffer.from(mail.raw), ['\\Seen']);
        return { hold: true };
      },
    });
    const t = tempDir();
    cleanup = t.cleanup;
    const sent = options.sentFolder ? '  sent: { folder: Sent }\n' : '';
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      `${mailConfigYaml(dovecot, sink, sent).replace('delivery: { maxAttempts: 4 }', 'delivery: { leaseMs: 1500 }')}`,
    );
    const env = {
      DATABASE_URL: join(t.dir, 'koe.db'),
      KOE_INTAKE_TOKEN: TOKEN,
      KOE_IMAP_PASSWORD: dovecot.password,
      KOE_SMTP_PASSWORD: sink.password,
      LOG_LEVEL: 'info',
    };
    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    const first_ = koe;
    const inquiry = await waitFor(
      async () => (await json(await first_.api('/api/v1/inquiries'))).items?.[0],
      20_000,
      'the mail to become an inquiry',
    );
    const queued = await koe.api(`/api/v1/inquiries/${inquiry.id}/replies`, {
      body: '再設定のリンクをお送りしました。',
      author: { id: 'api:sato', name: 'Sato' },
    });
    expect(queued.status).toBe(202);
    const replyId = (await json(queued)).reply.id as number;
    await waitFor(() => sink!.received.length === 1, 15_000, 'the reply to reach the SMTP server');
    expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');

    koe = await startKoeProcess({ cwd: t.dir, env, intakeToken: TOKEN });
    const restarted = koe;
    const reply = await waitFor(
      async () => {
        const got = await json(await restarted.api(`/api/v1/inquiries/${inquiry.id}/replies/${replyId}`));
        return got.reply.state === 'sent' && got;
      },
      20_000,
      'the reply to be sent after the restart',
    );
    await imap.logout();
    return { inquiry, reply, restarted };
  }

  it('with a Sent folder, the restarted koe finds the reply there and the customer gets it once', async () => {
    const { inquiry, reply, restarted } = await replyThenKill({ sentFolder: true, messageId: '<crash-1@example.jp>' });
    expect(reply.delivery.state).toBe('delivered');
    expect(sink!.received).toHaveLength(1);
    const raw = sink!.received[0]!.raw;
    expect(sink!.received[0]!.to).toEqual(['hanako@example.jp']);
    expect(headerOf(raw, 'In-Reply-To')).toBe('<crash-1@example.jp>');
    expect(headerOf(raw, 'References')).toBe('<crash-1@example.jp>');
    expect(headerOf(raw, 'Message-ID')).toMatch(/^<koe\.\d+\.\d+\.[0-9a-z]+@koe\.acme\.test>$/);
    expect(headerOf(raw, 'Subject')).toMatch(/^=\?UTF-8\?/i);
    expect(headerOf(raw, 'Content-Type')).toMatch(/^text\/plain; charset=utf-8/i);
    const detail = await json(await restarted.api(`/api/v1/inquiries/${inquiry.id}`));
    expect(detail.firstResponseAt).toBe(reply.reply.sentAt);
    expect(restarted.output()).not.toContain(dovecot.password);
  });

  it('without a Sent folder, koe sends again with the same Message-ID, and the reply ends sent', async () => {
    await replyThenKill({ sentFolder: false, messageId: '<crash-2@example.jp>' });
    expect(sink!.received).toHaveLength(2);
    const [first, second] = sink!.received.map((m) => headerOf(m.raw, 'Message-ID'));
    expect(second).toBe(first);
  });
});
