import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/platforms/discord/commands/definitions.ts';
import type { InteractionRecord, StoredMessage } from '../fakes/discord/fake-discord.ts';
import { outboxState } from '../helpers/delivery-ledger.ts';
import { inquiryInvariantProblems } from '../helpers/invariants.ts';
import { startKoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import {
  buildWorld,
  mirroredInquiry,
  startDiscordKoe,
  worldYaml,
  type RunningDiscordKoe,
  type World,
} from '../platforms/discord/harness.ts';
import { collectUnhandledRejections } from '../helpers/unhandled-rejections.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Hostile input through the fake Discord gateway, in the fields people control: what customers
 * write in source channels and forum titles, their names, `/koe` subcommands and options, button
 * and select ids and values, reaction emoji, and dispatches of kinds koe does not handle. Discord
 * itself shapes these payloads, so the fuzzing is of their contents. Whatever comes, koe never has
 * an unhandled rejection (which ends a Node process), answers every interaction exactly once, and
 * leaves its database consistent and its mirrors acceptable to Discord. (How fast it answers is not
 * checked here: the fake accepts late answers, so a loaded machine cannot fail a fuzz run.)
 */

/** `KOE_SOAK=1` (npm run test:soak) runs ten times as many cases. */
const RUNS = process.env.KOE_SOAK === '1' ? 10 : 1;

let w: World;
let k: RunningDiscordKoe;
let mirror: StoredMessage;
let mirrorId: number;
const rejections = collectUnhandledRejections();

/** The /koe subcommands as koe registers them with Discord. */
const KOE_SUBCOMMANDS = (commandDefinitions()[0] as { options: Array<{ name: string }> }).options.map((o) => o.name);

beforeAll(async () => {
  w = await buildWorld({ messageBucket: { limit: 1_000, windowMs: 5_000 }, interactionWindowMs: 10 * 60_000 });
  k = await startDiscordKoe(w, worldYaml(w).replace('paceMs: 100', 'paceMs: 0'));
  ({ id: mirrorId, mirror } = await mirroredInquiry(w, k, {
    subject: 'Fuzz target',
    body: 'A mirror to click on',
    reason: 'how_to',
  }));
});
afterAll(async () => {
  await k?.stop();
  await w?.fake.close();
});

const text = (max: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '\u0000',
        '\u202eשלום\u202c',
        '👨‍👩‍👧‍👦🏳️‍🌈',
        '@everyone',
        '<@&1>',
        '```',
        '||x||',
        '\ud800',
        '#1',
        'koe:claim:1',
      ),
    },
    { weight: 1, arbitrary: fc.constant(`${'界'.repeat(max / 2)}${'😀'.repeat(max / 4)}`.slice(0, max)) },
  );
const people = () => fc.constantFrom<'alice' | 'bob' | 'carol' | 'customer'>('alice', 'bob', 'carol', 'customer');
const actorOf = (who: 'alice' | 'bob' | 'carol' | 'customer') => w[who];

/** Waits for an interaction's answer and checks it was given once. */
async function answered(rec: InteractionRecord): Promise<void> {
  await waitFor(() => rec.responses.length > 0, 10_000, `an answer to interaction ${rec.id}`);
  expect(rec.responses).toHaveLength(1);
}

/** After each case: nothing escaped, the database is consistent. */
function consistent(): void {
  expect(rejections).toEqual([]);
  expect(inquiryInvariantProblems(k.koe.db.$client, k.koe.config.destinations)).toEqual([]);
}

