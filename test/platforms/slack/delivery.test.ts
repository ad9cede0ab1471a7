import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { deliveries, mirrors } from '../../../src/storage/schema/index.ts';
import { intake, startSlackKoe, SUPPORT, type SlackKoe } from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const ONLY_SUPPORT = `locale: en\ndestinations:\n  - name: support\n    platform: slack\n    channel: ${SUPPORT}\n`;

describe('Slack delivery through the outbox', () => {
  let k: SlackKoe | undefined;
  afterEach(async () => {
    if (k) expect(k.fake.blockKitProblems).toEqual([]);
    await k?.stop();
    k = undefined;
  });

  const postsOf = (s: SlackKoe, inquiryId: number) =>
    s.fake.calls.filter(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.metadata?.event_payload?.inquiry_id === inquiryId &&
        !c.params.thread_ts,
    );

  it('honours 429 Retry-After and then delivers exactly once', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    k.fake.fail('chat.postMessage', { kind: 'rate_limited', retryAfterSec: 1 });
    const created = await intake(k);
    await k.drain(10_000);
    const attempts = postsOf(k, created.id);
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950); // waited out Retry-After: 1 s
    expect(k.fake.topLevel(SUPPORT).filter((m) => m.metadata?.event_payload.inquiry_id === created.id)).toHaveLength(1);
    const row = k.koe.db.select().from(deliveries).where(eq(deliveries.inquiryId, created.id)).get()!;
    expect(row).toMatchObject({ status: 'done', attempts: 1 }); // a 429 is not counted as a failed attempt
  });

  it('retries a 5xx, looking for the earlier post first, and posts once', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    k.fake.fail('chat.postMessage', { kind: 'http', status: 503 });
    const created = await intake(k);
    await k.drain();
    expect(postsOf(k, created.id).map((a) => a.status)).toEqual([503, 200]);
    expect(k.fake.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
    expect(k.fake.topLevel(SUPPORT)).toHaveLength(1);
  });

  it('does not post twice when the post landed but its answer was lost (found again by metadata)', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    k.fake.fail('chat.postMessage', { kind: 'lost_answer' });
    const created = await intake(k);
    await k.drain();
    const landed = k.fake.topLevel(SUPPORT);
    expect(landed).toHaveLength(1);
    expect(postsOf(k, created.id)).toHaveLength(1);
    const history = k.fake.callsTo('conversations.history');
    expect(history.at(-1)!.params).toMatchObject({ channel: SUPPORT, include_all_metadata: 'true' });
    const mirror = k.koe.db.select().from(mirrors).where(eq(mirrors.inquiryId, created.id)).get()!;
    expect(mirror.messageRef).toBe(landed[0]!.ts);
    // Later changes update that message in place.
    await k.command(`claim ${created.id}`, 'U0ALICE');
    await k.drain();
    await waitFor(
      () => k!.fake.okCallsTo('chat.update').find((c) => c.params.ts === landed[0]!.ts),
      5_000,
      'update of the found mirror',
    );
  });

  it('does not post a thread message twice when its answer was lost', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    const created = await intake(k);
    await k.drain();
    const mirrorTs = k.fake.topLevel(SUPPORT)[0]!.ts;
    k.fake.fail('chat.postMessage', { kind: 'lost_answer' });
    await k.api(`/api/v1/inquiries/${created.id}/messages`, { direction: 'inbound', body: 'any update?' });
    await k.drain();
    expect(k.fake.replies(SUPPORT, mirrorTs)).toHaveLength(1);
    expect(k.fake.callsTo('conversations.replies').at(-1)!.params).toMatchObject({
      channel: SUPPORT,
      ts: mirrorTs,
      include_all_metadata: 'true',
    });
  });

  it('after a crash mid-delivery (row in flight, lease expired, post already in Slack), a restart finds the post and does not repeat it', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    const created = await intake(k);
    await k.drain();
    const landed = k.fake.topLevel(SUPPORT);
    expect(landed).toHaveLength(1);
    const delivery = k.koe.db.select().from(deliveries).where(eq(deliveries.inquiryId, created.id)).get()!;

    // Put the database back in the state a crash right after chat.postMessage leaves: the delivery
    // leased (in flight, one attempt) with its lease run out, and no mirror recorded.
    await k.koe.stop();
    const { openDb } = await import('../../../src/storage/db.ts');
    const db = openDb(k.koe.config.databasePath);
    db.delete(mirrors).where(eq(mirrors.inquiryId, created.id)).run();
    db.update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: Date.now() - 1_000, deliveredAt: null })
      .where(eq(deliveries.id, delivery.id))
      .run();
    db.$client.close();

    const postsBefore = k.fake.callsTo('chat.postMessage').length;
    await k.restart();
    await k.drain();
    expect(k.fake.callsTo('chat.postMessage').length).toBe(postsBefore); // nothing posted again
    expect(k.fake.topLevel(SUPPORT)).toHaveLength(1);
    const mirror = k.koe.db.select().from(mirrors).where(eq(mirrors.inquiryId, created.id)).get()!;
    expect(mirror.messageRef).toBe(landed[0]!.ts);
    expect(k.koe.db.select().from(deliveries).where(eq(deliveries.id, delivery.id)).get()).toMatchObject({
      status: 'done',
    });
  });

  it('after a crash before the post reached Slack, a restart looks, finds nothing, and posts it once', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    const created = await intake(k);
    await k.drain();
    const delivery = k.koe.db.select().from(deliveries).where(eq(deliveries.inquiryId, created.id)).get()!;
    await k.koe.stop();
    // The crash came before the request left: Slack has nothing, the row is in flight with an expired lease.
    k.fake.channels.get(SUPPORT)!.splice(0);
    const { openDb } = await import('../../../src/storage/db.ts');
    const db = openDb(k.koe.config.databasePath);
    db.delete(mirrors).where(eq(mirrors.inquiryId, created.id)).run();
    db.update(deliveries)
      .set({ status: 'in_flight', attempts: 1, lockedUntil: Date.now() - 1_000 })
      .where(eq(deliveries.id, delivery.id))
      .run();
    db.$client.close();

    const historyBefore = k.fake.callsTo('conversations.history').length;
    await k.restart();
    await k.drain();
    expect(k.fake.callsTo('conversations.history').length).toBeGreaterThan(historyBefore);
    const landed = k.fake.topLevel(SUPPORT);
    expect(landed).toHaveLength(1);
    expect(k.koe.db.select().from(mirrors).where(eq(mirrors.inquiryId, created.id)).get()!.messageRef).toBe(
      landed[0]!.ts,
    );
  });

  it('holds a post to a channel the bot is not in (not dead, not counted) until it is invited', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT });
    k.fake.fail('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const created = await intake(k);
    await waitFor(() => postsOf(k!, created.id).length === 1, 10_000, 'the refused post');
    const row = () => k!.koe.db.select().from(deliveries).where(eq(deliveries.inquiryId, created.id)).get()!;
    await waitFor(() => row().status === 'pending' && row().nextAttemptAt > Date.now(), 10_000, 'the row to wait');
    // Minutes later, not now: a person has to invite koe first.
    expect(row()).toMatchObject({ status: 'pending', attempts: 0, lastError: null });
    expect(row().nextAttemptAt - Date.now()).toBeGreaterThan(60_000);
    expect(postsOf(k, created.id)).toHaveLength(1);
  });

  it('paces posts to one channel about a second apart', async () => {
    k = await startSlackKoe({ yaml: ONLY_SUPPORT, options: { slack: { paceMs: 1_000 } } });
    const a = await intake(k, { body: 'first' });
    const b = await intake(k, { body: 'second' });
    await k.drain(10_000);
    const [pa, pb] = [postsOf(k, a.id)[0]!, postsOf(k, b.id)[0]!];
    expect(Math.abs(pb.at - pa.at)).toBeGreaterThanOrEqual(950);
  });
});
