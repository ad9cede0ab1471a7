import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../fakes/discord/fake-discord.ts';
import {
  mirroredInquiry,
  ROOMY_MESSAGES,
  startWorldAndKoe,
  stopWorldAndKoe,
  type RunningDiscordKoe,
  type World,
} from './harness.ts';
import { waitFor } from '../../helpers/wait-for.ts';

let w: World;
let k: RunningDiscordKoe;

beforeAll(async () => {
  ({ w, k } = await startWorldAndKoe(ROOMY_MESSAGES));
});
afterAll(() => stopWorldAndKoe(w, k));

const mirrored = (subject: string): Promise<{ id: number; mirror: StoredMessage }> =>
  mirroredInquiry(w, k, { subject, body: 'Where is the settings page?' });

const db = () => k.koe.db.$client;
const live = (id: number) =>
  db()
    .prepare(`SELECT user_id AS user, emoji FROM reactions WHERE inquiry_id = ? AND removed_at IS NULL ORDER BY id`)
    .all(id) as Array<{ user: string; emoji: string }>;
const inquiry = (id: number) =>
  db()
    .prepare(
      `SELECT status, assignee_id AS assignee, reason_id AS reason, reason_source AS source FROM inquiries WHERE id = ?`,
    )
    .get(id) as any;

describe('reactions on Discord mirrors', () => {
  it('records them and maps 🙋 to claim, 🐛 to the bug reason and ✅ to resolve', async () => {
    const { id, mirror } = await mirrored('Reactions');
    w.fake.react(mirror, w.alice.user, '🙋');
    await waitFor(() => inquiry(id).status === 'claimed', 5_000, 'claim by reaction');
    expect(inquiry(id).assignee).toBe(`discord:${w.alice.user.id}`);
    w.fake.react(mirror, w.bob.user, '🐛');
    await waitFor(() => inquiry(id).reason === 'bug', 5_000, 'reason by reaction');
    expect(inquiry(id).source).toBe('human');
    w.fake.react(mirror, w.bob.user, '👀');
    w.fake.react(mirror, w.bob.user, '✅');
    await waitFor(() => inquiry(id).status === 'resolved', 5_000, 'resolve by reaction');
    expect(live(id)).toEqual([
      { user: `discord:${w.alice.user.id}`, emoji: '🙋' },
      { user: `discord:${w.bob.user.id}`, emoji: '🐛' },
      { user: `discord:${w.bob.user.id}`, emoji: '👀' },
      { user: `discord:${w.bob.user.id}`, emoji: '✅' },
    ]);
    // The mirror shows them once edited.
    const counts = await waitFor(
      () => {
        const value: string | undefined = mirror.embeds[0].fields.find((f: any) => f.name === 'Reactions')?.value;
        return value && value.split('  ').length === 4 ? value : null;
      },
      5_000,
      'reaction counts on the mirror',
    );
    expect(counts.split('  ').sort()).toEqual(['✅ 1', '👀 1', '🐛 1', '🙋 1'].sort());
  });

  it('records a re-delivered reaction once, and a removal as removed', async () => {
    const { id, mirror } = await mirrored('Redelivery');
    w.fake.react(mirror, w.alice.user, '👀');
    w.fake.react(mirror, w.alice.user, '👀'); // the same event again
    w.fake.react(mirror, w.alice.user, '💡');
    await waitFor(() => live(id).length === 2, 5_000, 'two live reactions');
    expect(inquiry(id).reason).toBe('feature_request');
    w.fake.react(mirror, w.alice.user, '👀', [], true);
    await waitFor(() => live(id).length === 1, 5_000, 'removal');
    const rows = db()
      .prepare(`SELECT emoji, removed_at IS NOT NULL AS removed FROM reactions WHERE inquiry_id = ? ORDER BY id`)
      .all(id);
    expect(rows).toEqual([
      { emoji: '👀', removed: 1 },
      { emoji: '💡', removed: 0 },
    ]);
  });

  it('matches an emoji sent with or without the U+FE0F variation selector', async () => {
    const { id, mirror } = await mirrored('Variation');
    w.fake.react(mirror, w.alice.user, '✅\uFE0F');
    await waitFor(() => inquiry(id).status === 'resolved', 5_000, 'resolve by ✅️');
    expect(live(id)).toEqual([{ user: `discord:${w.alice.user.id}`, emoji: '✅' }]);
  });

  it('ignores reactions on messages that are not mirrors, and koe’s own', async () => {
    const { id, mirror } = await mirrored('Ignored');
    const chatter = w.fake.say(w.inquiries.id, w.alice.user, 'lunch?');
    w.fake.react(chatter, w.bob.user, '🙋');
    w.fake.react(mirror, w.fake.bot, '🙋');
    // A later reaction lands, so the two before it have been handled (events arrive in order).
    w.fake.react(mirror, w.bob.user, '👀');
    await waitFor(() => live(id).length === 1, 5_000, 'the one real reaction');
    expect(inquiry(id).status).toBe('open');
    expect(
      db()
        .prepare(`SELECT count(*) AS n FROM reactions WHERE user_id = ? AND emoji = '🙋'`)
        .get(`discord:${w.bob.user.id}`),
    ).toEqual({ n: 0 });
    expect(
      db().prepare(`SELECT count(*) AS n FROM reactions WHERE user_id = ?`).get(`discord:${w.fake.bot.id}`),
    ).toEqual({ n: 0 });
  });
});
