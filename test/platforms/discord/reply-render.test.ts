import { DiscordAPIError, RateLimitError } from 'discord.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplyState } from '../../../src/core/inquiries/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { replyForm } from '../../../src/platforms/discord/commands/reply-forms.ts';
import { commandDefinitions } from '../../../src/platforms/discord/commands/definitions.ts';
import { PermanentDeliveryError, RateLimitedError } from '../../../src/platforms/delivery-errors.ts';
import { DISCORD_LIMITS, embedViolations } from '../../../src/platforms/discord/limits.ts';
import { escapeMarkdown, unescapeMarkdown } from '../../../src/platforms/discord/markdown.ts';
import { parseCustomId, renderInquiryMessage, renderThreadMessage } from '../../../src/platforms/discord/render.ts';
import { customerReplyFits, renderCustomerReply } from '../../../src/platforms/discord/render-reply.ts';
import { toReplyError } from '../../../src/platforms/discord/reply-sender.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { commandProblems, messageBodyProblems, modalProblems } from '../../fakes/discord/validate.ts';
import { maskedLinks } from '../../helpers/discord-markdown.ts';
import { inquiryView, message } from '../../helpers/inquiry-fixtures.ts';

/** Every new Discord payload of replies, against Discord's limits (limits.ts and the fake's validators). */

const settings = (locale: 'ja' | 'en'): RenderSettings => ({
  locale,
  timezone: 'Asia/Tokyo',
  reasons: DEFAULT_REASONS,
});
const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
const locale = fc.constantFrom<'ja' | 'en'>('ja', 'en');
const bigId = fc.integer({ min: 1, max: 10 ** 15 - 1 });

