import { configFiles } from '../helpers/config-files.ts';
import { describe, expect, it } from 'vitest';
import { replyTargetsOf } from '../../src/config/reply-targets.ts';
import type { Inquiry } from '../../src/core/inquiries/types.ts';

/** `connectors:` in koe.config.yaml and the tools' secrets: each mistake is one sentence naming its setting. */

const { load, problems } = configFiles();

const ALL = `connectors:\n  channelTalk: { botName: サポート }\n  intercom: { adminId: 814860 }\n  zendesk: {}\n`;
const ENV = {
  CHANNEL_TALK_ACCESS_KEY: 'ct-key-secret-value',
  CHANNEL_TALK_ACCESS_SECRET: 'ct-secret-secret-value',
  CHANNEL_TALK_WEBHOOK_TOKEN: 'ct-token-secret-value',
  INTERCOM_ACCESS_TOKEN: 'ic-token-secret-value',
  INTERCOM_CLIENT_SECRET: 'ic-client-secret-value',
  ZENDESK_SUBDOMAIN: 'acme',
  ZENDESK_EMAIL: 'bot@acme.example',
  ZENDESK_API_TOKEN: 'zd-token-secret-value',
  ZENDESK_WEBHOOK_SECRET: 'zd-signing-secret-value',
};

const inquiry = (source: string, externalId: string | null) => ({ source, externalId }) as Inquiry;

describe('connectors config', () => {
  it('is off without the block: no tool, no way back through one', () => {
    const config = load('locale: en\n');
    expect(config.connectors).toEqual({});
    expect(replyTargetsOf(config)(inquiry('zendesk', '42'))).toBeNull();
  });

  it('reads all three with their secrets kept out of sight, and answers each tool in its own conversation', () => {
    const config = load(ALL, ENV);
    expect(config.connectors.channelTalk?.botName).toBe('サポート');
    expect(config.connectors.channelTalk?.apiUrl).toBe('https://api.channel.io');
    expect(config.connectors.intercom?.adminId).toBe('814860');
    expect(config.connectors.intercom?.apiUrl).toBe('https://api.intercom.io');
    expect(config.connectors.zendesk?.apiUrl).toBe('https://acme.zendesk.com');
    expect(config.connectors.zendesk?.apiToken.reveal()).toBe(ENV.ZENDESK_API_TOKEN);
    const shown = JSON.stringify(config);
    for (const [name, value] of Object.entries(ENV))
      if (!/SUBDOMAIN|EMAIL/.test(name)) expect(shown).not.toContain(value);
    const targetOf = replyTargetsOf(config);
    expect(targetOf(inquiry('channeltalk', 'chat-1'))).toEqual({ platform: 'channeltalk', channel: 'chat-1' });
    expect(targetOf(inquiry('intercom', '1911149811'))).toEqual({ platform: 'intercom', channel: '1911149811' });
    expect(targetOf(inquiry('zendesk', '35436'))).toEqual({ platform: 'zendesk', channel: '35436' });
    expect(targetOf(inquiry('zendesk', null))).toBeNull();
  });

  it('names each missing secret with where in the tool to copy it from, and never echoes a secret', () => {
    const found = problems(ALL, { ZENDESK_SUBDOMAIN: 'acme.zendesk.com', ZENDESK_EMAIL: 'bot@acme.example' });
    expect(found).toEqual([
      expect.stringMatching(
        /^CHANNEL_TALK_ACCESS_KEY: required because connectors\.channelTalk is set; copy it from Channel Talk/,
      ),
      expect.stringMatching(/^CHANNEL_TALK_ACCESS_SECRET: required because connectors\.channelTalk is set/),
      expect.stringMatching(
        /^CHANNEL_TALK_WEBHOOK_TOKEN: required because connectors\.channelTalk is set; copy it from the webhook’s token/,
      ),
      expect.stringMatching(
        /^INTERCOM_ACCESS_TOKEN: required because connectors\.intercom is set; copy it from .*Developer Hub/,
      ),
      expect.stringMatching(/^INTERCOM_CLIENT_SECRET: required because connectors\.intercom is set/),
      'ZENDESK_SUBDOMAIN: expected only the subdomain (acme for acme.zendesk.com), got "acme.zendesk.com"',
      expect.stringMatching(
        /^ZENDESK_API_TOKEN: required because connectors\.zendesk is set; copy it from Zendesk Admin Center/,
      ),
      expect.stringMatching(
        /^ZENDESK_WEBHOOK_SECRET: required because connectors\.zendesk is set; copy it from .*Reveal secret$/,
      ),
    ]);
  });

  it('refuses a block it does not know, an admin id that is not one, and an API URL that is not a URL', () => {
    expect(problems('connectors:\n  freshdesk: {}\n')).toEqual([expect.stringContaining('freshdesk')]);
    expect(problems('connectors:\n  intercom: { adminId: "Sato" }\n', ENV)).toEqual([
      expect.stringMatching(/^connectors\.intercom\.adminId: .*numeric id/),
    ]);
    expect(problems(ALL, { ...ENV, INTERCOM_API_URL: 'api.intercom.io' })).toEqual([
      'INTERCOM_API_URL: expected an http(s) URL, got "api.intercom.io"',
    ]);
  });
});
