import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process (the `smtp-server` package), receiving what koe sends:
 * each message's envelope and raw bytes, as the next hop would get them. `answer` decides how the
 * server answers each DATA: accept (250), refuse with a code (a 5xx or 4xx), or hold the answer
 * forever (the server took the mail, but koe never hears so: a crash or a lost 250).
 * Plain TCP on 127.0.0.1, AUTH PLAIN/LOGIN with one user, no STARTTLS.
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export type SinkAnswer = { accept: true } | { code: number; message: string } | { hold: true };

export interface SmtpSink {
  port: number;
  user: string;
  password: string;
  received: ReceivedMail[];
  /** Logins refused so far. */
  refusedLogins: number;
  answer: (mail: ReceivedMail) => SinkAnswer | Promise<SinkAnswer>;
  close(): Promise<void>;
}

export async function startSmtpSink(
  options: { user?: string; password?: string; answer?: SmtpSink['answer'] } = {},
): Promise<SmtpSink> {
  const held: Array<() => void> = [];
  const sink: SmtpSink = {
    port: 0,
    user: options.user ?? 'support@acme.test',
    password: options.password ?? 'smtp-test-password-0123',
    received: [],
    refusedLogins: 0,
    answer: options.answer ?? (() => ({ accept: true })),
    close: async () => {
      for (const release of held) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === sink.user && auth.password === sink.password)
        return callback(null, { user: auth.username });
      sink.refusedLogins++;
      const error = Object.assign(new Error('Invalid username or password'), { responseCode: 535 });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        sink.received.push(mail);
        const answer = await sink.answer(mail);
        if ('hold' in answer) {
          held.push(() => callback(Object.assign(new Error('closing'), { responseCode: 421 })));
          return;
        }
        if ('code' in answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  return sink;
}

/** One header of a raw message, unfolded (`Subject`, `In-Reply-To`…), or undefined. */
export function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
