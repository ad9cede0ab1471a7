import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inquiries } from '../../src/storage/schema/index.ts';
import { startKoe, type RunningKoe } from '../helpers/koe-instance.ts';

/** What the API says to a new inquiry with `extra` fields: status, and each issue's path and message. */
async function post(k: RunningKoe, extra: Record<string, unknown>) {
  const res = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'hello', ...extra } });
  const json = await res.json();
  return { status: res.status, issues: json.issues as { path: string; message: string }[] | undefined, json };
}

describe('POST /api/v1/inquiries: fields koe must not take as given', () => {
  let k: RunningKoe;
  beforeAll(async () => {
    k = await startKoe();
  });
  afterAll(async () => k.stop());
  const stored = () => k.koe.db.select().from(inquiries).all().length;

  describe('url: only http: and https: links to public hosts', () => {
    it.each(['javascript:alert(1)', 'data:text/html,<b>hi</b>', 'file:///etc/passwd', 'slack://open?team=T1'])(
      'refuses %s with 400 at url, naming the schemes it takes',
      async (url) => {
        const before = stored();
        const { status, issues } = await post(k, { url });
        expect(status).toBe(400);
        expect(issues).toEqual([
          { path: 'url', message: expect.stringMatching(/^must be an http: or https: URL, not /) },
        ]);
        expect(stored()).toBe(before);
      },
    );

    it.each(['http://127.0.0.1:22/', 'http://localhost:8080/', 'http://192.168.0.1/', 'http://[::1]/'])(
      'refuses %s with 400 at url, saying why',
      async (url) => {
        const { status, issues } = await post(k, { url });
        expect(status).toBe(400);
        expect(issues).toEqual([
          { path: 'url', message: expect.stringContaining('loopback, private and local-network hosts are refused') },
        ]);
      },
    );

    it('stores an https link to a public host', async () => {
      const { status, json } = await post(k, { url: 'https://example.com/tickets/42' });
      expect(status).toBe(201);
      expect(json.url).toBe('https://example.com/tickets/42');
    });
  });

  describe('metadata: at most 20 levels deep and 64 KB as JSON', () => {
    /** `{ "a": { "a": … { "a": 1 } } }`, `levels` objects deep (the metadata itself is level 1). */
    const nested = (levels: number) => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i++) value = { a: value };
      return value as Record<string, unknown>;
    };

    it('stores metadata 20 levels deep, objects and arrays alike', async () => {
      expect((await post(k, { metadata: nested(20) })).status).toBe(201);
      let arrays: unknown = 'leaf';
      for (let i = 0; i < 19; i++) arrays = [arrays];
      expect((await post(k, { metadata: { list: arrays } })).status).toBe(201);
    });

    it.each([21, 4_200, 100_000])('refuses metadata %i levels deep with 400 at metadata, not a 500', async (levels) => {
      const before = stored();
      // Written by hand: JSON.stringify itself gives up long before 100,000 levels.
      const body = `{"source":"web","body":"deep","metadata":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
      const res = await k.api('/api/v1/inquiries', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).issues).toEqual([{ path: 'metadata', message: 'must be at most 20 levels deep' }]);
      expect(stored()).toBe(before);
    });

    it('stores metadata of 64 KB as JSON and refuses one byte more, saying how large it was', async () => {
      const sized = (bytes: number) => ({ blob: 'm'.repeat(bytes - '{"blob":""}'.length) });
      expect(Buffer.byteLength(JSON.stringify(sized(65_536)))).toBe(65_536);
      expect((await post(k, { metadata: sized(65_536) })).status).toBe(201);
      const { status, issues } = await post(k, { metadata: sized(65_537) });
      expect(status).toBe(400);
      expect(issues).toEqual([{ path: 'metadata', message: 'must be at most 65536 bytes as JSON (it was 65537)' }]);
    });

    it('counts bytes, not characters', async () => {
      const { status } = await post(k, { metadata: { blob: 'あ'.repeat(22_000) } }); // 66,000 bytes in UTF-8
      expect(status).toBe(400);
    });
  });

  describe('receivedAt: from 2000 to a day ahead; every page of the list reachable', () => {
    it.each(['0000-01-01T00:00:00Z', '1999-12-31T23:59:59Z'])(
      'refuses %s with 400 at receivedAt',
      async (receivedAt) => {
        const { status, issues } = await post(k, { receivedAt });
        expect(status).toBe(400);
        expect(issues).toEqual([{ path: 'receivedAt', message: 'must not be before 2000-01-01T00:00:00Z' }]);
      },
    );

    it.each(['9999-12-31T23:59:59Z', new Date(Date.now() + 2 * 86_400_000).toISOString()])(
      'refuses %s with 400 at receivedAt',
      async (receivedAt) => {
        const before = stored();
        const { status, issues } = await post(k, { receivedAt });
        expect(status).toBe(400);
        expect(issues).toEqual([
          { path: 'receivedAt', message: expect.stringMatching(/^must not be more than a day ahead of now \(/) },
        ]);
        expect(stored()).toBe(before);
      },
    );

    it('stores 2000-01-01 and a time an hour ahead', async () => {
      expect((await post(k, { receivedAt: '2000-01-01T00:00:00Z' })).status).toBe(201);
      expect((await post(k, { receivedAt: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(201);
    });

    it('pages through inquiries received before 1970 (written straight into the database)', async () => {
      const insert = k.koe.db.$client.prepare(
        `INSERT INTO inquiries (source, body, status, received_at, created_at, updated_at) VALUES ('old', 'old', 'open', ?, 0, 0)`,
      );
      for (const at of [Date.parse('1969-07-20T20:17:00Z'), Date.parse('1969-12-31T23:59:59Z'), -1]) insert.run(at);
      const all = stored();
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await k.api(`/api/v1/inquiries?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        const page = await res.json();
        seen.push(...page.items.map((i: any) => i.id));
        cursor = page.nextCursor;
      } while (cursor !== null && seen.length <= all);
      expect(seen).toHaveLength(all);
      expect(new Set(seen).size).toBe(all);
    });
  });

  describe('receivedAt ahead is measured by koe’s clock', () => {
    it('takes a day ahead of koe’s now, whatever the wall clock says, and refuses a millisecond more', async () => {
      const now = Date.parse('2030-06-01T00:00:00Z');
      const later = await startKoe(null, {}, { now: () => now });
      try {
        const at = (ms: number) => ({ receivedAt: new Date(ms).toISOString() });
        expect((await post(later, at(now + 86_400_000))).status).toBe(201);
        expect((await post(later, at(now + 86_400_001))).issues).toEqual([
          { path: 'receivedAt', message: 'must not be more than a day ahead of now (2030-06-01T00:00:00.000Z)' },
        ]);
      } finally {
        await later.stop();
      }
    });
  });
});
