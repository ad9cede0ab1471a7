import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_BODY_CHARS, MAX_LIST_BYTES } from '../../src/intake/http/routes.ts';
import { startKoe, type RunningKoe } from '../helpers/koe-instance.ts';

const MiB = 1024 * 1024;

/** GETs a list and returns its JSON and the bytes of the answer as sent. */
async function list(k: RunningKoe, query: string): Promise<{ status: number; bytes: number; json: any }> {
  const res = await k.api(`/api/v1/inquiries?${query}`);
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), json: JSON.parse(text) };
}

describe('GET /api/v1/inquiries: summaries', () => {
  let k: RunningKoe;
  const long = `${'😀'.repeat(600)}the end`; // characters past the 500th, and pairs that must not split
  beforeAll(async () => {
    k = await startKoe();
    for (const [body, metadata] of [
      [long, { plan: 'pro', notes: 'n'.repeat(1_000) }],
      ['short enough', { plan: 'free' }],
    ] as const) {
      const res = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body, metadata } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => k.stop());

  it('gives the first 500 characters of a long body, says it is cut, and leaves out metadata', async () => {
    const { json } = await list(k, '');
    const [short, cut] = json.items;
    expect(LIST_BODY_CHARS).toBe(500);
    expect(cut.body).toBe('😀'.repeat(500));
    expect(cut.bodyTruncated).toBe(true);
    expect(short).toMatchObject({ body: 'short enough', bodyTruncated: false });
    for (const item of json.items) expect(item).not.toHaveProperty('metadata');
  });

  it('gives metadata with ?include=metadata, and the whole body at GET /inquiries/:id', async () => {
    const { json } = await list(k, 'include=metadata');
    expect(json.items.map((i: any) => i.metadata)).toEqual([
      { plan: 'free' },
      { plan: 'pro', notes: 'n'.repeat(1_000) },
    ]);
    const detail = await (await k.api(`/api/v1/inquiries/${json.items[1].id}`)).json();
    expect(detail.body).toBe(long);
    expect(detail).not.toHaveProperty('bodyTruncated');
  });

  it('refuses anything else to include, naming the parameter', async () => {
    const { status, json } = await list(k, 'include=messages');
    expect(status).toBe(400);
    expect(json.issues.map((i: any) => i.path)).toEqual(['include']);
  });

  it('gives each item its customer, as GET /inquiries/:id does (null when none was given)', async () => {
    const res = await k.api('/api/v1/inquiries', {
      method: 'POST',
      json: {
        source: 'web',
        body: 'with a customer',
        customer: { id: 'c-1', name: '山田 太郎', email: 'taro@example.com' },
      },
    });
    expect(res.status).toBe(201);
    const { json } = await list(k, '');
    expect(json.items[0]).toMatchObject({
      body: 'with a customer',
      customer: { id: 'c-1', name: '山田 太郎', email: 'taro@example.com' },
    });
    expect(json.items.slice(1).map((i: any) => i.customer)).toEqual([null, null]);
    const detail = await (await k.api(`/api/v1/inquiries/${json.items[0].id}`)).json();
    expect(json.items[0].customer).toEqual(detail.customer);
  });
});

describe('GET /api/v1/inquiries: no answer over the size cap', () => {
  let k: RunningKoe;
  const COUNT = 100;
  const ids: number[] = [];
  beforeAll(async () => {
    k = await startKoe();
    // 100 inquiries of a 100,000-character body and 60 KB of metadata each: 16 MB in all.
    const body = 'b'.repeat(100_000);
    const metadata = { blob: 'm'.repeat(60_000) };
    for (let i = 0; i < COUNT; i += 10) {
      const batch = Array.from({ length: 10 }, () =>
        k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body, metadata } }),
      );
      for (const res of await Promise.all(batch)) ids.push((await res.json()).id);
    }
  }, 60_000);
  afterAll(async () => k.stop());

  it('fits every summary of 100 large inquiries in one small page', async () => {
    const { bytes, json } = await list(k, 'limit=200');
    expect(json.items).toHaveLength(COUNT);
    expect(json.nextCursor).toBeNull();
    expect(bytes).toBeLessThan(MiB); // the whole rows: 16 MB
  });

  it('stops a page with metadata before the cap and gives a cursor; the cursors reach every inquiry once', async () => {
    expect(MAX_LIST_BYTES).toBe(4 * MiB);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(k, `limit=200&include=metadata${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.bytes).toBeLessThanOrEqual(MAX_LIST_BYTES);
      expect(page.json.items.length).toBeGreaterThan(0);
      for (const item of page.json.items) expect(item.metadata.blob).toHaveLength(60_000);
      seen.push(...page.json.items.map((i: any) => i.id));
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(pages).toBeGreaterThan(1);
    expect(seen.toSorted((a, b) => a - b)).toEqual(ids.toSorted((a, b) => a - b));
  });
});
