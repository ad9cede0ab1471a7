import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { perform } from '../../../src/core/actions.ts';
import { type Dovecot, DOVECOT_MISSING, startDovecot } from '../../helpers/dovecot.ts';
import { mailConfigYaml, type MailKoe, startMailKoe } from '../../helpers/mail-koe.ts';
import {
  autoReply,
  bounce,
  htmlOnlyMail,
  japaneseMail,
  LOGIN_SUBJECT,
  LOGIN_TEXT,
  plainMail,
  SATO,
} from '../../helpers/mail-fixtures.ts';
import { headerOf, type SmtpSink, startSmtpSink } from '../../helpers/smtp-sink.ts';
import { tempDir } from '../../helpers/temp-db.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * The support mailbox end to end, in process: a real Dovecot (test/helpers/dovecot.ts) holds the
 * mail, a real SMTP server (smtp-server) receives koe's, and koe runs as `koe start` builds it.
 */

if (DOVECOT_MISSING) console.warn(DOVECOT_MISSING);

let dovecot: Dovecot;
let imap: ImapFlow;
let sink: SmtpSink;
let dir: { dir: string; cleanup: () => void };
let running: MailKoe[] = [];

const env = () => ({ KOE_IMAP_PASSWORD: dovecot.password, KOE_SMTP_PASSWORD: sink.password });
const start = async (extra = '') => {
  const koe = await startMailKoe(dir.dir, mailConfigYaml(dovecot, sink, extra), env());
  running.push(koe);
  return koe;
};
const deliver = (raw: Buffer, flags: string[] = []) => imap.append('INBOX', raw, flags);
const flagsOf = async (messageId: string) => {
  const lock = await imap.getMailboxLock('INBOX');
  try {
    const uids = (await imap.search({ header: { 'message-id': messageId } }, { uid: true })) || [];
    const found = uids.length ? await imap.fetchOne(String(uids[0]), { flags: true }, { uid: true }) : false;
    return found ? [...(found.flags ?? [])] : null;
  } finally {
    lock.release();
  }
};

