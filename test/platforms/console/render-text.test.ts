import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderInquiryText, renderMessageText } from '../../../src/platforms/console/render.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';

/** The console mirror and thread lines, whole: which fields appear in which state, and where the body is cut. */

const settings: RenderSettings = {
  locale: 'en',
  timezone: 'Asia/Tokyo',
  reasons: DEFAULT_REASONS,
  dueOf: () => ({ target: 'first_response', dueAt: Date.parse('2026-11-23T03:00:00Z'), state: 'due_soon' }),
};

describe('the console mirror', () => {
  it('draws a claimed inquiry with its holder, due line, customer, subject, quoted body and where it came from', () => {
    const view = inquiryView({
      subject: 'Sub\nject',
      url: 'https://x.example/1',
      assigneeId: 'slack:U1',
      assigneeName: 'Ai\tko',
      status: 'claimed',
      body: 'line 1\nline 2',
    });
    expect(renderInquiryText(view, settings, 'new').split('\n')).toEqual([
      '── koe #12 new inquiry ──',
      '[Account & login] Claimed · Ai ko',
      '⏰ First response due Mon, Nov 23, 12:00 · due soon',
      'Customer: 山田 花子 hanako@example.com',
      'Subject: Sub ject',
      '  │ line 1',
      '  │ line 2',
      'Received: 2026-11-23 09:05 · web · https://x.example/1',
    ]);
  });

  it('leaves out what an inquiry lacks, and cuts the body at 1,000 characters', () => {
    const view = inquiryView(
      { body: 'x'.repeat(1001), reasonId: null, subject: null, url: null, assigneeId: 'api:sato' },
      { customer: null },
    );
    expect(renderInquiryText(view, { ...settings, dueOf: undefined }, 'updated').split('\n')).toEqual([
      '── koe #12 updated ──',
      '[Unclassified] Open · api:sato',
      `  │ ${'x'.repeat(1000)}…`,
      'Received: 2026-11-23 09:05 · web',
    ]);
    const whole = renderInquiryText(inquiryView({ body: 'y'.repeat(1000) }), settings, 'new');
    expect(whole).toContain(`  │ ${'y'.repeat(1000)}\n`);
  });
});

describe('console thread lines', () => {
  it('heads a message with its kind and author, quotes the rest, and says where a reply stands', () => {
    const reply = message({
      body: 'first\nsecond\nthird',
      authorName: 'Bo\nb',
      direction: 'outbound',
      replyState: 'queued',
    });
    expect(renderMessageText(inquiryView(), reply, settings).split('\n')).toEqual([
      '  ↳ #12 Reply (Bo b): first',
      '    │ second',
      '    │ third',
      '    ↩︎ Reply to the customer by Bo b: leaves at 09:05:00 unless undone',
    ]);
  });

  it('names the author by id when there is no name, and by kind alone when there is neither', () => {
    const byId = message({ authorName: null, authorId: 'slack:U9', body: 'hi' });
    expect(renderMessageText(inquiryView(), byId, settings)).toBe('  ↳ #12 From the customer (slack:U9): hi');
    const nobody = message({ body: '', authorName: null, authorId: null, direction: 'note' });
    expect(renderMessageText(inquiryView(), nobody, settings)).toBe('  ↳ #12 Internal note: ');
  });
});
