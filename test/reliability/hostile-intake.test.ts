import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inquiries } from '../../src/storage/schema/index.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import { startKoe, type RunningKoe } from '../helpers/koe-instance.ts';

let k: RunningKoe;
beforeAll(async () => {
  k = await startKoe();
});
afterAll(async () => k.stop());

const count = () => k.koe.db.select({ id: inquiries.id }).from(inquiries).all().length;

// Values of every JSON type, and strings that tend to break things.
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e\u05e9\u05dc\u05d5\u05dd',
    '👨‍👩‍👧‍👦🏳️‍🌈',
    '𠮷野家',
    '\ud800',
    'null',
    '<script>',
    '%00',
    '../../etc/passwd',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const inquiryLike = fc.record(
  {
    source: nasty,
    externalId: nasty,
    customer: fc.oneof(nasty, fc.record({ id: nasty, name: nasty, email: nasty }, { requiredKeys: [] })),
    subject: nasty,
    body: nasty,
    url: nasty,
    reason: fc.oneof(nasty, fc.constantFrom('bug', 'billing', 'other')),
    receivedAt: fc.oneof(
      nasty,
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    ),
    metadata: nasty,
  },
  { requiredKeys: [] },
);

describe('hostile input to the intake API', () => {
  it('answers every generated inquiry-like body with 2xx or a 4xx naming the problem, and stores exactly the 2xx ones', async () => {
    await fc.assert(
      fc.asyncProperty(inquiryLike, async (body) => {
        const before = count();
        const res = await k.api('/api/v1/inquiries', { method: 'POST', json: body });
        const json = await res.json();
        expect(res.status).toBeLessThan(500);
        if (res.status === 201) expect(count()).toBe(before + 1);
        else if (res.status === 200) expect(count()).toBe(before);
        else {
          expect(res.status).toBe(400);
          expect(json.issues.length).toBeGreaterThan(0);
          expect(count()).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary bytes and non-object JSON with 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        async (text) => {
          const res = await k.api('/api/v1/inquiries', {
            method: 'POST',
            body: text,
            headers: { 'content-type': 'application/json' },
          });
          expect([400]).toContain(res.status);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stores and mirrors emoji, RTL, NUL bytes and a 100,000-character body intact', async () => {
    const bodies = ['👨‍👩‍👧‍👦 返金して 🙏', '\u202eשלום עולם\u202c مرحبا', 'before\u0000after', 'あ'.repeat(100_000)];
    for (const body of bodies) {
      const res = await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body } });
      expect(res.status).toBe(201);
      const { id } = await res.json();
      const stored = await (await k.api(`/api/v1/inquiries/${id}`)).json();
      expect(stored.body).toBe(body);
    }
    await k.koe.worker.drain();
    expect(k.consoleText()).toContain('👨‍👩‍👧‍👦 返金して 🙏');
  });

  it('answers generated follow-ups and lifecycle actions with 2xx or 4xx, and leaves every inquiry consistent', async () => {
    const created = await (
      await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'target of the actions' } })
    ).json();
    // Mostly well-formed people (so the lifecycle really moves), sometimes anything.
    const person = fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .record({
            id: fc.constantFrom('agent-a', 'agent-b', 'slack:U0X'),
            name: fc.oneof(nasty, fc.constant(undefined)),
          })
          .map((a) => JSON.parse(JSON.stringify(a))),
      },
      { weight: 1, arbitrary: fc.oneof(fc.record({ id: nasty, name: nasty }, { requiredKeys: [] }), nasty) },
    );
    const extra = fc.oneof(
      { weight: 4, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), nasty, { maxKeys: 2 }) },
    );
    const request = fc.oneof(
      fc.record({
        path: fc.constant('messages'),
        body: fc.record(
          {
            direction: fc.oneof(fc.constantFrom('inbound', 'outbound', 'note'), nasty),
            body: nasty,
            author: fc.oneof(person, nasty),
            externalId: nasty,
          },
          { requiredKeys: ['direction', 'body'] },
        ),
      }),
      fc.record({
        path: fc.constantFrom('claim', 'unclaim', 'reopen'),
        body: fc.tuple(person, extra).map(([actor, more]) => ({ actor, ...more })),
      }),
      fc.record({
        path: fc.constant('resolve'),
        body: fc.record({ actor: person, note: nasty }, { requiredKeys: ['actor'] }),
      }),
      fc.record({ path: fc.constant('assign'), body: fc.record({ actor: person, assignee: person }) }),
      fc.record({
        path: fc.constant('reason'),
        body: fc.record({ actor: person, reason: fc.oneof(fc.constantFrom('bug', 'billing'), nasty) }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.oneof({ weight: 5, arbitrary: fc.constant(created.id) }, { weight: 1, arbitrary: fc.constant(999_999) }),
        async ({ path, body }, id) => {
          const res = await k.api(`/api/v1/inquiries/${id}/${path}`, { method: 'POST', json: body });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) expect([400, 404, 409]).toContain(res.status);
          expect(inquiryInvariantProblems(k.koe.db.$client, k.koe.config.destinations)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses generated ids, query strings and actions with 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), async (id, query) => {
        const a = await k.api(`/api/v1/inquiries/${encodeURIComponent(id)}`);
        expect(a.status).toBeLessThan(500);
        const b = await k.api(`/api/v1/inquiries?${encodeURIComponent(query)}=${encodeURIComponent(id)}`);
        expect(b.status).toBeLessThan(500);
        const c = await k.api(`/api/v1/inquiries/1/claim`, {
          method: 'POST',
          body: id,
          headers: { 'content-type': 'application/json' },
        });
        expect(c.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
