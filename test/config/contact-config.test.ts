import { configFiles } from '../helpers/config-files.ts';
import { describe, expect, it } from 'vitest';

/** `contact:` in koe.config.yaml: off by default, and each mistake is one sentence naming its setting. */

const { load, problems } = configFiles();

describe('contact config', () => {
  it('is off by default: an unauthenticated public form is served only when someone turns it on', () => {
    expect(load('locale: ja\n').contact).toEqual({
      enabled: false,
      frameAncestors: [],
      maxPerAddress: 5,
      windowMs: 600_000,
    });
  });

  it('reads enabled, frameAncestors, maxPerAddress and windowMinutes', () => {
    const yaml =
      'contact:\n  enabled: true\n  frameAncestors: ["https://www.example.com", "https://*.example.jp:8443", "\'self\'"]\n  maxPerAddress: 3\n  windowMinutes: 30\n';
    expect(load(yaml).contact).toEqual({
      enabled: true,
      frameAncestors: ['https://www.example.com', 'https://*.example.jp:8443', "'self'"],
      maxPerAddress: 3,
      windowMs: 1_800_000,
    });
  });

  it.each(['off', 'OFF', ' off '])('takes maxPerAddress: %j as off (behind a reverse proxy)', (value) => {
    expect(load(`contact:\n  maxPerAddress: "${value}"\n`).contact.maxPerAddress).toBe('off');
  });

  it.each([
    ['maxPerAddress: 0', 'contact.maxPerAddress: expected a whole number of form submissions one address may make'],
    ['maxPerAddress: 2.5', 'contact.maxPerAddress: expected a whole number'],
    ['maxPerAddress: lots', 'or off behind a reverse proxy'],
    ['windowMinutes: 0', 'contact.windowMinutes: expected the minutes over which contact.maxPerAddress counts'],
    ['windowMinutes: 5000', 'contact.windowMinutes: expected the minutes'],
    ['frameAncestors: ["https://www.example.com/contact"]', 'contact.frameAncestors[0]: expected the origin of a site'],
    ['frameAncestors: ["https://x.example; script-src *"]', 'contact.frameAncestors[0]: expected the origin'],
    ['frameAncestors: ["*"]', 'contact.frameAncestors[0]: expected the origin'],
    ['enable: true', 'contact: unknown key "enable"'],
  ])('refuses %s with a sentence naming the setting', (line, sentence) => {
    const found = problems(`contact:\n  ${line}\n`);
    expect(found.join('\n')).toContain(sentence);
  });

  it('notes that a per-address limit holds for everyone behind a proxy (KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS off)', () => {
    const proxied = { KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS: 'off' };
    const config = load('contact:\n  enabled: true\n', proxied);
    expect(config.notices.join('\n')).toContain(
      'contact.maxPerAddress: KOE_HTTP_MAX_CONNECTIONS_PER_ADDRESS is off (behind a reverse proxy?)',
    );
    expect(load('contact:\n  enabled: true\n  maxPerAddress: off\n', proxied).notices.join('\n')).not.toContain(
      'contact.',
    );
    expect(load('contact:\n  enabled: false\n', proxied).notices.join('\n')).not.toContain('contact.');
  });
});