describe.skipIf(DOVECOT_MISSING !== null)('email against a real Dovecot', () => {
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
    for (const koe of running) await koe.stop();
    running = [];
    await imap.logout().catch(() => imap.close());
    await sink.close();
    dir.cleanup();
  });

  it('Japanese mail in ISO-2022-JP, Shift_JIS and EUC-JP, and an HTML-only mail, become readable inquiries', async () => {
    await deliver(japaneseMail('ISO-2022-JP', { messageId: '<jis@example.jp>' }));
    await deliver(japaneseMail('Shift_JIS', { messageId: '<sjis@example.jp>', from: 'sjis@example.jp' }));
    await deliver(japaneseMail('EUC-JP', { messageId: '<euc@example.jp>', from: 'euc@example.jp' }));
    await deliver(htmlOnlyMail('<html@example.jp>'));
    const koe = await start();
    await waitFor(() => koe.inquiries().length === 4, 15_000, 'four inquiries');
    const [jis, sjis, euc, html] = koe.inquiries();
    for (const inquiry of [jis!, sjis!, euc!]) {
      expect(inquiry.subject).toBe(LOGIN_SUBJECT);
      expect(inquiry.body).toBe(LOGIN_TEXT);
    }
    expect(jis!.externalId).toBe('<jis@example.jp>');
    expect(JSON.parse(jis!.metadata).email).toMatchObject({
      messageId: '<jis@example.jp>',
      replyTo: 'hanako@example.jp',
    });
    expect(html!.subject).toBe('解約について');
    expect(html!.body).toContain('手続きを教えてください。');
    expect(koe.customers()[0]).toMatchObject({ name: SATO, email: 'hanako@example.jp' });
    // Taken in means flagged \Seen in the mailbox (the default `taken: seen`).
    await waitFor(
      async () => (await flagsOf('<html@example.jp>'))?.includes('\\Seen'),
      10_000,
      'the mail to be flagged',
    );
  });

  it('a reply from chat arrives as threaded mail; the customer answers and it joins by In-Reply-To, quotes stripped', async () => {
    await deliver(japaneseMail('ISO-2022-JP', { messageId: '<first@example.jp>' }));
    const koe = await start();
    const inquiry = await waitFor(() => koe.inquiries()[0], 15_000, 'the inquiry');
    const reply = perform(koe.koe.ctx, {
      type: 'reply',
      inquiryId: inquiry.id,
      actor: { id: 'slack:U0SATO', name: 'Sato' },
      body: 'ご不便をおかけしております。\nパスワードの再設定リンクをお送りしました。',
    });
    expect(reply.ok).toBe(true);
    const sent = await waitFor(() => sink.received[0], 15_000, 'the reply to reach the SMTP server');
    expect(sent.to).toEqual(['hanako@example.jp']);
    expect(sent.from).toBe('support@acme.test');
    const messageId = headerOf(sent.raw, 'Message-ID')!;
    expect(messageId).toMatch(/^<koe\.\d+\.\d+\.[0-9a-z]+@koe\.acme\.test>$/);
    expect(headerOf(sent.raw, 'In-Reply-To')).toBe('<first@example.jp>');
    expect(headerOf(sent.raw, 'References')).toBe('<first@example.jp>');
    expect(headerOf(sent.raw, 'Content-Type')).toMatch(/^text\/plain; charset=utf-8/i);
    const parsed = await simpleParser(sent.raw);
    expect(parsed.subject).toBe(`Re: ${LOGIN_SUBJECT} [#${inquiry.id}]`);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Acme サポート', address: 'support@acme.test' });
    expect(parsed.text).toBe(
      'ご不便をおかけしております。\nパスワードの再設定リンクをお送りしました。\n\nAcme サポート\nsupport@acme.test\n',
    );
    await waitFor(() => koe.messages(inquiry.id)[0]?.replyState === 'sent', 10_000, 'the reply to be sent');
    expect(koe.messages(inquiry.id)[0]!.externalId).toBe(messageId);

    await deliver(
      plainMail({
        messageId: '<second@example.jp>',
        from: 'Hanako <hanako@example.jp>',
        subject: `Re: ${LOGIN_SUBJECT} [#${inquiry.id}]`,
        body: `届きました。ありがとうございます。\n\n2026年12月5日(土) 10:00 Acme サポート <support@acme.test>:\n> ご不便をおかけしております。`,
        extra: [`In-Reply-To: ${messageId}`, `References: <first@example.jp> ${messageId}`],
      }),
    );
    await waitFor(() => koe.messages(inquiry.id).length === 2, 15_000, 'the follow-up');
    expect(koe.messages(inquiry.id)[1]).toMatchObject({
      direction: 'inbound',
      body: '届きました。ありがとうございます。',
      externalId: '<second@example.jp>',
    });
    expect(koe.inquiries()).toHaveLength(1);
  });

  it('a [#id] subject joins its inquiry for the same customer; staff answering from their client is outbound', async () => {
    await deliver(plainMail({ messageId: '<a1@example.jp>', body: 'Where is my invoice?' }));
    const koe = await start();
    const inquiry = await waitFor(() => koe.inquiries()[0], 15_000, 'the inquiry');
    // A new mail (no threading headers), the number kept in the subject.
    await deliver(plainMail({ messageId: '<a2@example.jp>', subject: `Invoice [#${inquiry.id}]`, body: 'Any news?' }));
    // Someone else typing the number opens their own inquiry: a subject is easy to forge.
    await deliver(
      plainMail({ messageId: '<a3@example.jp>', from: 'eve@example.com', subject: `[#${inquiry.id}]`, body: 'Hi' }),
    );
    // Staff answer from their own mail client, in the thread.
    await deliver(
      plainMail({
        messageId: '<a4@acme.test>',
        from: 'Sato <sato@acme.test>',
        subject: 'Re: Invoice question',
        body: 'We have sent it again.',
        extra: ['In-Reply-To: <a1@example.jp>'],
      }),
    );
    await waitFor(() => koe.messages(inquiry.id).length === 2 && koe.inquiries().length === 2, 15_000, 'all three');
    const [followUp, staff] = koe.messages(inquiry.id);
    expect(followUp).toMatchObject({ direction: 'inbound', body: 'Any news?', externalId: '<a2@example.jp>' });
    expect(staff).toMatchObject({ direction: 'outbound', body: 'We have sent it again.' });
    expect(koe.firstResponseAt(inquiry.id)).not.toBeNull();
    expect(koe.inquiries()[1]!.externalId).toBe('<a3@example.jp>');
  });

  it('an auto-reply and a bounce are left alone: no inquiry, no mail sent', async () => {
    await deliver(autoReply('<ooo@example.jp>'));
    await deliver(bounce('<bounce@mx.example.jp>'));
    await deliver(plainMail({ messageId: '<real@example.jp>', body: 'A real question' }));
    const koe = await start('  acknowledge: true\n');
    await waitFor(() => koe.inquiries().length === 1, 15_000, 'the real one');
    await waitFor(
      () =>
        koe
          .log()
          .split('\n')
          .filter((l) => l.includes('a mail left alone')).length === 2,
      10_000,
    );
    expect(koe.inquiries()[0]!.externalId).toBe('<real@example.jp>');
    await waitFor(() => sink.received.length === 1, 10_000, 'the acknowledgement of the real one');
    const ack = sink.received[0]!;
    expect(ack.to).toEqual(['taro@example.jp']);
    expect(headerOf(ack.raw, 'Auto-Submitted')).toBe('auto-replied');
    expect(headerOf(ack.raw, 'In-Reply-To')).toBe('<real@example.jp>');
    const inquiryId = koe.inquiries()[0]!.id;
    const text = (await simpleParser(ack.raw)).text ?? '';
    // (The colon is the full-width one where the words use it.)
    expect(text).toMatch(new RegExp(`受付番号[:：] ?${inquiryId}\\n`));
    // The promise on the business clock (sla defaults: 2 business hours, weekdays 09:00-18:00, jp holidays).
    expect(text).toMatch(/ご回答の目安[:：] ?\d{1,2}月\d{1,2}日\([月火水木金]\) \d{2}:\d{2}までにご連絡いたします。/);
    expect(koe.firstResponseAt(koe.inquiries()[0]!.id)).toBeNull();
    // The ignored mails are taken too (flagged), so they are not looked at again.
    await waitFor(async () => (await flagsOf('<ooo@example.jp>'))?.includes('\\Seen'), 10_000);
  });

  it('one acknowledgement an hour to one address, however many new inquiries it opens', async () => {
    await deliver(plainMail({ messageId: '<loop-1@example.jp>', subject: 'One', body: 'First' }));
    await deliver(plainMail({ messageId: '<loop-2@example.jp>', subject: 'Two', body: 'Second' }));
    await deliver(plainMail({ messageId: '<other@example.jp>', from: 'o@example.jp', subject: 'Three', body: 'x' }));
    const koe = await start('  acknowledge: true\n');
    await waitFor(() => koe.inquiries().length === 3, 15_000, 'three inquiries');
    await waitFor(() => sink.received.some((m) => m.to[0] === 'o@example.jp'), 10_000, 'the other address’s ack');
    await waitFor(
      () =>
        koe
          .log()
          .split('\n')
          .filter((l) => l.includes('acknowledgement sent')).length === 2,
      10_000,
    );
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual(['o@example.jp', 'taro@example.jp']);
  });

  it('a Sent folder that does not exist stops the start with a sentence naming email.sent.folder', async () => {
    const attempt = start('  sent: { folder: "[Gmail]/Sent Mail" }\n');
    await expect(attempt).rejects.toThrow(
      'The Sent folder "[Gmail]/Sent Mail" (email.sent.folder) does not exist for support@acme.test on 127.0.0.1; the folders are: "INBOX", "Sent", "Junk"',
    );
  });

  it('taken: { moveTo } moves each mail it took in out of the mailbox, into a folder it makes', async () => {
    // Opened by someone already: with moveTo, everything in the mailbox is koe's to take.
    await deliver(plainMail({ messageId: '<move-1@example.jp>', body: 'One' }), ['\\Seen']);
    await deliver(plainMail({ messageId: '<move-2@example.jp>', from: 'm@example.jp', body: 'Two' }));
    const koe = await start('  taken: { moveTo: koe/taken }\n');
    await waitFor(() => koe.inquiries().length === 2, 15_000, 'both mails');
    const count = async (folder: string) => {
      const viewer = await dovecot.client();
      try {
        const status = await viewer.status(folder, { messages: true });
        return status === false ? -1 : status.messages;
      } finally {
        await viewer.logout();
      }
    };
    await waitFor(async () => (await count('INBOX')) === 0, 10_000, 'an empty inbox');
    expect(await count('koe/taken')).toBe(2);
  });

  it('a 5xx answer fails the reply with the server’s reason; a 4xx is retried until it goes', async () => {
    await deliver(plainMail({ messageId: '<r1@example.jp>', body: 'One' }));
    await deliver(plainMail({ messageId: '<r2@example.jp>', from: 'b@example.jp', body: 'Two' }));
    const koe = await start();
    await waitFor(() => koe.inquiries().length === 2, 15_000);
    const [one, two] = koe.inquiries();
    sink.answer = (mail) =>
      mail.to[0] === 'taro@example.jp'
        ? { code: 550, message: '5.1.1 <taro@example.jp>: Recipient address rejected' }
        : sink.received.filter((m) => m.to[0] === 'b@example.jp').length < 3
          ? { code: 451, message: '4.7.1 Greylisted, try again' }
          : { accept: true };
    const actor = { id: 'slack:U0SATO', name: 'Sato' };
    perform(koe.koe.ctx, { type: 'reply', inquiryId: one!.id, actor, body: 'Answer one' });
    perform(koe.koe.ctx, { type: 'reply', inquiryId: two!.id, actor, body: 'Answer two' });
    await waitFor(() => koe.messages(one!.id)[0]?.replyState === 'failed', 15_000, 'the 5xx to fail the reply');
    expect(koe.messages(one!.id)[0]!.replyError).toContain('Recipient address rejected');
    expect(sink.received.filter((m) => m.to[0] === 'taro@example.jp')).toHaveLength(1);
    await waitFor(() => koe.messages(two!.id)[0]?.replyState === 'sent', 15_000, 'the 4xx to be retried');
    expect(sink.received.filter((m) => m.to[0] === 'b@example.jp')).toHaveLength(3);
  });

  it('koe stopped mid-mailbox and started again takes every mail once, even with the cursor and flags lost', async () => {
    const total = 60;
    for (let i = 0; i < total; i++) {
      await deliver(plainMail({ messageId: `<bulk-${i}@example.jp>`, from: `c${i}@example.jp`, body: `Mail ${i}` }));
    }
    const first = await start();
    await waitFor(() => first.inquiries().length > 0, 15_000, 'the first mail');
    running = [];
    await first.stop();
    const atStop = countInquiries();
    // A restart reads on from the cursor, whether or not someone opened the rest meanwhile.
    await imap.messageFlagsAdd('1:*', ['\\Seen']);
    const second = await start();
    await waitFor(() => second.inquiries().length === total, 20_000, 'every mail');
    running = [];
    await second.stop();
    // The worst crash: every mail taken in, but neither the cursor nor the flags written.
    await forgetWhatWasTaken();
    const third = await start();
    await waitFor(async () => (await flagsOf(`<bulk-${total - 1}@example.jp>`))?.includes('\\Seen'), 20_000);
    expect(third.inquiries().map((i) => i.externalId)).toEqual(
      Array.from({ length: total }, (_, i) => `<bulk-${i}@example.jp>`),
    );
    expect(third.log()).toContain('already taken in');
    // It did stop in the middle: the second koe had mail left to take.
    expect(atStop).toBeGreaterThan(0);
    expect(atStop).toBeLessThan(total);
  });

  it('Dovecot restarted while koe runs: koe reconnects and misses nothing', async () => {
    const koe = await start();
    await deliver(plainMail({ messageId: '<before@example.jp>', body: 'Before' }));
    await waitFor(() => koe.inquiries().length === 1, 15_000, 'the mail before');
    await dovecot.stop();
    await dovecot.start();
    imap = await dovecot.client();
    await deliver(plainMail({ messageId: '<after-1@example.jp>', from: 'd@example.jp', body: 'After one' }));
    await deliver(plainMail({ messageId: '<after-2@example.jp>', from: 'e@example.jp', body: 'After two' }));
    await waitFor(() => koe.inquiries().length === 3, 20_000, 'the mail after the restart');
    expect(koe.log()).toContain('reconnected to the mailbox');
    expect(koe.inquiries().map((i) => i.externalId)).toEqual([
      '<before@example.jp>',
      '<after-1@example.jp>',
      '<after-2@example.jp>',
    ]);
  });

  it('a wrong password is one start-up sentence naming KOE_IMAP_PASSWORD', async () => {
    const attempt = startMailKoe(dir.dir, mailConfigYaml(dovecot, sink), { ...env(), KOE_IMAP_PASSWORD: 'wrong' });
    await expect(attempt).rejects.toThrow(
      /refused the login of support@acme\.test \(email\.imap\.user\): check KOE_IMAP_PASSWORD/,
    );
  });

  it('an unreachable server is retried in the background, and the warning names email.imap.host', async () => {
    const closed = { port: 1, user: dovecot.user };
    const koe = await startMailKoe(dir.dir, mailConfigYaml(closed, null), env());
    running.push(koe);
    await waitFor(() => koe.log().includes('is unreachable'), 10_000, 'the warning');
    const line = koe
      .log()
      .split('\n')
      .find((l) => l.includes('is unreachable'))!;
    expect(JSON.parse(line).msg).toMatch(
      /The mail server \(email\.imap\) is unreachable \(ECONNREFUSED at 127\.0\.0\.1:1; if this lasts, check email\.imap\.host and email\.imap\.port\)/,
    );
  });
});

