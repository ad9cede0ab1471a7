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
});
