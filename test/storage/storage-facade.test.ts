import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/core/digests/types.ts';
import type { Db } from '../../src/storage/db.ts';
import { openStorage, type Storage } from '../../src/storage/index.ts';
import { addInquiry } from '../helpers/digest-rows.ts';
import { tempDir } from '../helpers/temp-db.ts';

/**
 * openStorage is all the command-line tools (`koe deliveries`, `koe digest`, `koe reasons`,
 * `koe migrate`) hold of the database. Those commands are tested as child processes, where a planted
 * bug is out of sight, so this file checks the same verbs in process, over a real file.
 */

let dir: ReturnType<typeof tempDir>;
let storage: Storage | undefined;
afterEach(() => {
  storage?.close();
  storage = undefined;
  dir.cleanup();
});

function open(): { storage: Storage; path: string; raw: Database.Database } {
  dir = tempDir();
  const path = join(dir.dir, 'koe.db');
  storage = openStorage(path);
  // A second connection, as another koe process would have: it sees only what was committed.
  const raw = new Database(path);
  return { storage, path, raw };
}

type Seed = { status: string; attempts?: number; lastError?: string | null; nextAttemptAt?: number };

function addDelivery(raw: Database.Database, seed: Seed): number {
  return Number(
    raw
      .prepare(
        `INSERT INTO deliveries (kind, destination, platform, channel, status, attempts, next_attempt_at, last_error,
                                 created_at, updated_at)
         VALUES ('post', 'support', 'console', 'stdout', ?, ?, ?, ?, 0, 0)`,
      )
      .run(seed.status, seed.attempts ?? 5, seed.nextAttemptAt ?? 100, seed.lastError ?? null).lastInsertRowid,
  );
}

const deliveryRow = (raw: Database.Database, id: number) =>
  raw.prepare(`SELECT status, attempts, next_attempt_at, updated_at, last_error FROM deliveries WHERE id = ?`).get(id);

