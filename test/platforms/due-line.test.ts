import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInquiry } from '../../src/core/inquiries/index.ts';
import { DEFAULT_REASONS } from '../../src/core/reasons/taxonomy.ts';
import type { ShownDue } from '../../src/core/sla/shown-due.ts';
import { renderInquiryText } from '../../src/platforms/console/render.ts';
import { renderInquiryMessage } from '../../src/platforms/discord/render.ts';
import { type CommandVoice, runKoeCommand } from '../../src/platforms/run-command.ts';
import { renderInquiry } from '../../src/platforms/slack/render.ts';
import type { RenderSettings } from '../../src/platforms/types.ts';
import { createReadModel } from '../../src/storage/read-model.ts';
import { inquiryView } from '../helpers/inquiry-fixtures.ts';
import { testSlaPolicy, tokyo } from '../helpers/sla.ts';
import { coreContext, manualClock, tempDb } from '../helpers/temp-db.ts';

/**
 * The due line on every surface's mirror (Slack, Discord, the console): the same words, the state's
 * mark, in the team's zone; none when nothing is due. And `/koe open` ranks by due time.
 */

const DUE_AT = tokyo('2026-12-07 12:00'); // a Monday
const settingsWith = (locale: 'ja' | 'en', due: ShownDue | null): RenderSettings => ({
  locale,
  timezone: 'Asia/Tokyo',
  reasons: DEFAULT_REASONS,
  dueOf: () => due,
});

/** Every string a rendered payload holds, joined, so a test can look for a line wherever it sits. */
const textIn = (payload: unknown) => JSON.stringify(payload);

const surfaces = {
  slack: (s: RenderSettings) => textIn(renderInquiry(inquiryView(), s)),
  discord: (s: RenderSettings) => textIn(renderInquiryMessage(inquiryView(), s)),
  console: (s: RenderSettings) => renderInquiryText(inquiryView(), s, 'new'),
};

describe('the due line on a mirror', () => {
  for (const [surface, draw] of Object.entries(surfaces)) {
    it(`${surface}: shows the target, the time in Tokyo and the state, in ja and en`, () => {
      const ja = draw(settingsWith('ja', { target: 'first_response', dueAt: DUE_AT, state: 'due_soon' }));
      expect(ja).toContain('⏰ 初回返信期限');
      expect(ja).toMatch(/12\/7.{0,4}12:00/);
      expect(ja).toContain('期限間近');
      const en = draw(settingsWith('en', { target: 'resolution', dueAt: DUE_AT, state: 'breached' }));
      expect(en).toContain('🚨 Resolve by');
      expect(en).toContain('past due');
      const onTrack = draw(settingsWith('en', { target: 'first_response', dueAt: DUE_AT, state: 'on_track' }));
      expect(onTrack).toContain('🕒 First response due');
      expect(onTrack).toContain('on track');
    });

    it(`${surface}: shows none when nothing is due`, () => {
      const text = draw(settingsWith('ja', null));
      expect(text).not.toContain('期限');
      expect(text).not.toMatch(/[🕒⏰🚨]/u);
    });
  }
});

describe('/koe open', () => {
  let t: ReturnType<typeof tempDb>;
  beforeEach(() => {
    t = tempDb();
  });
  afterEach(() => t.cleanup());

  it('lists the soonest due first, whatever order they came in', () => {
    const clock = manualClock(tokyo('2026-12-07 10:00'));
    // A bug is promised a first response in 30 minutes, everything else in 2 hours.
    const sla = testSlaPolicy({ byReason: { bug: { firstResponse: { unit: 'm', amount: 30 } } } });
    const ctx = coreContext(t.db, { now: clock.now, sla });
    const read = createReadModel(t.db);
    const at = (time: string) => new Date(tokyo(`2026-12-07 ${time}`)).toISOString();
    const make = (body: string, receivedAt: string, reason?: string) => {
      const out = createInquiry(ctx, { source: 'web', body, receivedAt, ...(reason && { reason }) });
      if (!out.ok) throw new Error(out.code);
      return out.inquiry.id;
    };
    const older = make('older, 2 h target', at('09:00')); // due 11:00
    const bug = make('newer bug, 30 min target', at('09:50'), 'bug'); // due 10:20
    const newest = make('newest, 2 h target', at('09:55')); // due 11:55
    const voice: CommandVoice = { rc: { locale: 'en', command: '/koe' }, mention: (a) => a.id, threadHint: '' };
    const render = { locale: 'en' as const, timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };
    const answer = runKoeCommand({ ctx, read, render }, voice, { kind: 'open' }, { id: 'slack:U1' });
    expect(answer.kind).toBe('list');
    if (answer.kind !== 'list') return;
    expect(answer.items.map((i) => i.id)).toEqual([bug, older, newest]);
    expect(answer.total).toBe(3);
  });
});
