// Hand-built rows for digest tests: plain SQL inserts, so each test states exactly what the
// database holds and the expected numbers can be worked out by hand.
import type { Db } from '../../src/storage/db.ts';

export interface InquirySeed {
  receivedAt: number;
  reasonId?: string | null;
  reasonSource?: 'intake' | 'human' | 'rule' | 'classifier' | null;
  customerId?: number | null;
  status?: 'open' | 'claimed' | 'resolved';
  firstResponseAt?: number | null;
  resolvedAt?: number | null;
  subject?: string | null;
  body?: string;
  url?: string | null;
}

/** Inserts a customer and returns its id. */
export function addCustomer(db: Db, key: string): number {
  return Number(
    db.$client.prepare(`INSERT INTO customers (source, key, created_at) VALUES ('web', ?, 0)`).run(key).lastInsertRowid,
  );
}

/** Inserts an inquiry and returns its id. */
export function addInquiry(db: Db, s: InquirySeed): number {
  const status = s.status ?? (s.resolvedAt != null ? 'resolved' : 'open');
  return Number(
    db.$client
      .prepare(
        `INSERT INTO inquiries (source, customer_id, subject, body, url, reason_id, reason_source, status, received_at,
                                first_response_at, resolved_at, created_at, updated_at)
         VALUES ('web', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.customerId ?? null,
        s.subject ?? null,
        s.body ?? 'hello',
        s.url ?? null,
        s.reasonId ?? null,
        s.reasonSource ?? (s.reasonId ? 'human' : null),
        status,
        s.receivedAt,
        s.firstResponseAt ?? null,
        s.resolvedAt ?? null,
        s.receivedAt,
        s.receivedAt,
      ).lastInsertRowid,
  );
}

export function addEvent(
  db: Db,
  inquiryId: number,
  type: string,
  actorId: string | null,
  at: number,
  actorName: string | null = null,
): void {
  db.$client
    .prepare(`INSERT INTO events (inquiry_id, type, actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(inquiryId, type, actorId, actorName, at);
}

export function addMessage(
  db: Db,
  inquiryId: number,
  direction: 'inbound' | 'outbound' | 'note',
  authorId: string | null,
  at: number,
  authorName: string | null = null,
): void {
  db.$client
    .prepare(
      `INSERT INTO messages (inquiry_id, direction, body, author_id, author_name, created_at) VALUES (?, ?, 'msg', ?, ?, ?)`,
    )
    .run(inquiryId, direction, authorId, authorName, at);
}

export function addMirror(db: Db, inquiryId: number, platform: string, channel: string, messageRef: string): number {
  return Number(
    db.$client
      .prepare(
        `INSERT INTO mirrors (inquiry_id, destination, platform, channel, message_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)`,
      )
      .run(inquiryId, `${platform}-${channel}`, platform, channel, messageRef).lastInsertRowid,
  );
}

export function addReaction(
  db: Db,
  inquiryId: number,
  userId: string,
  emoji: string,
  at: number,
  options: { removedAt?: number; userName?: string } = {},
): void {
  db.$client
    .prepare(
      `INSERT INTO reactions (inquiry_id, platform, user_id, user_name, emoji, created_at, removed_at) VALUES (?, 'slack', ?, ?, ?, ?, ?)`,
    )
    .run(inquiryId, userId, options.userName ?? null, emoji, at, options.removedAt ?? null);
}
