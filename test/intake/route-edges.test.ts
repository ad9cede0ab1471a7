import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningKoe, startKoe } from '../helpers/koe-instance.ts';

/** A chat-looking `source` is checked only where the route takes a source (creating an inquiry). */

let k: RunningKoe;
let id: number;
beforeAll(async () => {
  k = await startKoe();
  id = (await (await k.api('/api/v1/inquiries', { method: 'POST', json: { source: 'web', body: 'x' } })).json()).id;
});
afterAll(async () => k.stop());

describe('a chat-looking source outside the create route', () => {
  it('is refused by the action as a key it does not take, not as a chat identity', async () => {
    const res = await k.api(`/api/v1/inquiries/${id}/claim`, {
      method: 'POST',
      json: { actor: { id: 'api:sato' }, source: 'slack:C0123' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.issues.some((i: { message: string }) => /namespaces are for people/.test(i.message))).toBe(false);
  });
});
