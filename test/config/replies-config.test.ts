import { configFiles } from '../helpers/config-files.ts';
import { describe, expect, it } from 'vitest';

/** `replies:` in koe.config.yaml and KOE_WEBHOOK_SECRET: each mistake is one sentence naming its setting. */

const { load, problems } = configFiles();

const SECRET = { KOE_WEBHOOK_SECRET: 'whsec-config-0123456789abcdef' };

const hooks = (...entries: Array<[string, string]>) =>
  `replies:\n  webhooks:\n${entries.map(([source, url]) => `    - source: "${source}"\n      url: "${url}"\n`).join('')}`;

describe('replies config', () => {
  it('reads undoSeconds and webhooks, with the secret kept out of sight', () => {
    const yaml = 'replies:\n  undoSeconds: 0\n  webhooks:\n    - { source: web, url: "https://example.com/koe" }\n';
    const config = load(yaml, SECRET);
    expect(config.replies.undoMs).toBe(0);
    expect(config.replies.webhooks).toEqual([{ source: 'web', url: 'https://example.com/koe' }]);
    expect(config.replies.webhookSecret?.reveal()).toBe(SECRET.KOE_WEBHOOK_SECRET);
    expect(JSON.stringify(config)).not.toContain(SECRET.KOE_WEBHOOK_SECRET);
  });

  it('defaults to a 10 s undo window and no webhooks, needing no secret', () => {
    const config = load('locale: en\n');
    expect(config.replies).toMatchObject({ undoMs: 10_000, webhooks: [] });
  });

  it.each([
    [
      'webhooks without KOE_WEBHOOK_SECRET',
      hooks(['web', 'https://example.com/koe']),
      {},
      /^KOE_WEBHOOK_SECRET: required because replies\.webhooks is set/,
    ],
    [
      'a non-http(s) URL',
      hooks(['web', 'ftp://example.com/koe']),
      SECRET,
      /^replies\.webhooks\[0\]\.url: expected an http\(s\) URL/,
    ],
    [
      'a javascript: URL',
      hooks(['web', 'javascript:alert(1)']),
      SECRET,
      /^replies\.webhooks\[0\]\.url: expected an http\(s\) URL/,
    ],
    [
      'a URL that is none',
      hooks(['web', 'example.com/koe']),
      SECRET,
      /^replies\.webhooks\[0\]\.url: expected an http\(s\) URL/,
    ],
    [
      'a Slack source listed',
      hooks(['slack:C0CUSTOMERS', 'https://example.com/koe']),
      SECRET,
      /^replies\.webhooks\[0\]\.source: "slack:C0CUSTOMERS" is a chat source; koe answers those in their own channel/,
    ],
    [
      'a Discord source listed',
      hooks(['discord:1122', 'https://example.com/koe']),
      SECRET,
      /^replies\.webhooks\[0\]\.source: "discord:1122" is a chat source/,
    ],
    [
      'a duplicate source',
      hooks(['web', 'https://a.example.com/'], ['web', 'https://b.example.com/']),
      SECRET,
      /^replies\.webhooks\[1\]\.source: "web" is listed twice; keep one URL per source$/,
    ],
    ['an undo window over 600 s', 'replies:\n  undoSeconds: 601\n', {}, /^replies\.undoSeconds: /],
    ['an unknown key', 'replies:\n  undoSecs: 5\n', {}, /^replies: .*undoSecs/],
  ])('refuses %s with one sentence naming the setting', (_what, yaml, env, sentence) => {
    const found = problems(yaml, env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(sentence);
    expect(found[0]).not.toContain('\n');
  });
});
