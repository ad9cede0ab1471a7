import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/core/digests/types.ts';
import { DEFAULT_REASONS } from '../../../src/core/reasons/taxonomy.ts';
import { renderInquiryText, renderMessageText } from '../../../src/platforms/console/render.ts';
import { renderDigestText } from '../../../src/platforms/console/render-digest.ts';
import { createConsoleSender } from '../../../src/platforms/console/sender.ts';
import type { RenderSettings } from '../../../src/platforms/types.ts';
import { customer, inquiryView, message } from '../../helpers/inquiry-fixtures.ts';
import { bigDigest } from '../../helpers/sample-digest.ts';

/**
 * The console destination prints on the stdout koe logs to. Customer text must neither drive the
 * operator's terminal (ESC/BEL/CSI/OSC sequences) nor forge a JSON log line.
 */

const settings: RenderSettings = { locale: 'en', timezone: 'Asia/Tokyo', reasons: DEFAULT_REASONS };

const FORGED = '{"level":50,"time":1,"app":"koe","msg":"forged"}';
const RETITLE = '\u001b]0;pwned\u0007\u001b[2J\u001b[H';
const OSC8 = '\u001b]8;;https://evil.example/phish\u0007https://bank.example/login\u001b]8;;\u0007';
const HOSTILE = [
  `a\n${FORGED}`,
  `b\r${FORGED}`,
  `c\r\n${FORGED}`,
  `d\u2028${FORGED}`,
  `e\u0085${FORGED}\u000b${FORGED}\f${FORGED}`,
  `${RETITLE}${OSC8}`,
  '\u009b2J\u009d0;c1 title\u009c\u007f\u0008\u0000tab\there',
  FORGED,
  `  ${FORGED}`,
].join('\n');

// Every control character but \n: ESC, BEL, CR, BS, NUL, TAB, DEL, and C1 (CSI, OSC, NEL, ST).
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function problems(printed: string): string[] {
  const found: string[] = [];
  const control = CONTROL.exec(printed);
  if (control) found.push(`control U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const line of printed.split('\n')) {
    if (line.startsWith('{"level"')) found.push(`log line: ${line}`);
    if (/^\s*\{/.test(line)) found.push(`a line JSON.parse could read: ${line}`);
  }
  return found;
}

function hostileView() {
  return inquiryView(
    {
      subject: HOSTILE,
      body: HOSTILE,
      source: HOSTILE,
      url: `https://x.example/${HOSTILE}`,
      status: 'claimed',
      assigneeId: 'api:x',
      assigneeName: HOSTILE,
      reasonId: null,
    },
    { customer: customer({ name: HOSTILE, email: HOSTILE }) },
  );
}

/** A weekly digest whose voices, names and stored labels carry `text` (and `line` alone). */
function hostileDigest(text = HOSTILE, line = FORGED): Digest {
  const digest: Digest = bigDigest('week', 'en', [...DEFAULT_REASONS]);
  digest.voices[0]!.title = text;
  digest.voices[0]!.label = text;
  digest.voices[0]!.reasonId = 'no-longer-configured';
  digest.voices[0]!.url = `https://x.example/${text}`;
  digest.voices[0]!.mirrors = [{ platform: 'slack', channel: text, messageRef: text }];
  digest.participation.top[0]!.name = text;
  digest.participation.top[1]!.name = line;
  digest.reasons[0]!.id = 'no-longer-configured';
  digest.reasons[0]!.label = text;
  digest.reasons[1]!.id = 'no-longer-configured-either';
  digest.reasons[1]!.label = `  ${line}`;
  return digest;
}

async function printAll(): Promise<string> {
  const out = new PassThrough();
  let printed = '';
  out.on('data', (d) => (printed += String(d)));
  const sender = createConsoleSender(settings, out, renderDigestText);
  const view = hostileView();
  const mirror = { platform: 'console', channel: 'stdout', messageRef: 'm', threadRef: 'm' } as never;
  await sender.postInquiry({ deliveryId: 1, channel: 'stdout', view } as never);
  await sender.updateInquiry({ deliveryId: 2, channel: 'stdout', mirror, view } as never);
  await sender.postToThread({
    deliveryId: 3,
    channel: 'stdout',
    mirror,
    view,
    message: message({ body: HOSTILE, authorName: HOSTILE }),
  } as never);
  await sender.postDigest({ deliveryId: 4, channel: 'stdout', digest: hostileDigest() } as never);
  return printed;
}

describe('the console destination, given hostile customer text', () => {
  it('prints no control character but line feeds, and no line a JSON-lines reader could take for a log record', async () => {
    const printed = await printAll();
    expect(problems(printed)).toEqual([]);
    // The text is still there to read, controls shown as symbols (␛ ␇) rather than obeyed.
    expect(printed).toContain('"msg":"forged"');
    expect(printed).toContain('␛]0;pwned␇');
  });

  it('renders safe text already, before the sender’s last check (mirror, thread message, digest)', () => {
    const view = hostileView();
    expect(problems(renderInquiryText(view, settings, 'new'))).toEqual([]);
    expect(problems(renderMessageText(view, message({ body: HOSTILE, authorName: HOSTILE }), settings))).toEqual([]);
    expect(problems(renderDigestText(hostileDigest(), settings))).toEqual([]);
  });

  it('gives every line of a mirror its own prefix, and customer text no line of its own in a digest', () => {
    const mirror = renderInquiryText(hostileView(), settings, 'updated').split('\n');
    const prefixes = ['── koe #12 ', '[', 'Customer: ', 'Subject: ', '  │ ', 'Received: '];
    expect(mirror.filter((line) => !prefixes.some((p) => line.startsWith(p)))).toEqual([]);
    expect(mirror.filter((line) => line.startsWith('  │ '))).toHaveLength(
      HOSTILE.split(/\r\n|[\n\r\v\f\u0085\u2028]/).length,
    );
    const hostile = renderDigestText(hostileDigest(), settings).split('\n');
    const plain = renderDigestText(hostileDigest('plain', 'plain'), settings).split('\n');
    expect(hostile).toHaveLength(plain.length);
  });

  it('keeps the body’s lines, each quoted below the heading', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += String(d)));
    await createConsoleSender(settings, out).postInquiry({
      deliveryId: 1,
      channel: 'stdout',
      view: inquiryView({ body: 'first\n\nthird' }),
    } as never);
    const lines = printed.split('\n');
    const at = lines.findIndex((l) => l.endsWith('first'));
    expect(lines.slice(at, at + 3)).toEqual(['  │ first', '  │ ', '  │ third']);
  });

  it('holds whatever digest renderer it was given to the same rules', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += String(d)));
    await createConsoleSender(settings, out, () => HOSTILE).postDigest({
      deliveryId: 1,
      channel: 'stdout',
      digest: {},
    } as never);
    expect(problems(printed)).toEqual([]);
  });

  it('prints a digest as text by default, not as JSON', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d) => (printed += String(d)));
    await createConsoleSender(settings, out).postDigest({
      deliveryId: 1,
      channel: 'stdout',
      digest: bigDigest('day', 'en', [...DEFAULT_REASONS]),
    } as never);
    expect(problems(printed)).toEqual([]);
    expect(printed).toContain('══ koe');
  });
});
