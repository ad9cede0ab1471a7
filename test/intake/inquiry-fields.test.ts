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
});
