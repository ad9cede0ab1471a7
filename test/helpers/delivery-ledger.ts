import type Database from 'better-sqlite3';
import type { FakeDiscord } from '../fakes/discord/fake-discord.ts';
import type { FakeSlack } from '../fakes/slack/fake-slack.ts';

/**
 * What a fake chat service shows, compared with what koe's database says it should: the checks
 * behind "a mirror is never posted twice, never lost, and its updates and thread messages come in
 * order". Works from what the fakes *stored* (posts whose answer was lost or hung included), so a
 * post koe made twice shows up as two messages whatever koe believes.
 */
export interface Shown {
  /** channel → inquiry id → the refs of the top-level messages mirroring it there (should be one). */
  mirrors: Map<string, Map<number, string[]>>;
  /** `channel:inquiry` → message ids (koe's) in the order their thread replies appear. */
  threads: Map<string, number[]>;
  /** channel → inquiry id → the status the mirror shows now. */
  statuses: Map<string, Map<number, string | null>>;
}

type Sqlite = Database.Database;

const deliveryRow = (sqlite: Sqlite) => {
  const stmt = sqlite.prepare(
    `SELECT inquiry_id AS inquiryId, message_id AS messageId, kind FROM deliveries WHERE id = ?`,
  );
  return (id: number) => stmt.get(id) as { inquiryId: number; messageId: number | null; kind: string } | undefined;
};

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const SLACK_STATUS: Record<string, string> = { '🔴': 'open', '🟡': 'claimed', '✅': 'resolved' };

/** The fake Slack's channels, read back through each message's `koe_inquiry` metadata. */
export function shownInSlack(fake: FakeSlack, sqlite: Sqlite, channels: string[]): Shown {
  const delivery = deliveryRow(sqlite);
  const shown: Shown = { mirrors: new Map(), threads: new Map(), statuses: new Map() };
  for (const channel of channels) {
    const byInquiry = new Map<number, string[]>();
    const statuses = new Map<number, string | null>();
    const koeMessages = fake.messages(channel).filter((m) => m.metadata?.event_type === 'koe_inquiry');
    for (const m of koeMessages.filter((x) => !x.thread_ts || x.thread_ts === x.ts)) {
      const inquiryId = Number(m.metadata!.event_payload.inquiry_id);
      push(byInquiry, inquiryId, m.ts);
      const header = (m.blocks as Array<{ type: string; text?: { text: string } }> | undefined)?.find(
        (b) => b.type === 'header',
      );
      statuses.set(inquiryId, SLACK_STATUS[[...(header?.text?.text ?? '')][0] ?? ''] ?? null);
    }
    const replies = koeMessages
      .filter((x) => x.thread_ts && x.thread_ts !== x.ts)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    for (const r of replies) {
      const row = delivery(Number(r.metadata!.event_payload.delivery_id));
      push(shown.threads, `${channel}:${r.metadata!.event_payload.inquiry_id}`, row?.messageId ?? -1);
    }
    shown.mirrors.set(channel, byInquiry);
    shown.statuses.set(channel, statuses);
  }
  return shown;
}

const DISCORD_STATUS: Record<number, string> = { 15105570: 'open', 3447003: 'claimed', 3066993: 'resolved' };

/** The fake Discord's channels and the mirrors' threads, read back through each embed's delivery marker. */
export function shownInDiscord(fake: FakeDiscord, sqlite: Sqlite, channels: string[]): Shown {
  const delivery = deliveryRow(sqlite);
  const mirrorByRef = sqlite.prepare(
    `SELECT inquiry_id AS inquiryId FROM mirrors WHERE platform = 'discord' AND message_ref = ?`,
  );
  const markerOf = (m: { embeds: any[] }) => {
    const footer: string = m.embeds[0]?.footer?.text ?? '';
    const part = footer
      .split(' · ')
      .map((p) => p.trim())
      .find((p) => /^d\d+$/.test(p));
    return part ? Number(part.slice(1)) : null;
  };
  const shown: Shown = { mirrors: new Map(), threads: new Map(), statuses: new Map() };
  for (const channel of channels) {
    const byInquiry = new Map<number, string[]>();
    const statuses = new Map<number, string | null>();
    for (const m of fake.messagesIn(channel).filter((x) => x.author.id === fake.bot.id)) {
      // A post carries its delivery's marker until its first edit (edits render without it); an
      // edited message is one koe recorded as a mirror.
      const id = markerOf(m);
      const row = id === null ? undefined : delivery(id);
      const inquiryId =
        row?.kind === 'post' ? row.inquiryId : (mirrorByRef.get(m.id) as { inquiryId: number } | undefined)?.inquiryId;
      if (inquiryId === undefined) {
        push(byInquiry, -1, m.id); // a koe message nobody can account for
        continue;
      }
      push(byInquiry, inquiryId, m.id);
      statuses.set(inquiryId, DISCORD_STATUS[m.embeds[0]?.color] ?? null);
      const row2 = { inquiryId };
      // A thread started on a message shares its id.
      for (const reply of fake.messagesIn(m.id)) {
        const replyDelivery = markerOf(reply);
        const r = replyDelivery === null ? undefined : delivery(replyDelivery);
        push(shown.threads, `${channel}:${row2.inquiryId}`, r?.messageId ?? -1);
      }
    }
    shown.mirrors.set(channel, byInquiry);
    shown.statuses.set(channel, statuses);
  }
  return shown;
}

