import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mirroredInquiry, startSlackKoe, SUPPORT, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/**
 * Only identities koe took from Slack itself become mentions. The HTTP API is where outsiders name
 * people, so it refuses the `slack:` and `discord:` namespaces (for actors, assignees, authors and
 * sources), and the names API clients give are shown as text.
 */
describe('identities named through the API', () => {
  let k: SlackKoe;
  beforeAll(async () => {
    k = await startSlackKoe();
  });
  afterAll(async () => {
    await k.stop();
  });
  afterEach(() => {
    expect(k.fake.blockKitProblems).toEqual([]);
  });

  const post = async (path: string, json: unknown) => {
    const res = await k.api(`/api/v1${path}`, json);
    return { status: res.status, body: (await res.json()) as any };
  };
  const detail = async (id: number) => (await k.api(`/api/v1/inquiries/${id}`)).json();
  /** Every text koe sent to Slack for inquiry `id`'s mirror and thread (posts and updates). */
  const sentFor = (mirrorTs: string) =>
    k.fake.calls
      .filter((c) => c.params.ts === mirrorTs || c.params.thread_ts === mirrorTs)
      .map((c) => JSON.stringify([c.params.text, c.params.blocks]))
      .join('\n');

  it.each([
    ['claim', { actor: { id: 'slack:U0CEO', name: 'CEO' } }, 'actor.id'],
    ['claim', { actor: { id: ' Slack:U0CEO' } }, 'actor.id'],
    ['claim', { actor: { id: 'discord:112233' } }, 'actor.id'],
    ['assign', { actor: { id: 'api:ops' }, assignee: { id: 'slack:U0CEO' } }, 'assignee.id'],
    ['resolve', { actor: { id: 'slack:W0CEO' } }, 'actor.id'],
    ['messages', { direction: 'note', body: 'hi', author: { id: 'slack:U0CEO' } }, 'author.id'],
  ])(
    'refuses %s by a chat identity (%j) with 400 naming the field, and changes nothing',
    async (action, body, path) => {
      const { id } = await mirroredInquiry(k);
      const answer = await post(`/inquiries/${id}/${action}`, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_request', issues: [{ path }] });
      expect(answer.body.issues[0].message).toContain('slack: and discord:');
      const d = await detail(id);
      expect([d.status, d.assignee, d.messages]).toEqual(['open', null, []]);
    },
  );

  it('refuses an inquiry whose source poses as a Slack or Discord channel, and stores nothing', async () => {
    const before = (await (await k.api('/api/v1/inquiries?limit=200')).json()).items.length;
    for (const source of ['slack:webform', 'discord:123', 'SLACK:C0CUSTOMERS']) {
      const answer = await post('/inquiries', { source, customer: { id: 'U0CEO', name: 'CEO' }, body: 'hello' });
      expect(answer.status, source).toBe(400);
      expect(answer.body.issues).toEqual([{ path: 'source', message: expect.stringContaining('slack: and discord:') }]);
    }
    expect((await (await k.api('/api/v1/inquiries?limit=200')).json()).items).toHaveLength(before);
  });

  it('shows people the API names (api: ids, names that look like mentions) as text, never as mentions', async () => {
    const { id, ts } = await mirroredInquiry(k);
    const boss = { id: 'api:U0CEO', name: '<@U0CEO> <!channel> @here' };
    expect((await post(`/inquiries/${id}/claim`, { actor: boss })).status).toBe(200);
    expect(
      (await post(`/inquiries/${id}/messages`, { direction: 'outbound', body: 'done', author: { id: 'U0CEO' } }))
        .status,
    ).toBe(201);
    expect((await post(`/inquiries/${id}/messages`, { direction: 'note', body: 'ok', author: boss })).status).toBe(201);
    await k.drain();
    await waitFor(
      () => k.fake.okCallsTo('chat.postMessage').filter((c) => c.params.thread_ts === ts).length >= 2,
      10_000,
      'both thread messages',
    );
    await waitFor(
      () => k.fake.okCallsTo('chat.update').some((c) => c.params.ts === ts && c.params.channel === SUPPORT),
      10_000,
      'the mirror updated with the assignee',
    );
    const sent = sentFor(ts);
    expect(sent).toContain('&lt;@U0CEO&gt;');
    expect(sent).not.toMatch(/<@U0CEO|<!channel|@here/);
  });
});
