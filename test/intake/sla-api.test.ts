import { afterEach, describe, expect, it } from 'vitest';
import { startKoe, type RunningKoe } from '../helpers/koe-instance.ts';

// Tue 2026-11-24 10:00 JST; Monday 11-23 was 勤労感謝の日. Default promise: weekdays 09:00-18:00, 2h, 2d.
const NOW = Date.parse('2026-11-24T10:00:00+09:00');

let k: RunningKoe | undefined;
afterEach(async () => k?.stop());

async function inquiry(receivedAt: string, externalId: string): Promise<number> {
  const res = await k!.api('/api/v1/inquiries', {
    method: 'POST',
    json: { source: 'web', externalId, body: 'ログインできません', receivedAt },
  });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}

const listIds = async (query: string) =>
  ((await (await k!.api(`/api/v1/inquiries?${query}`)).json()).items as Array<{ id: number }>).map((i) => i.id);

describe('due times on the API', () => {
  it('gives GET /inquiries/:id its due times on the business clock, in ISO 8601', async () => {
    k = await startKoe(null, {}, { now: () => NOW });
    // Fri 17:30: 30 minutes that evening, none on the holiday, 90 on Tuesday → due Tue 10:30.
    const id = await inquiry('2026-11-20T17:30:00+09:00', 'fri');
    const body = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(body.sla).toEqual({
      firstResponseDueAt: '2026-11-24T01:30:00.000Z', // Tue 10:30 JST
      resolutionDueAt: '2026-11-25T08:30:00.000Z', // Wed 17:30 JST: two business days, same moment
      firstResponseBreached: false,
      resolutionBreached: false,
    });
  });

  it('stops the first-response clock at the first reply that reached the customer', async () => {
    k = await startKoe(null, {}, { now: () => NOW });
    const id = await inquiry('2026-11-16T10:00:00+09:00', 'late');
    const before = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(before.sla).toMatchObject({ firstResponseBreached: true, resolutionBreached: true });
    k.koe.db.$client.prepare('UPDATE inquiries SET first_response_at = ? WHERE id = ?').run(
      Date.parse('2026-11-16T11:00:00+09:00'), // within 2h
      id,
    );
    const after = await (await k.api(`/api/v1/inquiries/${id}`)).json();
    expect(after.sla).toMatchObject({ firstResponseBreached: false, resolutionBreached: true });
  });

  it('filters the list by ?sla=breached and ?sla=due_soon among unresolved inquiries', async () => {
    k = await startKoe(null, {}, { now: () => NOW });
    const dueSoon = await inquiry('2026-11-20T17:30:00+09:00', 'a'); // warned at Tue 10:00 (75 % of 2h)
    const breached = await inquiry('2026-11-16T10:00:00+09:00', 'b');
    const onTrack = await inquiry('2026-11-24T09:30:00+09:00', 'c'); // due 11:30, warned at 11:00
    const resolved = await inquiry('2026-11-16T10:00:00+09:00', 'd');
    expect(
      (await k.api(`/api/v1/inquiries/${resolved}/resolve`, { method: 'POST', json: { actor: { id: 'api:test' } } }))
        .status,
    ).toBe(200);

    expect(await listIds('sla=breached')).toEqual([breached]);
    expect(await listIds('sla=due_soon')).toEqual([dueSoon]);
    expect((await listIds('')).sort()).toEqual([dueSoon, breached, onTrack, resolved].sort());
    expect(await listIds('sla=breached&status=resolved')).toEqual([]);
  });

  it('refuses an unknown ?sla= value with a 400 naming the parameter', async () => {
    k = await startKoe(null, {}, { now: () => NOW });
    const res = await k.api('/api/v1/inquiries?sla=late');
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('sla');
  });
});