/** Inquiries in the database of a koe that has stopped. */
function countInquiries(): number {
  const db = new Database(join(dir.dir, 'koe.db'), { readonly: true });
  const { n } = db.prepare('SELECT count(*) AS n FROM inquiries').get() as { n: number };
  db.close();
  return n;
}

/** The state a crash right after taking mail in would leave: no cursor in the database, no flags in the mailbox. */
async function forgetWhatWasTaken(): Promise<void> {
  const db = new Database(join(dir.dir, 'koe.db'));
  db.prepare("DELETE FROM source_cursors WHERE platform = 'email'").run();
  db.close();
  await imap.messageFlagsRemove('1:*', ['\\Seen']);
}

describe.skipIf(DOVECOT_MISSING !== null)('email against a Dovecot that takes one login at a time', () => {
  it('a login refused for too many connections is waited out, not blamed on the password', async () => {
    const server = await startDovecot({ maxConnections: 1 });
    const other = await server.client(); // another mail client holds the only login
    const home = tempDir();
    try {
      await other.append('INBOX', plainMail({ messageId: '<busy@example.jp>', body: 'Busy' }));
      const koe = await startMailKoe(home.dir, mailConfigYaml(server, null), { KOE_IMAP_PASSWORD: server.password });
      try {
        await waitFor(() => koe.log().includes('takes no more logins'), 10_000, 'the warning');
        expect(koe.log()).not.toContain('KOE_IMAP_PASSWORD');
        await other.logout();
        await waitFor(() => koe.inquiries().length === 1, 20_000, 'the mail, once a login is free');
      } finally {
        await koe.stop();
      }
    } finally {
      await server.close();
      home.cleanup();
    }
  }, 40_000);
});