describe('openStorage, what the command-line tools hold of the database', () => {
  it('migrates a new file and gives the digest queries over it', () => {
    const { storage } = open();
    const digest = storage.digests;
    expect(typeof digest).toBe('object');
    expect(Object.keys(digest).length).toBeGreaterThan(0);
  });

  it('refuses a file it cannot migrate, and lets go of it (no connection left holding the WAL)', () => {
    dir = tempDir();
    const path = join(dir.dir, 'koe.db');
    const other = new Database(path);
    other.exec('CREATE TABLE customers (x)'); // a table the first migration creates: the migration fails
    other.close();
    expect(() => openStorage(path)).toThrow(/customers/);
    // SQLite removes the WAL when the last connection closes; a connection left open keeps it.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('closes the database on close: nothing more can be read through it', () => {
    const { storage } = open();
    storage.close();
    expect(() => storage.listDeliveries('dead', 10)).toThrow(/not open/);
    // afterEach's second close is harmless on a closed connection
  });

  describe('deliveries (koe deliveries list and retry)', () => {
    it('lists the newest deliveries of one status first, at most `limit`', () => {
      const { storage, raw } = open();
      const dead1 = addDelivery(raw, { status: 'dead' });
      addDelivery(raw, { status: 'done' });
      const dead2 = addDelivery(raw, { status: 'dead' });
      const dead3 = addDelivery(raw, { status: 'dead' });
      expect(storage.listDeliveries('dead', 10).map((r) => r.id)).toEqual([dead3, dead2, dead1]);
      expect(storage.listDeliveries('dead', 2).map((r) => r.id)).toEqual([dead3, dead2]);
      expect(storage.listDeliveries('pending', 10)).toEqual([]);
      raw.close();
    });

    it('requeues the given dead deliveries with a fresh budget, keeps their last error, and counts only those it changed', () => {
      const { storage, raw } = open();
      const dead = addDelivery(raw, { status: 'dead', attempts: 8, lastError: 'HTTP 500' });
      const otherDead = addDelivery(raw, { status: 'dead', attempts: 8, lastError: 'HTTP 502' });
      const done = addDelivery(raw, { status: 'done', attempts: 1 });
      const pending = addDelivery(raw, { status: 'pending', attempts: 2 });

      expect(storage.requeueDead([dead, done, pending, 9_999], 7_000)).toBe(1);
      expect(deliveryRow(raw, dead)).toEqual({
        status: 'pending',
        attempts: 0,
        next_attempt_at: 7_000,
        updated_at: 7_000,
        last_error: 'HTTP 500',
      });
      expect(deliveryRow(raw, otherDead)).toMatchObject({ status: 'dead', attempts: 8 }); // not asked for
      expect(deliveryRow(raw, done)).toMatchObject({ status: 'done', attempts: 1 });
      expect(deliveryRow(raw, pending)).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: 100 });

      expect(storage.requeueDead([dead, otherDead], 8_000)).toBe(1); // the first is pending again already
      expect(storage.requeueDead([], 8_000)).toBe(0);
      raw.close();
    });

    it('requeues every dead delivery when asked for all, and only those', () => {
      const { storage, raw } = open();
      const a = addDelivery(raw, { status: 'dead' });
      const b = addDelivery(raw, { status: 'dead' });
      const done = addDelivery(raw, { status: 'done' });
      expect(storage.requeueDead('all', 9_000)).toBe(2);
      expect([a, b, done].map((id) => (deliveryRow(raw, id) as { status: string }).status)).toEqual([
        'pending',
        'pending',
        'done',
      ]);
      expect(deliveryRow(raw, a)).toMatchObject({ attempts: 0, next_attempt_at: 9_000 });
      expect(storage.requeueDead('all', 9_500)).toBe(0);
      raw.close();
    });
  });

  describe('labels (koe reasons)', () => {
    it('counts and loads the labels people gave, text as subject and body, filtered by the reasons asked for', () => {
      const { storage, raw } = open();
      const db = { $client: raw } as unknown as Db; // the hand-built rows of digest-rows.ts, written by another connection
      const billing1 = addInquiry(db, { receivedAt: 1, reasonId: 'billing', subject: 'Invoice', body: 'wrong total' });
      const billing2 = addInquiry(db, { receivedAt: 2, reasonId: 'billing', body: 'refund please' });
      const bug = addInquiry(db, { receivedAt: 3, reasonId: 'bug', reasonSource: 'intake', body: 'crash' });
      addInquiry(db, { receivedAt: 4, reasonId: 'bug', reasonSource: 'classifier', body: 'a guess' });
      addInquiry(db, { receivedAt: 5, body: 'no reason' });
      expect(storage.countLabels()).toEqual([
        { reasonId: 'billing', count: 2 },
        { reasonId: 'bug', count: 1 },
      ]);
      expect(storage.loadLabels({})).toEqual([
        { inquiryId: billing1, text: 'Invoice\nwrong total', reasonId: 'billing' },
        { inquiryId: billing2, text: 'refund please', reasonId: 'billing' },
        { inquiryId: bug, text: 'crash', reasonId: 'bug' },
      ]);
      expect(storage.loadLabels({ reasonIds: ['bug'] })).toEqual([{ inquiryId: bug, text: 'crash', reasonId: 'bug' }]);
      expect(storage.loadLabels({ reasonIds: [] })).toEqual([]);
      raw.close();
    });
  });

  describe('digest runs (koe digest --post)', () => {
    it('records one run per digest and period and queues its delivery once; a second claim finds the first', () => {
      const { storage, raw } = open();
      const digest = { version: 2, name: 'adhoc', period: { kind: 'day', start: '2026-11-20' } } as unknown as Digest;
      const target = { name: 'daily', platform: 'console', channel: 'stdout' } as const;
      const first = storage.claimDigestRun(target, digest, 1_000);
      expect(first).toEqual({ posted: true, runId: expect.any(Number), deliveryId: expect.any(Number) });
      const again = storage.claimDigestRun(target, digest, 2_000);
      expect(again).toEqual({ posted: false, runId: first.runId, deliveryId: first.deliveryId });
      const rows = raw.prepare(`SELECT id, destination, channel, payload FROM deliveries`).all();
      expect(rows).toEqual([
        { id: first.deliveryId, destination: 'digest:daily', channel: 'stdout', payload: JSON.stringify(digest) },
      ]);
      raw.close();
    });
  });
});
