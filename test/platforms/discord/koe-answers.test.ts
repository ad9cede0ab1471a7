import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addMessage, claim, createInquiry } from '../../../src/core/inquiries/index.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import type { ShownDue } from '../../../src/core/sla/shown-due.ts';
import { runDiscordCommand } from '../../../src/platforms/discord/commands/koe-command.ts';
import { DISCORD_LIMITS } from '../../../src/platforms/discord/limits.ts';
import type { PlatformDeps } from '../../../src/platforms/types.ts';
import { createReadModel } from '../../../src/storage/read-model.ts';
import { inquiries } from '../../../src/storage/schema/index.ts';
import { coreContext, manualClock, tempDb } from '../../helpers/temp-db.ts';

/**
 * What `/koe open`, `/koe mine` and `/koe show` answer on Discord (one message of at most 2000
 * characters): drawn from a real read model over a temp SQLite file.
 */

const alice = { id: 'discord:111', name: 'alice' };
const bob = { id: 'discord:222', name: 'bob' };

let t: ReturnType<typeof tempDb>;
let clock: ReturnType<typeof manualClock>;
let deps: PlatformDeps;
let due: ShownDue | null;

beforeEach(() => {
  t = tempDb();
  clock = manualClock(Date.parse('2026-11-23T03:00:00Z')); // 12:00 in Tokyo
  due = null;
  deps = {
    ctx: coreContext(t.db, { now: clock.now }),
    read: createReadModel(t.db),
    render: { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS, dueOf: () => due },
  } as unknown as PlatformDeps;
});
afterEach(() => t.cleanup());

const newInquiry = (input: Partial<Parameters<typeof createInquiry>[1]> = {}) => {
  const out = createInquiry(deps.ctx, { source: 'web', body: 'hello', ...input });
  if (!out.ok) throw new Error(out.code);
  return out.inquiry.id;
};
const run = (command: Parameters<typeof runDiscordCommand>[1], actor = alice) =>
  runDiscordCommand(deps, command, actor, null);

describe('/koe open and /koe mine on Discord', () => {
  it('says so when there is nothing to list', () => {
    expect(run({ kind: 'open' })).toBe('No open inquiries: nothing is waiting to be claimed.');
    expect(run({ kind: 'mine' })).toBe('You hold no inquiries.');
  });

  it('lists ten with a bold title, one line each (reason, title, age, due line), and says how many more', () => {
    for (let i = 1; i <= 12; i++) newInquiry({ subject: `question ${i}`, reason: 'billing' });
    clock.advance(5 * 60_000);
    due = { target: 'first_response', dueAt: Date.parse('2026-11-23T05:00:00Z'), state: 'due_soon' };
    const lines = run({ kind: 'open' }).split('\n');
    expect(lines[0]).toBe('**Open inquiries (12, oldest first)**');
    expect(lines.slice(1, 11)).toHaveLength(10);
    expect(lines[1]).toMatch(/^• #1 \[Billing\] question 1 — 5 min · ⏰ First response due .+ · due soon$/);
    expect(lines[10]).toMatch(/^• #10 \[Billing\] question 10 — 5 min/);
    expect(lines[11]).toBe('…and 2 more');
    expect(lines).toHaveLength(12);
  });

  it('lists what one holds, with no "more" line when all are shown and no due line when nothing is due', () => {
    const id = newInquiry({ subject: 'mine' });
    newInquiry({ subject: 'not mine' });
    claim(deps.ctx, { inquiryId: id, actor: alice });
    expect(run({ kind: 'mine' })).toBe(`**Inquiries you hold (1)**\n• #${id} [Unclassified] mine — 0 min`);
  });

  it('titles a line by the subject, else the first line with text, trimmed, cut to 80 and escaped', () => {
    newInquiry({ body: '\n   \n  **first** line  \nsecond' });
    newInquiry({ subject: `  ${'x'.repeat(100)}  ` });
    const [, first, second] = run({ kind: 'open' }).split('\n');
    expect(first).toContain('] \\*\\*first\\*\\* line — ');
    expect(second).toContain(`] ${'x'.repeat(79)}… — `);
  });
});

describe('/koe show on Discord', () => {
  it('draws the head, the body and the latest three messages, customer text escaped', () => {
    const id = newInquiry({
      subject: '*refund*',
      body: 'I want my __money__ back',
      source: 'shop_web',
      url: 'https://example.com/a(b)',
      customer: { name: 'Ann_B', email: 'ann@example.com' },
      reason: 'billing',
    });
    claim(deps.ctx, { inquiryId: id, actor: bob });
    for (let i = 1; i <= 4; i++) {
      addMessage(deps.ctx, {
        inquiryId: id,
        direction: 'inbound',
        body: `m${i}\n  *x*`,
        author: { id: 'web:c', name: 'Ann' },
      });
    }
    due = { target: 'resolution', dueAt: Date.parse('2026-11-24T03:00:00Z'), state: 'breached' };
    const text = run({ kind: 'show', id });
    expect(text.split('\n')).toEqual([
      `**#${id} \\*refund\\***`,
      '[Billing] Claimed · <@222>',
      'Ann\\_B · ann@example.com',
      expect.stringMatching(/^Received: .+ · shop\\_web · <https:\/\/example\.com\/a%28b%29>$/),
      expect.stringMatching(/^🚨 Resolve by .+ · past due$/),
      '',
      'I want my \\_\\_money\\_\\_ back',
      '',
      '— Latest messages (4 in all)',
      '> From the customer · Ann: m2 \\*x\\*',
      '> From the customer · Ann: m3 \\*x\\*',
      '> From the customer · Ann: m4 \\*x\\*',
    ]);
  });

  it('leaves out the holder of an open inquiry, an empty customer line, and the tail when there are no messages', () => {
    const id = newInquiry({ body: 'body' });
    const lines = run({ kind: 'show', id }).split('\n');
    expect(lines[1]).toBe('[Unclassified] Open');
    expect(lines[2]).toMatch(/^Received: .+ · web$/);
    expect(lines.slice(3)).toEqual(['', 'body']);
  });

  it('shows an address that is not a web link as escaped text, not a link', () => {
    const id = newInquiry({ body: 'b' });
    t.db.update(inquiries).set({ url: 'mailto:a_b@example.com' }).where(eq(inquiries.id, id)).run();
    expect(run({ kind: 'show', id }).split('\n')[2]).toMatch(/ · web · mailto:a\\_b@example\.com$/);
  });

  it('names a message by its author id when it has no name, and cuts each message line at 200', () => {
    const id = newInquiry({ body: 'b' });
    addMessage(deps.ctx, { inquiryId: id, direction: 'outbound', body: 'y'.repeat(300), author: { id: 'slack:U1' } });
    const last = run({ kind: 'show', id }).split('\n').at(-1)!;
    expect(last.startsWith('> Reply · slack:U1: yyy')).toBe(true);
    expect(last).toHaveLength(2 + 200);
    expect(last.endsWith('y…')).toBe(true);
  });

  it('cuts a long body to what the 2000 characters leave, and keeps the tail', () => {
    const id = newInquiry({ body: 'z'.repeat(5000) });
    addMessage(deps.ctx, { inquiryId: id, direction: 'note', body: 'kept', author: alice });
    const text = run({ kind: 'show', id });
    expect(text.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(text.length).toBeGreaterThan(DISCORD_LIMITS.content - 20);
    expect(text).toContain('z…\n\n— Latest messages (1 in all)');
    expect(text.endsWith('> Internal note · alice: kept')).toBe(true);
  });
});
