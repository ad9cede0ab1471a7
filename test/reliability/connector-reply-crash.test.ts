import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as ct from '../fakes/channel-talk/fake-channel-talk.ts';
import * as ic from '../fakes/intercom/fake-intercom.ts';
import type { ToolCall, ToolServer } from '../fakes/tool-api-server.ts';
import * as zd from '../fakes/zendesk/fake-zendesk.ts';
import { type KoeProcess, startKoeProcess } from '../helpers/koe-process.ts';
import { tempDir } from '../helpers/temp-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * A reply to a tool's conversation across kill -9: `node bin/koe.js start` as a child process
 * against the tool's fake, killed while the tool holds the answer to the call that carries the reply
 * (the reply landed in the conversation; koe never heard), then started again on the same SQLite
 * file. The restarted koe looks the reply up the tool's way (Channel Talk: the message's requestId;
 * Intercom: koe's admin comment with that text since the attempt began; Zendesk: the audit's
 * metadata) and does not send it again: one call carried it, the conversation holds it once, and it
 * ends 'sent'.
 */

const TOKEN = 'connector-crash-intake-token-0123456789';

let koe: KoeProcess | undefined;
let close: (() => Promise<void>) | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await koe?.kill('SIGKILL');
  await close?.();
  cleanup?.();
  koe = close = cleanup = undefined;
});

/** One tool: its fake, koe's config and env for it, a conversation opened by webhook, and how to count the reply there. */
interface Tool {
  name: string;
  start(): Promise<{
    api: ToolServer;
    yaml: string;
    env: Record<string, string>;
    /** Delivers the webhook that opens a conversation; returns its id. */
    open(koeUrl: string): Promise<string>;
    isReplyCall(call: ToolCall): boolean;
    /** How many times the conversation holds `text`. */
    held(conversationId: string, text: string): number;
    close(): Promise<void>;
  }>;
}

const TOOLS: Tool[] = [
  {
    name: 'Channel Talk',
    async start() {
      const fake = await ct.startFakeChannelTalk();
      return {
        api: fake.api,
        yaml: 'connectors:\n  channelTalk: { botName: koe }\n',
        env: {
          CHANNEL_TALK_ACCESS_KEY: ct.CT_KEY,
          CHANNEL_TALK_ACCESS_SECRET: ct.CT_SECRET,
          CHANNEL_TALK_WEBHOOK_TOKEN: ct.CT_TOKEN,
          CHANNEL_TALK_API_URL: fake.api.url,
        },
        async open(koeUrl) {
          const chatId = ct.ctId('chat');
          const user = { id: 'u-crash', name: '山田' };
          expect((await ct.deliverWebhook(koeUrl, ct.messageEvent(fake, chatId, '届きません', { user }))).status).toBe(
            200,
          );
          return chatId;
        },
        isReplyCall: (call) => call.method === 'POST',
        held: (chatId, text) => fake.chats.get(chatId)!.filter((m) => m.plainText === text).length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'Intercom',
    async start() {
      const fake = await ic.startFakeIntercom();
      return {
        api: fake.api,
        yaml: `connectors:\n  intercom: { adminId: "${ic.IC_ADMIN}" }\n`,
        env: {
          INTERCOM_ACCESS_TOKEN: ic.IC_TOKEN,
          INTERCOM_CLIENT_SECRET: ic.IC_CLIENT_SECRET,
          INTERCOM_API_URL: fake.api.url,
        },
        async open(koeUrl) {
          const conversation = ic.startConversation(fake, '届きません');
          const created = ic.notification('conversation.user.created', conversation);
          expect((await ic.deliverWebhook(koeUrl, created)).status).toBe(200);
          return conversation.id;
        },
        isReplyCall: (call) => call.method === 'POST',
        held: (id, text) =>
          fake.conversations.get(id)!.conversation_parts.conversation_parts.filter((p) => p.body === `<p>${text}</p>`)
            .length,
        close: () => fake.close(),
      };
    },
  },
  {
    name: 'Zendesk',
    async start() {
      const fake = await zd.startFakeZendesk();
      return {
        api: fake.api,
        yaml: 'connectors:\n  zendesk: {}\n',
        env: {
          ZENDESK_SUBDOMAIN: zd.ZD_SUBDOMAIN,
          ZENDESK_EMAIL: zd.ZD_EMAIL,
          ZENDESK_API_TOKEN: zd.ZD_TOKEN,
          ZENDESK_WEBHOOK_SECRET: zd.ZD_SECRET,
          ZENDESK_API_URL: fake.api.url,
        },
        async open(koeUrl) {
          const ticketId = zd.openTicket(fake, '届きません', '請求書が届きません');
          expect((await zd.deliverWebhook(koeUrl, ticketId)).status).toBe(200);
          return String(ticketId);
        },
        isReplyCall: (call) => call.method === 'PUT',
        held: (id, text) => fake.tickets.get(Number(id))!.comments.filter((c) => c.body === text).length,
        close: () => fake.close(),
      };
    },
  },
];

const json = (res: Response): Promise<any> => res.json();

describe('replies through a tool across a kill -9', () => {
  for (const tool of TOOLS) {
    it(`${tool.name}: the reply whose answer was lost is found after the restart, not sent again, and ends sent`, async () => {
      const t = await tool.start();
      close = t.close;
      const dir = tempDir();
      cleanup = dir.cleanup;
      writeFileSync(
        join(dir.dir, 'koe.config.yaml'),
        `locale: en\nclassifier: { enabled: false }\ndelivery: { leaseMs: 1500 }\nreplies: { undoSeconds: 0 }\n${t.yaml}`,
      );
      const env = { DATABASE_URL: join(dir.dir, 'koe.db'), KOE_INTAKE_TOKEN: TOKEN, LOG_LEVEL: 'info', ...t.env };

      koe = await startKoeProcess({ cwd: dir.dir, env, intakeToken: TOKEN });
      const conversationId = await t.open(koe.url);
      const [inquiry] = (await json(await koe.api('/api/v1/inquiries'))).items;
      expect(inquiry.externalId).toBe(conversationId);
      t.api.script(t.isReplyCall, { landThenHang: true });
      const text = `ただいま確認しております crash-${tool.name.length}`;
      const queued = await koe.api(`/api/v1/inquiries/${inquiry.id}/replies`, { body: text, author: { name: 'Sato' } });
      expect(queued.status).toBe(202);
      const replyId = (await json(queued)).reply.id as number;
      await waitFor(() => t.api.calls.some(t.isReplyCall), 15_000, 'the reply to reach the tool');
      expect((await koe.kill('SIGKILL')).signal).toBe('SIGKILL');
      expect(t.held(conversationId, text)).toBe(1);

      koe = await startKoeProcess({ cwd: dir.dir, env, intakeToken: TOKEN });
      const restarted = koe;
      await waitFor(
        async () => {
          const got = await json(await restarted.api(`/api/v1/inquiries/${inquiry.id}/replies/${replyId}`));
          return got.reply.state === 'sent';
        },
        20_000,
        'the reply to be sent after the restart',
      );
      expect(t.api.calls.filter(t.isReplyCall)).toHaveLength(1);
      expect(t.held(conversationId, text)).toBe(1);
      const detail = await json(await restarted.api(`/api/v1/inquiries/${inquiry.id}`));
      expect(detail.firstResponseAt).not.toBeNull();
      expect(restarted.output()).not.toContain(Object.values(t.env)[1]!);
    });
  }
});
