import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { embedLength, embedViolations, DISCORD_LIMITS } from '../../../src/platforms/discord/limits.ts';
import {
  DISCORD_DIGEST_BUDGET,
  DISCORD_REASON_LINES,
  renderDigestEmbeds,
} from '../../../src/platforms/discord/render-digest.ts';
import { withDeliveryMarker } from '../../../src/platforms/discord/render.ts';
import { maskedLinks } from '../../helpers/discord-markdown.ts';
import { bigDigest, emptyDigest, HUNDRED_REASONS } from '../../helpers/sample-digest.ts';

describe.each(['ja', 'en'] as const)('the Discord digest in %s', (locale) => {
  const settings = { locale, timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS };

  it.each(['day', 'week'] as const)('stays within embed limits with 100 long reasons, marker included (%s)', (kind) => {
    const rendered = renderDigestEmbeds(bigDigest(kind, locale), settings);
    expect(embedViolations(rendered.embeds)).toEqual([]);
    const total = rendered.embeds.reduce((n, e) => n + embedLength(e), 0);
    expect(total).toBeLessThanOrEqual(DISCORD_DIGEST_BUDGET);
    expect(rendered.content?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    // What the sender actually posts: the delivery marker appended to the footer.
    expect(embedViolations(withDeliveryMarker(rendered, 123_456_789).embeds)).toEqual([]);
  });

  it('keeps the tally code block closed however much is cut', () => {
    const { embeds } = renderDigestEmbeds(bigDigest('week', locale), settings);
    expect(((embeds[0]!.description ?? '').match(/```/g) ?? []).length % 2).toBe(0);
  });

  it('shows at most the top reasons as bars and sums the rest', () => {
    const digest = bigDigest('day', locale);
    const description = renderDigestEmbeds(digest, settings).embeds[0]!.description ?? '';
    const bars = description.split('\n').filter((l) => /^[█▉▊▋▌▍▎▏]/.test(l));
    expect(bars.length).toBeGreaterThan(0);
    expect(bars.length).toBeLessThanOrEqual(DISCORD_REASON_LINES + 1);
    expect(bars[0]).toContain(String(digest.reasons[0]!.count));
  });

  it('renders an empty day', () => {
    const { embeds } = renderDigestEmbeds(emptyDigest('day', locale, DEFAULT_REASONS), {
      ...settings,
      reasons: DEFAULT_REASONS,
    });
    expect(embedViolations(embeds)).toEqual([]);
    expect(embeds[0]!.description).toContain(
      locale === 'ja' ? 'この期間のお問い合わせはありません' : 'No inquiries in this period',
    );
  });
});

describe('Discord digest details', () => {
  it('links voices with markdown links whose URL cannot break out', () => {
    const { embeds } = renderDigestEmbeds(bigDigest('day', 'en'), {
      locale: 'en',
      timezone: 'Asia/Tokyo',
      reasons: HUNDRED_REASONS,
    });
    const voices = embeds[0]!.fields!.find((f) => f.name.startsWith('Voices'))!;
    expect(voices.value).toContain('[#500](https://help.example.com/tickets/500?q=%28a%20b%29%7Cc%3E)');
  });

  it('links a voice to its address even when the address tries to close the link', () => {
    const digest = bigDigest('day', 'en');
    for (const v of digest.voices) v.url = 'https://ok.example/\\)[x](https://evil.example)';
    const { embeds } = renderDigestEmbeds(digest, { locale: 'en', timezone: 'Asia/Tokyo', reasons: HUNDRED_REASONS });
    const voices = embeds[0]!.fields!.find((f) => f.name.startsWith('Voices'))!;
    const links = maskedLinks(voices.value);
    expect(links.map((l) => l.label)).toEqual(['#500', '#501', '#502', '#503', '#504']);
    for (const l of links) expect(new URL(l.target).host).toBe('ok.example');
  });
});