describe.skipIf(DOVECOT_MISSING !== null)('email against a Dovecot without IDLE', () => {
  it('koe polls every email.pollSeconds and takes the mail in', async () => {
    const server = await startDovecot({ idle: false });
    const client = await server.client();
    const smtp = await startSmtpSink();
    const home = tempDir();
    try {
      expect(client.capabilities.has('IDLE')).toBe(false);
      const koe = await startMailKoe(home.dir, mailConfigYaml(server, smtp), {
        KOE_IMAP_PASSWORD: server.password,
        KOE_SMTP_PASSWORD: smtp.password,
      });
      try {
        await client.append('INBOX', plainMail({ messageId: '<first@example.jp>', body: 'First' }));
        await waitFor(() => koe.inquiries().length === 1, 20_000, 'the first mail');
        // koe has read the mailbox and is waiting; without IDLE only a poll can tell it of this one.
        await client.append(
          'INBOX',
          plainMail({ messageId: '<polled@example.jp>', from: 'p@example.jp', body: 'Polled' }),
        );
        await waitFor(() => koe.inquiries().length === 2, 20_000, 'the mail, at the next poll');
        expect(koe.inquiries()[1]!.externalId).toBe('<polled@example.jp>');
      } finally {
        await koe.stop();
      }
    } finally {
      await smtp.close();
      await server.close();
      home.cleanup();
    }
  }, 40_000);
});