/**
 * Every way `shown` departs from the database: an inquiry routed to a channel mirrored there other
 * than exactly once (or at a message other than the one koe recorded), a thread missing a message,
 * repeating one or showing them out of order, a mirror not showing the inquiry's current status.
 * Only destinations whose deliveries are all done are checked (call it after the outbox drained).
 */
export function ledgerProblems(
  shown: Shown,
  sqlite: Sqlite,
  destinations: Array<{ name: string; channel: string }>,
): string[] {
  const problems: string[] = [];
  const inquiries = sqlite.prepare(`SELECT id, status FROM inquiries ORDER BY id`).all() as Array<{
    id: number;
    status: string;
  }>;
  const routed = sqlite.prepare(`SELECT 1 FROM deliveries WHERE inquiry_id = ? AND destination = ? AND kind = 'post'`);
  const mirrorRef = sqlite.prepare(`SELECT message_ref AS ref FROM mirrors WHERE inquiry_id = ? AND destination = ?`);
  const threadMessages = sqlite.prepare(
    `SELECT message_id AS id FROM deliveries WHERE inquiry_id = ? AND destination = ? AND kind = 'thread' ORDER BY message_id`,
  );
  for (const { name, channel } of destinations) {
    const mirrors = shown.mirrors.get(channel) ?? new Map<number, string[]>();
    const unknown = mirrors.get(-1) ?? [];
    if (unknown.length > 0)
      problems.push(`${name} (${channel}): ${unknown.length} koe messages that mirror no known inquiry`);
    for (const inquiry of inquiries) {
      const at = `inquiry ${inquiry.id} in ${name} (${channel})`;
      const refs = mirrors.get(inquiry.id) ?? [];
      if (!routed.get(inquiry.id, name)) {
        if (refs.length > 0) problems.push(`${at}: mirrored ${refs.length}× but never routed there`);
        continue;
      }
      if (refs.length !== 1) {
        problems.push(`${at}: mirrored ${refs.length}× (expected once)`);
        continue;
      }
      const recorded = (mirrorRef.get(inquiry.id, name) as { ref: string } | undefined)?.ref;
      if (recorded !== refs[0]) problems.push(`${at}: koe recorded mirror ${recorded}, the channel shows ${refs[0]}`);
      const status = shown.statuses.get(channel)?.get(inquiry.id);
      if (status !== inquiry.status) problems.push(`${at}: mirror shows ${status}, inquiry is ${inquiry.status}`);
      const expected = (threadMessages.all(inquiry.id, name) as Array<{ id: number }>).map((r) => r.id);
      const actual = shown.threads.get(`${channel}:${inquiry.id}`) ?? [];
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        problems.push(
          `${at}: thread shows messages [${actual.join(', ')}], expected [${expected.join(', ')}] once each, in order`,
        );
      }
    }
  }
  return problems;
}

/** Rows still to deliver, and dead ones (with why), for a settled-outbox check. */
export function outboxState(sqlite: Sqlite): {
  unfinished: number;
  dead: Array<{ id: number; kind: string; last_error: string | null }>;
} {
  const unfinished = (
    sqlite.prepare(`SELECT count(*) AS n FROM deliveries WHERE status IN ('pending', 'in_flight')`).get() as {
      n: number;
    }
  ).n;
  const dead = sqlite
    .prepare(`SELECT id, kind, last_error FROM deliveries WHERE status = 'dead' ORDER BY id`)
    .all() as Array<{
    id: number;
    kind: string;
    last_error: string | null;
  }>;
  return { unfinished, dead };
}
