import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderDigestText } from '../../../src/platforms/console/render-digest.ts';
import { createConsoleSender } from '../../../src/platforms/console/sender.ts';
import { oneLine, terminalSafe, textLines } from '../../../src/platforms/console/terminal-text.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { customer, inquiryView, message } from '../../helpers/inquiry-fixtures.ts';
import { bigDigest } from '../../helpers/sample-digest.ts';

/**
 * Bidirectional controls in customer text would make the operator's terminal show it in another
 * order than written (an RLO turns `invoice‮fdp.exe` into `invoiceexe.pdf`); koe prints none of them.
 */

const settings: RenderSettings = { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };

// LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, ALM.
const BIDI_CONTROLS = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];
const ANY_BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const HOSTILE = `invoice\u202Efdp.exe ${BIDI_CONTROLS.join('x')} שלום\u2067abc\u2069`;

async function printed(): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += String(d)));
  const sender = createConsoleSender(settings, out, renderDigestText);
  const view = inquiryView(
    {
      subject: HOSTILE,
      body: `${HOSTILE}\n${HOSTILE}`,
      source: HOSTILE,
      url: `https://x.example/${HOSTILE}`,
      status: 'claimed',
      assigneeId: 'api:x',
      assigneeName: HOSTILE,
    },
    { customer: customer({ name: HOSTILE, email: HOSTILE }) },
  );
  const mirror = { platform: 'console', channel: 'stdout', messageRef: 'm', threadRef: 'm' } as never;
  await sender.postInquiry({ deliveryId: 1, channel: 'stdout', view } as never);
  await sender.postToThread({
    deliveryId: 2,
    channel: 'stdout',
    mirror,
    view,
    message: message({ body: HOSTILE, authorName: HOSTILE }),
  } as never);
  const digest = bigDigest('week', 'en', [...DEFAULT_REASONS]);
  digest.voices[0]!.title = HOSTILE;
  digest.participation.top[0]!.name = HOSTILE;
  await sender.postDigest({ deliveryId: 3, channel: 'stdout', digest } as never);
  return text;
}

describe('bidi controls on the console', () => {
  it.each(BIDI_CONTROLS.map((c) => [`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, c]))(
    'neutralises %s as a visible U+FFFD, in one line and in many',
    (_name, c) => {
      expect(oneLine(`a${c}b`)).toBe('a\uFFFDb');
      expect(textLines(`a${c}b\n${c}`)).toEqual(['a\uFFFDb', '\uFFFD']);
      expect(terminalSafe(`a${c}b`)).toBe('a\uFFFDb');
    },
  );

  it('prints none in a mirror, a thread message or a digest, and keeps the right-to-left letters', async () => {
    const text = await printed();
    expect(text).not.toMatch(ANY_BIDI);
    expect(text).toContain('invoice\uFFFDfdp.exe');
    expect(text).toContain('שלום');
  });
});
