import { type FetchMessageObject, ImapFlow } from 'imapflow';
import type { EmailConfig } from '../../config/email-config.ts';
import type { SourceCursors } from '../../core/ports/source-cursors.ts';
import type { Logger } from '../../lib/logger.ts';
import { PlatformRefusedError } from '../start-errors.ts';
import { atServer, imapRefusal, sentFolderMissing } from './start-errors.ts';

/**
 * The support mailbox over IMAP: every mail that arrives is handed to `takeIn` once, oldest first.
 *
 * Exactly once across restarts rests on three things. The cursor (SourceCursors, platform `email`)
 * remembers the last UID taken in under the mailbox's UIDVALIDITY; a restart reads on from it, so
 * mail that came while koe was away is taken in, whether or not someone opened it meanwhile. The
 * cursor moves only after `takeIn` returned, and the mail is flagged \Seen (or moved) after that,
 * so a crash in between takes the same mail again, and `takeIn` recognises it by its Message-ID.
 * Without a cursor for this UIDVALIDITY (the first start, or a mailbox the server rebuilt) koe takes
 * the mail not flagged \Seen (with `taken: seen`), or every mail in the mailbox (with `moveTo`,
 * where the mailbox only holds what koe has not moved yet).
 *
 * New mail is noticed through IDLE where the server has it (imapflow idles between commands and
 * reports EXISTS), and by a check every `pollMs` anyway, which is all a server without IDLE gets.
 * A dropped connection is reconnected with backoff, and each reconnect reads on from the cursor.
 */

export interface MailboxReaderOptions {
  email: EmailConfig;
  cursors: SourceCursors;
  log: Logger;
  now: () => number;
  /** Takes one mail in; throwing leaves the cursor where it was, so the mail is tried again. */
  takeIn(source: Buffer, arrivedAt: number | null): Promise<void>;
  /** Waits between reconnects: 1 s doubling to a minute. */
  reconnectDelaysMs?: readonly number[];
}

export interface MailboxReader {
  /** Connects and opens the mailbox, then reads what is new in the background; throws when the server refuses or cannot be reached. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads what is new now (tests, and the poll). */
  check(): Promise<void>;
}

export const RECONNECT_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000];
/** How much of one mail koe reads (attachments are only listed, never kept, so this bounds memory). */
const MAX_MAIL_BYTES = 10 * 1024 * 1024;
/** After this many failed tries, a mail that cannot be taken in is skipped (and logged), not retried forever. */
const MAX_TRIES_PER_MAIL = 3;

export function createMailboxReader(options: MailboxReaderOptions): MailboxReader {
  const { email, log } = options;
  const delays = options.reconnectDelaysMs ?? RECONNECT_DELAYS_MS;
  const state = { client: null as ImapFlow | null, stopped: false, failures: new Map<number, number>() };
  let reconnects = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;

  async function connect(): Promise<ImapFlow> {
    const next = await openMailbox(email, log);
    next.on('exists', (data: { count: number; prevCount: number }) => {
      if (data.count > data.prevCount) void check();
    });
    next.on('close', () => {
      if (state.stopped || state.client !== next) return;
      state.client = null;
      scheduleReconnect();
    });
    return next;
  }

  function scheduleReconnect(): void {
    const delay = delays[Math.min(reconnects, delays.length - 1)]!;
    reconnects++;
    log.warn(
      { host: email.imap.host, tries: reconnects },
      `email: the IMAP connection to ${email.imap.host} closed; reconnecting in ${delay / 1000} s`,
    );
    reconnectTimer = setTimeout(() => void reconnect(), delay);
  }

  async function reconnect(): Promise<void> {
    if (state.stopped) return;
    try {
      const next = await connect();
      if (state.stopped) {
        await next.logout().catch(() => next.close());
        return;
      }
      state.client = next;
      log.info({ host: email.imap.host, tries: reconnects }, 'email: reconnected to the mailbox');
      reconnects = 0;
      await check();
    } catch (error) {
      log.warn({ err: error }, 'email: could not reconnect to the mailbox');
      if (!state.stopped) scheduleReconnect();
    }
  }

  /** One check at a time; a check asked for during one runs once more after it. */
  function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await readNew(options, state).catch((error) =>
          log.warn({ err: error }, 'email: could not read the mailbox; will try again'),
        );
      } while (again && !state.stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    check,
    async start() {
      state.stopped = false;
      state.client = await connect();
      // Read in the background: a mailbox with a backlog must not hold up koe's start.
      void check();
      pollTimer = setInterval(() => void check(), email.pollMs);
      pollTimer.unref();
    },
    async stop() {
      state.stopped = true;
      clearTimeout(reconnectTimer);
      clearInterval(pollTimer);
      await running;
      const imap = state.client;
      state.client = null;
      if (imap) await imap.logout().catch(() => imap.close());
    },
  };
}

