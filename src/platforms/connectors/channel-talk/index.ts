import type { ChannelTalkConfig } from '../../../config/connectors.ts';
import type { Connector } from '../kit/connector.ts';
import { channelTalkReplySender } from './reply-sender.ts';
import { channelTalkEvents, verifyChannelTalk } from './webhook.ts';

/** Channel Talk (チャネルトーク) as a customer channel: user chats in, manager messages back. */
export function channelTalkConnector(config: ChannelTalkConfig, now: () => number): Connector {
  return {
    source: 'channeltalk',
    tool: 'Channel Talk',
    verify: (request) => verifyChannelTalk(request, config.webhookToken.reveal()),
    events: async (payload) => channelTalkEvents(payload, now()),
    replies: channelTalkReplySender(config),
  };
}
