import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { tempDir } from './temp-db.ts';
import { waitFor } from './wait-for.ts';

/**
 * A real IMAP server for the email tests: Debian's Dovecot (`dovecot-imapd`), configured in a temp
 * directory and started by the test. No system config is read (`-c` names ours), it runs as the
 * current user, listens on 127.0.0.1 on a free port without TLS, and keeps one test user (a
 * passwd-file) with a Maildir. `.ci/run` installs the package when missing; a machine without it
 * skips the email tests with `DOVECOT_MISSING` as the reason.
 */

export const DOVECOT_BINARY = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find((p) => existsSync(p));
export const DOVECOT_MISSING = DOVECOT_BINARY
  ? null
  : 'Dovecot is not installed (apt-get install -y dovecot-imapd; .ci/run does this): the email tests against a real IMAP server are skipped';

export const TEST_USER = 'support@acme.test';
export const TEST_PASSWORD = 'imap-test-password-0123';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Starts it again on the same port and Maildir (after `stop`). */
  start(): Promise<void>;
  /** Stops it at once (SIGKILL of the master, which takes its children down with its process group). */
  stop(): Promise<void>;
  /** A client logged in as the test user, for putting mail in and looking at flags. Closed by `close`. */
  client(): Promise<ImapFlow>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
  log(): string;
}

/** A port nothing listens on now (the OS's pick). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Who Dovecot's processes run as. The current user; but Dovecot refuses to run its login and mail
 * processes as root, so under root (CI containers) they run as `nobody`, and the Maildir is theirs.
 */
function processUser(): { name: string; uid: number; gid: number; group: string } {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
    return { name: me.username, uid: me.uid, gid: me.gid, group };
  }
  const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }).trim());
  const group = execFileSync('id', ['-gn', 'nobody'], { encoding: 'utf8' }).trim();
  return { name: 'nobody', uid, gid, group };
}

function configText(
  dir: string,
  port: number,
  me: ReturnType<typeof processUser>,
  { idle, maxConnections }: { idle: boolean; maxConnections: number },
): string {
  return `# Written by test/helpers/dovecot.ts for one test file; nothing here is read from /etc.
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${me.name}
default_internal_group = ${me.group}
default_login_user = ${me.name}
first_valid_uid = ${me.uid}
last_valid_uid = ${me.uid}
first_valid_gid = 0
mail_location = maildir:${dir}/mail/%n/Maildir
mail_uid = ${me.uid}
mail_gid = ${me.gid}
${idle ? '' : `# A server without IDLE: what koe then has is polling.\nimap_capability = ${WITHOUT_IDLE}\n`}protocol imap {
  # koe, the test's own client and a look-up of the Sent folder may all be logged in at once.
  mail_max_userip_connections = ${maxConnections}
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    auto = create
    special_use = \\Sent
  }
  mailbox Junk {
    auto = create
    special_use = \\Junk
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${me.uid} gid=${me.gid} home=${dir}/mail/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  chroot =
}
`;
}

/** Dovecot's own capabilities after login, less IDLE. */
const WITHOUT_IDLE =
  'IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 ESEARCH SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SPECIAL-USE';

/** `idle: false` leaves IDLE out of what the server offers, as some servers do; `maxConnections` caps logins per user and address (50). */
export async function startDovecot(options: { idle?: boolean; maxConnections?: number } = {}): Promise<Dovecot> {
  if (!DOVECOT_BINARY) throw new Error(DOVECOT_MISSING!);
  const t = tempDir();
  const port = await freePort();
  const me = processUser();
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(t.dir, d), { recursive: true });
  if (userInfo().uid === 0) {
    // The mail processes (as nobody) must reach the Maildir inside our private temp directory.
    chmodSync(t.dir, 0o755);
    chownSync(join(t.dir, 'mail'), me.uid, me.gid);
  }
  writeFileSync(join(t.dir, 'passwd'), `${TEST_USER}:{PLAIN}${TEST_PASSWORD}\n`);
  const config = join(t.dir, 'dovecot.conf');
  writeFileSync(
    config,
    configText(t.dir, port, me, { idle: options.idle ?? true, maxConnections: options.maxConnections ?? 50 }),
  );
  let child: ChildProcess | undefined;
  const clients: ImapFlow[] = [];

  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });

  const dovecot: Dovecot = {
    host: '127.0.0.1',
    port,
    user: TEST_USER,
    password: TEST_PASSWORD,
    async start() {
      // -F: the master stays in the foreground, as our child, so the test can kill it.
      child = spawn(DOVECOT_BINARY!, ['-F', '-c', config], { stdio: 'ignore', detached: true });
      await waitFor(listening, 15_000, `Dovecot to listen on ${port} (log: ${dovecot.log().slice(-500)})`);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const gone = new Promise((resolve) => running.once('exit', resolve));
      // The whole process group: the master and the login, imap and auth processes it started.
      process.kill(-running.pid!, 'SIGKILL');
      await gone;
      await waitFor(async () => !(await listening()), 10_000, 'Dovecot to stop listening');
    },
    async client() {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: TEST_USER, pass: TEST_PASSWORD },
        logger: false,
      });
      await client.connect();
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) await c.logout().catch(() => c.close());
      await dovecot.stop();
      t.cleanup();
    },
    log: () => {
      try {
        return readFileSync(join(t.dir, 'dovecot.log'), 'utf8');
      } catch {
        return '';
      }
    },
  };
  await dovecot.start();
  return dovecot;
}