interface ReaderState {
  client: ImapFlow | null;
  stopped: boolean;
  /** Failed tries per UID, so one mail that cannot be taken in does not stop the mailbox for good. */
  failures: Map<number, number>;
}

/** Connects, logs in and opens the mailbox (and the folder taken mail moves to); throws a refusal's sentence. */
async function openMailbox(email: EmailConfig, log: Logger): Promise<ImapFlow> {
  const imap = new ImapFlow({
    host: email.imap.host,
    port: email.imap.port,
    secure: email.imap.secure,
    auth: { user: email.imap.user, pass: email.imap.password.reveal() },
    logger: false,
    // IDLE soon after each check, so new mail is reported within seconds rather than at the poll.
    autoIdleDelay: 1_000,
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
  });
  // Without a listener an 'error' event would end the process; the 'close' that follows reconnects.
  imap.on('error', (error: Error) => log.debug({ err: error }, 'email: IMAP connection error'));
  try {
    await imap.connect();
    await imap.mailboxOpen(email.imap.mailbox);
    await checkFolders(imap, email);
  } catch (error) {
    imap.close();
    throw imapRefusal(error, email) ?? atServer(error, email.imap.host, email.imap.port);
  }
  return imap;
}

/** Takes in every mail past the cursor, oldest first, moving the cursor and marking each as it goes. */
async function readNew(options: MailboxReaderOptions, state: ReaderState): Promise<void> {
  const imap = state.client;
  const { email } = options;
  if (!imap?.usable || state.stopped) return;
  const lock = await imap.getMailboxLock(email.imap.mailbox);
  try {
    const box = imap.mailbox;
    if (!box) return;
    const key = cursorKey(email, String(box.uidValidity));
    const last = options.cursors.get('email', key);
    const uids = await newUids(imap, email, last === null ? null : Number(last));
    for (const uid of uids) {
      if (state.stopped || !imap.usable) return;
      if (!(await takeOne(imap, uid, options, state.failures))) return;
      options.cursors.note('email', key, String(uid), options.now());
      if (email.taken === 'seen') await imap.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      else await imap.messageMove(String(uid), email.taken.moveTo, { uid: true });
    }
  } finally {
    lock.release();
  }
}

async function newUids(imap: ImapFlow, email: EmailConfig, last: number | null): Promise<number[]> {
  const query = last !== null ? { uid: `${last + 1}:*` } : email.taken === 'seen' ? { seen: false } : { all: true };
  const found = (await imap.search(query, { uid: true })) || [];
  // `n:*` always matches the newest mail, even when its UID is below n.
  return [...found].filter((uid) => last === null || uid > last).sort((a, b) => a - b);
}

/** Takes mail `uid` in; false stops this check (the mail is tried again by the next). */
async function takeOne(
  imap: ImapFlow,
  uid: number,
  options: MailboxReaderOptions,
  failures: Map<number, number>,
): Promise<boolean> {
  // A mail past the cap is read up to it: its headers and text come first, its attachments are cut.
  const source = { maxLength: MAX_MAIL_BYTES };
  const message: FetchMessageObject | false = await imap.fetchOne(
    String(uid),
    { source, internalDate: true },
    { uid: true },
  );
  if (message === false || !message.source) return true; // expunged meanwhile
  try {
    const arrived = message.internalDate ? new Date(message.internalDate).getTime() : Number.NaN;
    await options.takeIn(message.source, Number.isFinite(arrived) ? arrived : null);
    failures.delete(uid);
    return true;
  } catch (error) {
    const tries = (failures.get(uid) ?? 0) + 1;
    failures.set(uid, tries);
    const giveUp = tries >= MAX_TRIES_PER_MAIL;
    options.log.error(
      { err: error, uid, tries },
      giveUp
        ? 'email: could not take in a mail after several tries; skipping it'
        : 'email: could not take in a mail; will try again',
    );
    if (giveUp) failures.delete(uid);
    return giveUp;
  }
}

/** The cursor's channel: this account's mailbox under one UIDVALIDITY (UIDs mean nothing across two). */
function cursorKey(email: EmailConfig, uidValidity: string): string {
  return `${email.imap.user}@${email.imap.host}/${email.imap.mailbox}#${uidValidity}`;
}

/**
 * The folder taken mail moves to is made when missing. The Sent folder must exist: it is where koe
 * looks before sending a reply again, and a wrong name there would only show after a crash.
 */
async function checkFolders(imap: ImapFlow, email: EmailConfig): Promise<void> {
  if (typeof email.taken !== 'object' && !email.sent) return;
  const folders = new Set((await imap.list()).map((f) => f.path));
  if (typeof email.taken === 'object' && !folders.has(email.taken.moveTo)) await imap.mailboxCreate(email.taken.moveTo);
  if (email.sent && !folders.has(email.sent.folder)) throw new PlatformRefusedError(sentFolderMissing(email, folders));
}
