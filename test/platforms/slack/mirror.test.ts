import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALICE, BUGS, intake, startSlackKoe, SUPPORT, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

describe('Slack mirror', () => {
  let k: SlackKoe;
  beforeEach(async () => {
    k = await startSlackKoe();
  });
  afterEach(async () => {
    expect(k.fake.blockKitProblems).toEqual([]);
    await k.stop();
  });

  it('posts a new inquiry to every routed Slack channel, with metadata naming the inquiry and delivery', async () => {
    const created = await intake(k, {
      subject: 'App crashes',
      body: 'The app shows an error and crashes on start.',
      reason: 'bug',
    });
    await k.drain();
    const posts = k.fake.okCallsTo('chat.postMessage');
    expect(posts.map((p) => p.params.channel).sort()).toEqual([BUGS, SUPPORT].sort());
    for (const post of posts) {
      expect(post.params.metadata).toEqual({
        event_type: 'koe_inquiry',
        event_payload: { inquiry_id: created.id, delivery_id: expect.any(Number) },
      });
      expect(post.params.text).toContain(`#${created.id}`);
      expect(JSON.stringify(post.params.blocks)).toContain('The app shows an error and crashes on start.');
    }
    // The mirror rows point at the posted messages.
    const detail = await (await k.api(`/api/v1/inquiries/${created.id}`)).json();
    expect(detail.mirrors.map((m: any) => m.messageRef).sort()).toEqual(posts.map((p) => p.response!.ts).sort());
  });

  it('routes by reason: an inquiry that is not a bug goes only to the support channel', async () => {
    await intake(k, { body: 'How do I export my data?', reason: 'how_to' });
    await k.drain();
    expect(k.fake.okCallsTo('chat.postMessage').map((p) => p.params.channel)).toEqual([SUPPORT]);
  });

  it('updates the mirror in place when the inquiry changes, and posts follow-ups in its thread', async () => {
    const created = await intake(k, { reason: 'how_to' });
    await k.drain();
    const mirrorTs = k.fake.okCallsTo('chat.postMessage')[0]!.response!.ts as string;

    const claimed = await k.command(`claim ${created.id}`, ALICE);
    expect(claimed.status).toBe(200);
    await k.drain();
    const update = await waitFor(() => k.fake.okCallsTo('chat.update').at(-1), 5_000, 'chat.update');
    expect(update.params).toMatchObject({ channel: SUPPORT, ts: mirrorTs });
    expect(JSON.stringify(update.params.blocks)).toContain(`<@${ALICE}>`);
    expect(update.params.blocks[0].text.text).toContain('Claimed');

    const followUp = await k.api(`/api/v1/inquiries/${created.id}/messages`, {
      direction: 'inbound',
      body: 'Any news?',
    });
    expect(followUp.status).toBe(201);
    await k.drain();
    const replies = k.fake.replies(SUPPORT, mirrorTs);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]!.blocks)).toContain('Any news?');
    expect(replies[0]!.metadata?.event_payload).toMatchObject({ inquiry_id: created.id });
  });
});