describe('hostile input through the Discord gateway', () => {
  it(
    'answers generated /koe subcommands and options once each, in time',
    async () => {
      const subcommand = fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(...KOE_SUBCOMMANDS),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      );
      const options = fc.record(
        {
          id: fc.oneof(
            fc.constant(null).map(() => mirrorId),
            fc.integer(),
            fc.constantFrom(0, -1, 2 ** 53, 2 ** 31),
          ),
          reason: fc.oneof(fc.constantFrom('bug', 'billing', 'nope'), text(100)),
          note: text(6_000),
          text: text(6_000),
          period: fc.oneof(fc.constantFrom('today', '7d', '30d'), text(20)),
          user: people().map((p) => ({ user: actorOf(p).user, roles: actorOf(p).roles })),
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(people(), subcommand, options, async (who, sub, opts) => {
          const rec = w.fake.slash(w.inquiries.id, actorOf(who), 'koe', sub, opts);
          await answered(rec);
          consistent();
        }),
        { numRuns: 120 * RUNS },
      );
    },
    30_000 * RUNS,
  );

  it(
    'answers generated button clicks and select choices once each, in time',
    async () => {
      const customId = fc.oneof(
        fc.constantFrom('claim', 'resolve', 'reopen', 'reason').map((a) => `koe:${a}:${mirrorId}`),
        fc
          .tuple(
            fc.constantFrom('claim', 'resolve', 'reopen', 'reason', 'delete'),
            fc.oneof(fc.integer(), fc.constantFrom('999999999999999', '1e3', '')),
          )
          .map(([a, n]) => `koe:${a}:${n}`),
        fc.string({ minLength: 1, maxLength: 100 }),
      );
      const values = fc.array(fc.oneof(fc.constantFrom('bug', 'billing', 'how_to'), text(100)), { maxLength: 3 });
      await fc.assert(
        fc.asyncProperty(people(), customId, fc.boolean(), values, async (who, id, isSelect, chosen) => {
          const rec = isSelect
            ? w.fake.select(mirror, actorOf(who), id, chosen)
            : w.fake.click(mirror, actorOf(who), id);
          await answered(rec);
          consistent();
        }),
        { numRuns: 120 * RUNS },
      );
    },
    30_000 * RUNS,
  );

  it(
    'takes in generated customer messages, forum posts and reactions without a crash or a half-written inquiry',
    async () => {
      const author = fc.record({
        username: fc.string({ minLength: 1, maxLength: 32 }),
        globalName: fc.oneof(fc.constant(null), text(100)),
      });
      const action = fc.oneof(
        fc.record({ kind: fc.constant('say' as const), who: author, content: text(4_000), reply: fc.boolean() }),
        fc.record({
          kind: fc.constant('forum' as const),
          who: author,
          title: fc.string({ minLength: 1, maxLength: 100 }),
          content: text(4_000),
        }),
        // Emoji names without '%': discord.js itself rejects on a removed reaction whose name is not
        // valid percent-encoding (Discord never sends one); the last test shows `koe start` survives it.
        fc.record({
          kind: fc.constant('react' as const),
          who: people(),
          emoji: fc.oneof(
            fc.constantFrom('🙋', '✅', '🐛', '👀', '✅\ufe0f'),
            text(32).map((t) => t.replaceAll('%', '％')),
          ),
          removed: fc.boolean(),
        }),
        fc.record({
          kind: fc.constant('unknown' as const),
          t: fc.constantFrom('GUILD_AUDIT_LOG_ENTRY_CREATE', 'TYPING_START', 'KOE_NONSENSE'),
          d: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })),
        }),
      );
      let last: StoredMessage | undefined;
      await fc.assert(
        fc.asyncProperty(action, async (a) => {
          if (a.kind === 'say') {
            const user = { ...w.fake.user(a.who.username || 'x'), global_name: a.who.globalName };
            last = w.fake.say(w.help.id, user, a.content, { replyTo: a.reply ? last?.id : undefined });
          } else if (a.kind === 'forum') {
            const user = { ...w.fake.user(a.who.username || 'x'), global_name: a.who.globalName };
            w.fake.forumPost(w.forum.id, user, a.title, a.content);
          } else if (a.kind === 'react') {
            w.fake.react(mirror, actorOf(a.who).user, a.emoji, actorOf(a.who).roles, a.removed);
          } else {
            w.fake.redispatch(a.t, a.d);
          }
          // A round trip through the same gateway: koe has taken the event in by the time this is answered.
          await answered(w.fake.slash(w.inquiries.id, w.alice, 'koe', 'help'));
          consistent();
        }),
        { numRuns: 150 * RUNS },
      );
    },
    30_000 * RUNS,
  );

  it(
    'delivered everything it queued meanwhile (no payload Discord refused) and still works',
    async () => {
      const res = await k.api('/api/v1/inquiries', {
        method: 'POST',
        json: { source: 'web', subject: 'After the storm', body: 'Still here?' },
      });
      expect(res.status).toBe(201);
      await waitFor(
        () => {
          const s = outboxState(k.koe.db.$client);
          return s.unfinished === 0 || s.dead.length > 0;
        },
        20_000 * RUNS,
        'the outbox to settle',
      );
      expect(outboxState(k.koe.db.$client).dead).toEqual([]);
      const refused = w.fake.requests.filter((r) => r.status === 400);
      expect(refused.map((r) => `${r.method} ${r.path}: ${JSON.stringify(r.body).slice(0, 200)}`)).toEqual([]);
      consistent();
    },
    30_000 * RUNS,
  );

  it('keeps `koe start` running when discord.js rejects inside its own gateway handler (a removed reaction whose emoji name is not valid percent-encoding)', async () => {
    const w2 = await buildWorld();
    const t = tempDir('koe-discord-process-');
    const token = 'discord-process-intake-token-0123';
    writeFileSync(
      join(t.dir, 'koe.config.yaml'),
      `classifier: { enabled: false }\ndestinations:\n  - { name: team, platform: discord, channel: "${w2.inquiries.id}" }\ndiscord: { paceMs: 0 }\n`,
    );
    const koe = await startKoeProcess({
      cwd: t.dir,
      intakeToken: token,
      env: {
        KOE_INTAKE_TOKEN: token,
        DATABASE_URL: join(t.dir, 'koe.db'),
        DISCORD_TOKEN: w2.fake.token,
        DISCORD_APPLICATION_ID: w2.fake.applicationId,
        DISCORD_API_URL: w2.fake.apiUrl,
      },
    });
    try {
      expect((await koe.api('/api/v1/inquiries', { source: 'web', body: 'React to me' })).status).toBe(201);
      const target = await waitFor(() => w2.fake.messagesIn(w2.inquiries.id)[0], 10_000, 'mirror');
      // Its removal: discord.js decodes the name of a removed reaction, and throws on this one.
      w2.fake.react(target, w2.alice.user, '%E0%A4%A', w2.alice.roles, true);
      await waitFor(
        () => koe.output().includes('unhandled rejection; koe keeps running'),
        10_000,
        'the rejection logged',
      );
      // Still serving: the next inquiry is stored and mirrored.
      expect((await koe.api('/api/v1/inquiries', { source: 'web', body: 'Still there?' })).status).toBe(201);
      await waitFor(() => w2.fake.messagesIn(w2.inquiries.id).length === 2, 10_000, 'the second mirror');
    } finally {
      await koe.kill('SIGKILL');
      await w2.fake.close();
      t.cleanup();
    }
  }, 60_000);
});