describe('the reply form', () => {
  it('stays within the modal limits whatever the names, channel and prefilled text', () => {
    fc.assert(
      fc.property(
        bigId,
        locale,
        text(600),
        text(120),
        fc.option(text(4500), { nil: undefined }),
        fc.constantFrom('discord', 'slack', 'webhook', 'email'),
        (inquiryId, loc, customer, channel, value, platform) => {
          const form = replyForm({
            inquiryId,
            locale: loc,
            target: { platform, channel: '1234567890' },
            customer,
            channelName: () => `#${channel}`,
            value,
          });
          expect(modalProblems(form as any)).toEqual([]);
          expect(form.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.modalTitle);
          expect(parseCustomId(form.custom_id)).toEqual({ action: 'reply_form', inquiryId });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('says who gets the reply and where, in the title and (whole) in the empty field', () => {
    const form = replyForm({
      inquiryId: 5,
      locale: 'ja',
      target: { platform: 'discord', channel: '1' },
      customer: '山田',
      channelName: () => '#サポート',
    });
    expect(form.title).toBe('送信先：山田 さん（#サポート での返信）');
    const input = (form.components[0] as any).components[0];
    expect(input).toMatchObject({
      style: 2,
      required: true,
      max_length: 2000,
      label: '返信内容（お客様にはこのまま届きます）',
    });
    expect(input.placeholder).toBe('送信先：山田 さん（#サポート での返信）');
    expect(input.value).toBeUndefined();
  });
});

describe('a reply’s line in a mirror’s thread', () => {
  const states: ReplyState[] = ['queued', 'sent', 'failed', 'undone'];

  it('carries its state, escaped, and Undo while queued or Retry when failed, within every limit', () => {
    fc.assert(
      fc.property(
        bigId,
        bigId,
        fc.constantFrom(...states),
        text(2000),
        text(600),
        text(500),
        locale,
        (inquiryId, messageId, state, body, name, error, loc) => {
          const reply = message({
            id: messageId,
            direction: 'outbound',
            body,
            authorName: name,
            replyState: state,
            replyError: error,
            sentAt: 0,
          });
          const line = renderThreadMessage(inquiryView({ id: inquiryId }), reply, settings(loc), {
            deliveryId: 2 ** 50,
          });
          expect(embedViolations(line.embeds)).toEqual([]);
          expect(messageBodyProblems(line, { create: true })).toEqual([]);
          const buttons = (line.components ?? []).flatMap((r) => r.components) as any[];
          const expected = state === 'queued' ? 'reply_undo' : state === 'failed' ? 'reply_retry' : null;
          expect(buttons.map((b) => parseCustomId(b.custom_id))).toEqual(
            expected ? [{ action: expected, inquiryId, messageId }] : [],
          );
          for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
          // No masked link from anything a person typed (the body, their name, a platform's error).
          expect(maskedLinks(line.embeds[0]!.description!)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shows the state line first, then the reply, and the failure in red', () => {
    const reply = message({
      direction: 'outbound',
      body: 'OK *now*',
      authorName: 'Alice',
      replyState: 'failed',
      replyError: 'no [access](x)',
    });
    const line = renderThreadMessage(inquiryView(), reply, settings('en'));
    expect(line.embeds[0]!.description).toBe(
      '⚠️ Reply by Alice could not be sent: no \\[access\\]\\(x\\)\n\nOK \\*now\\*',
    );
    expect(line.embeds[0]!.color).toBe(0xe74c3c);
    // A message that is not a reply koe sends has no controls.
    expect(
      renderThreadMessage(inquiryView(), message({ direction: 'note' }), settings('en')).components,
    ).toBeUndefined();
  });
});

describe('the mirror’s Reply to customer button', () => {
  it('is there only when the inquiry has a way back, and keeps the mirror within the limits', () => {
    const view = inquiryView({ id: 10 ** 15 - 1 });
    const ids = (canReply: boolean) =>
      (renderInquiryMessage(view, settings('ja'), { canReply }).components ?? [])
        .flatMap((r) => r.components)
        .map((c: any) => c.custom_id);
    expect(ids(true)).toContain(`koe:reply:${10 ** 15 - 1}`);
    expect(ids(false)).not.toContain(`koe:reply:${10 ** 15 - 1}`);
    for (const status of ['open', 'claimed', 'resolved'] as const) {
      const body = renderInquiryMessage(inquiryView({ status }), settings('en'), { canReply: true, deliveryId: 1 });
      expect(messageBodyProblems(body, { create: true })).toEqual([]);
    }
  });
});

describe('what the customer receives', () => {
  it('is the name line and the text, escaped so it shows as typed, within 2000 when it fits', () => {
    fc.assert(
      fc.property(text(2000), fc.option(text(100), { nil: null }), (body, authorName) => {
        const content = renderCustomerReply({ body, authorName });
        expect(maskedLinks(content)).toEqual([]);
        const { fits, length } = customerReplyFits({ body, authorName });
        expect(length).toBe(content.length);
        expect(fits).toBe(content.length <= DISCORD_LIMITS.content);
      }),
    );
    expect(renderCustomerReply({ body: '@everyone see [here](https://x.example)', authorName: 'A_b' })).toBe(
      '**A\\_b**\n@everyone see \\[here\\]\\(https://x.example\\)',
    );
  });

  it('unescapes koe’s note text back to what was written (addresses aside)', () => {
    fc.assert(
      fc.property(
        text(500).filter((s) => !/https?:/i.test(s)),
        (s) => {
          expect(unescapeMarkdown(escapeMarkdown(s))).toBe(s);
        },
      ),
    );
  });
});

describe('reply errors', () => {
  const apiError = (status: number, code: number) =>
    new DiscordAPIError({ code, message: 'x' }, code, status, 'POST', '/channels/1/messages', {});

  it.each([
    [403, 50001, 'koe may not write in the customer’s channel (missing access or permission)'],
    [403, 50013, 'koe may not write in the customer’s channel (missing access or permission)'],
    [404, 10003, 'the customer’s channel or thread no longer exists'],
    [400, 160005, 'the customer’s thread is locked'],
    [400, 50035, 'Discord refused the message (400 50035)'],
  ])('makes %i %i a permanent failure with a clear reason', (status, code, reason) => {
    const mapped = toReplyError(apiError(status, code), { locale: 'en' });
    expect(mapped).toBeInstanceOf(PermanentDeliveryError);
    expect((mapped as Error).message).toBe(`${reason} (discord ${status} ${code})`);
  });

  it('retries 5xx and 401, and waits out a 429', () => {
    for (const status of [500, 502, 503, 401]) {
      const error = apiError(status, 0);
      expect(toReplyError(error, { locale: 'en' })).toBe(error);
    }
    const limited = new RateLimitError({
      timeToReset: 1500,
      limit: 5,
      method: 'post',
      hash: 'h',
      url: 'u',
      route: '/channels/1/messages',
      majorParameter: '1',
      global: false,
      retryAfter: 1500,
      sublimitTimeout: 0,
      scope: 'user',
    });
    expect(toReplyError(limited, { locale: 'en' })).toBeInstanceOf(RateLimitedError);
  });
});

describe('the commands', () => {
  it('registers `/koe reply` and "Send to customer" within Discord’s rules', () => {
    const defs = commandDefinitions() as any[];
    expect(defs.flatMap(commandProblems)).toEqual([]);
    const send = defs.find((d) => d.name === 'Send to customer');
    expect(send.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandName);
    expect(send.name_localizations.ja.length).toBeLessThanOrEqual(DISCORD_LIMITS.commandName);
  });
});
